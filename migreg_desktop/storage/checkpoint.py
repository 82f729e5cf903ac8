"""A big transaction's pages copied from the WAL into the database file in a thread of their own.

SQLite copies the WAL into the database file (a checkpoint) at the commit that finds it longer
than 1,000 pages, in the committing thread. After `check --all` stored 100,000 decisions (~90 MB
of pages) that copy is ~0.3 s more before the clerk sees the result (issue 17 §4). A transaction
that will write that much says so (``later``):
- its connection does not checkpoint at the commit; its usual setting is put back when the pool
  takes the connection back (``on_checkin``: in the thread that used it, before another can);
- right after the commit a thread runs a PASSIVE checkpoint on a connection of its own. That
  blocks neither readers nor the next writer, and a program that ends meanwhile waits for it
  (not a daemon thread).

Nothing waits on it and nothing can be lost: the committed pages are in the WAL already, and if
this copy fails or never runs, SQLite's next checkpoint (another commit, the last connection
closed) makes it. Without SQLAlchemy: a worker process's imports stay light (bulk_check.py).
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

_running: list[threading.Thread] = []  # the copies started and maybe not done (``wait``)
_guard = threading.Lock()  # ``_running``: commits and waits may come from different threads
_KEY = "checkpoint_later"  # session.info: the database file whose WAL to copy after the commit
_RESTORE = "wal_autocheckpoint"  # the pooled connection's info: its setting, put back at check-in


def later(session: Any) -> None:
    """This transaction's commit does not checkpoint; a thread does, right after it."""
    if _KEY in session.info:
        return
    pooled = session.connection().connection  # the pool's connection: its info lives with it
    con = pooled.driver_connection
    found = con.execute("PRAGMA database_list").fetchone()
    if not found or not found[2]:  # a database in memory: no WAL
        return
    pooled.info.setdefault(_RESTORE, con.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    con.execute("PRAGMA wal_autocheckpoint = 0")
    session.info[_KEY] = str(found[2])


def committed(session: Any) -> threading.Thread | None:
    """After the commit: the copy started in its own thread (returned), if ``later`` asked for it."""
    db_file = session.info.pop(_KEY, None)
    if db_file is None:
        return None
    thread = threading.Thread(target=copy_wal, args=(db_file,), name="wal-checkpoint")
    with _guard:
        _running[:] = [t for t in _running if t.is_alive()] + [thread]
        thread.start()
    return thread


def wait() -> None:
    """Until the copies started so far are done (a restore, a benchmark's figure, a test)."""
    with _guard:
        started = list(_running)
    for thread in started:
        thread.join()


def dropped(session: Any) -> None:
    """After a rollback: no copy (the pool's check-in puts the setting back)."""
    session.info.pop(_KEY, None)


def on_checkin(dbapi_connection: Any, record: Any) -> None:
    """The pool's check-in: a connection ``later`` changed gets its checkpoint setting back."""
    before = record.info.pop(_RESTORE, None) if record is not None else None
    if before is not None and dbapi_connection is not None:
        dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")


def copy_wal(db_file: str) -> None:
    """A PASSIVE checkpoint of ``db_file`` on a connection of its own."""
    try:
        con = sqlite3.connect(db_file, timeout=10)
        try:
            con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            con.close()
    except sqlite3.Error:  # busy or gone: SQLite's next checkpoint makes the copy
        pass
