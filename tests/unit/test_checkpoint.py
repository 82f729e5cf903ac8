"""A big write's WAL is copied into the database file after its commit, in a thread of its own
(storage/checkpoint.py, issue 17 §4), and the connection's own checkpoint setting comes back."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from migreg_desktop.storage import checkpoint
from migreg_desktop.storage.db import session_scope


def _fill(s, rows: int = 4000) -> None:  # noqa: ANN001 - ~2,000 pages: over SQLite's 1,000
    s.connection().exec_driver_sql("CREATE TABLE IF NOT EXISTS filler (x TEXT)")
    s.connection().exec_driver_sql(
        "INSERT INTO filler SELECT hex(randomblob(800)) FROM (WITH RECURSIVE n(i) AS "
        f"(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) SELECT i FROM n)")


def _db_file(engine) -> Path:  # noqa: ANN001
    return Path(engine.url.database)


def _setting(engine) -> int:  # noqa: ANN001
    with engine.connect() as c:
        return int(c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


@pytest.mark.parametrize("later", [True, False])
def test_a_big_commit_leaves_the_copy_to_a_thread(engine, monkeypatch, later):
    """With ``later`` the commit does not grow the database file (the pages stay in the WAL) and
    the thread then copies them; without it SQLite's own checkpoint copies them at the commit."""
    db, gate, started = _db_file(engine), threading.Event(), []
    copy = checkpoint.copy_wal

    def held_copy(db_file: str) -> None:
        started.append(db_file)
        gate.wait(30)
        copy(db_file)

    monkeypatch.setattr(checkpoint, "copy_wal", held_copy)
    with session_scope(engine) as s:  # the WAL checkpointed and reset: the file's size is the data's
        s.connection().exec_driver_sql("SELECT 1")
    with engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db.stat().st_size
    with session_scope(engine) as s:
        if later:
            checkpoint.later(s)
        _fill(s)
    at_commit = db.stat().st_size
    gate.set()
    checkpoint.wait()
    assert started == ([str(db)] if later else [])
    assert (at_commit == before) == later  # SQLite's checkpoint at the commit grows the file
    assert db.stat().st_size > before  # the thread's copy did
    assert _setting(engine) == 1000  # the pooled connection's setting is back


def test_a_rolled_back_write_starts_no_copy_and_keeps_the_setting(engine, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(checkpoint, "copy_wal", started.append)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        checkpoint.later(s)
        _fill(s, 10)
        raise RuntimeError("a cancel")
    with session_scope(engine) as s:  # the next transaction of the same connection: no copy asked
        _fill(s, 10)
    checkpoint.wait()
    assert started == [] and _setting(engine) == 1000


def test_a_failed_copy_leaves_it_to_sqlite(tmp_path):
    checkpoint.copy_wal(str(tmp_path / "missing" / "db.sqlite3"))  # no folder: nothing raised


def test_a_restore_waits_for_a_copy_still_running(tmp_path, monkeypatch):
    """The restored file takes the old file's name, and its WAL the old WAL's: a copy still
    running ends before the old files go."""
    from types import SimpleNamespace

    from migreg_desktop.storage import restore

    gate, order = threading.Event(), []

    def held_copy(_db_file: str) -> None:
        gate.wait(30)
        order.append("copied")

    monkeypatch.setattr(checkpoint, "copy_wal", held_copy)
    db, staged = tmp_path / "old.sqlite3", tmp_path / "staged.sqlite3"
    db.write_bytes(b"old")
    staged.write_bytes(b"restored")
    assert checkpoint.committed(SimpleNamespace(info={checkpoint._KEY: str(db)})) is not None
    threading.Timer(0.3, lambda: (order.append("released"), gate.set())).start()
    restore.install(staged, db)
    order.append("installed")
    assert order == ["released", "copied", "installed"] and db.read_bytes() == b"restored"
