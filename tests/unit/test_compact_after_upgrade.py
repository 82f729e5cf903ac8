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


def test_dead_search_rows_of_a_clerks_edits_are_compacted_on_opening(engine, data_dir, monkeypatch):
    """Imports compact the search index after themselves; a district that never imports gets its
    dead rows (every re-index leaves one) compacted when the program opens the file."""
    from migreg_desktop.cases import cases
    from migreg_desktop.cases.case_list import CaseFilter, list_cases
    from migreg_desktop.storage import search
    from tests.conftest import example_case, work_session

    monkeypatch.setattr(search, "COMPACT_FLOOR", 0)  # a fifth of the cases, not 5,000, in a test
    kinds = ("kandas", "resettler", "intra_oblast")
    with work_session(engine) as s:
        made = [cases.register_case(example_case(k), session=s) for k in kinds]
    for n in range(3):  # words that are not the cases' own: only a rebuild from the database drops them
        with work_session(engine) as s:
            for case in made:
                search.index_case(s, case.id, search.tokens(f"Зейнолла{n} Қабдолов", case.number))
    raw = engine.raw_connection()
    try:
        assert search.dead_rows(raw.driver_connection) > 0
    finally:
        raw.close()
    engine.dispose()
    opened = db.open_database(data_dir / "migreg.sqlite3")
    try:
        raw = opened.raw_connection()
        try:
            assert search.dead_rows(raw.driver_connection) == 0
        finally:
            raw.close()
        with work_session(opened) as s:
            def ids(q):  # noqa: ANN001, ANN202
                return sorted(r["id"] for r in list_cases(CaseFilter(search=q), limit=50, db=s))
            assert all(c.id in ids(example_case(k)["applicant"]["surname"]) for c, k in zip(made, kinds, strict=True))
            assert ids("Зейнолла2") == []
    finally:
        opened.dispose()
