"""Issue 17 §1: an upgrade that frees pages (0840 rewrites every id) leaves the file as large as
before until a VACUUM; the program compacts it once after the upgrade, and never at any risk."""

from __future__ import annotations

import sqlite3

from migreg_desktop.storage import db


def _sparse(engine, path):  # noqa: ANN001, ANN202
    """A table of ~12 MB dropped: the pages stay in the file as free pages, as after 0840."""
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE scratch (x BLOB)")
        con.executemany("INSERT INTO scratch VALUES (?)", ((bytes(4000),) for _ in range(3000)))
    with con:
        con.execute("DROP TABLE scratch")
    con.close()


def _pages(path):  # noqa: ANN001, ANN202
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA page_count").fetchone()[0], con.execute("PRAGMA freelist_count").fetchone()[0]
    finally:
        con.close()


def test_a_sparse_file_is_compacted_once_and_keeps_every_row(engine, data_dir):
    path = data_dir / "migreg.sqlite3"
    rows = _dump(path)
    _sparse(engine, path)
    pages, free = _pages(path)
    assert free > pages // 2
    assert db.compact_if_sparse(path) is True
    pages_after, free_after = _pages(path)
    assert free_after == 0 and pages_after <= pages - free
    assert _dump(path) == rows
    assert db.compact_if_sparse(path) is False  # nothing left to gain


def test_a_dense_file_is_left_alone(engine, data_dir):
    path = data_dir / "migreg.sqlite3"
    pages = _pages(path)
    assert db.compact_if_sparse(path) is False
    assert _pages(path) == pages


def test_a_busy_file_is_left_whole(engine, data_dir):
    path = data_dir / "migreg.sqlite3"
    _sparse(engine, path)
    rows, pages = _dump(path), _pages(path)
    other = sqlite3.connect(path)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program writing: VACUUM must wait or give up
        other.execute("INSERT INTO meta (key, value) VALUES ('held', '1')")
        assert db.compact_if_sparse(path) is False
        other.rollback()
    finally:
        other.close()
    assert _dump(path) == rows and _pages(path) == pages


def _dump(path):  # noqa: ANN001, ANN202
    """Every row of every stored table, in a fixed order (VACUUM may renumber an implicit rowid;
    the contentless search table can't be read row by row, its shadow tables can)."""
    con = sqlite3.connect(path)
    try:
        tables = [n for n, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql "
                                              "IS NOT NULL ORDER BY name")
                  if not sql.startswith("CREATE VIRTUAL TABLE")]
        return {t: sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"')) for t in tables}
    finally:
        con.close()


def test_opening_an_older_file_upgrades_then_compacts_it(engine, data_dir):
    """The door a clerk goes through: an older schema and a sparse file, opened by the program."""
    from alembic import command

    path = data_dir / "migreg.sqlite3"
    command.downgrade(db._alembic_config(engine), "0840_blob_ids")  # one migration behind
    engine.dispose()
    _sparse(engine, path)
    pages, free = _pages(path)
    assert free > pages // 2
    db.open_database(path).dispose()
    assert _pages(path)[1] == 0  # upgraded, then compacted
    assert db.db_revisions(path) == set(db.script_heads())
