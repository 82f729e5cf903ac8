"""Database health: ``PRAGMA integrity_check``, foreign keys, the audit chain (issue 7 §4), the
schema objects (issue 12 §5, services/integrity_schema) and wiped accounts (issue 12 §6,
services/accounts_history).

``check_database`` reads through its own read-only connection, so it runs in the background at
start-up and on a damaged file alike. A damaged database is opened read-only (``make_read_only``)
with a message that says how to restore.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migreg_desktop import packed_text, paths
from migreg_desktop.accounts import accounts_history, audit_chain
from migreg_desktop.i18n import N_
from migreg_desktop.storage import integrity_schema

if TYPE_CHECKING:  # every command asks is_marked_damaged: no SQLAlchemy for that (issue 17 §5)
    from sqlalchemy.engine import Engine

DAMAGED = N_("The database is damaged and was opened read-only: nothing can be changed. "
             "An admin restores the last good backup (Backups page, or "
             "'migreg restore FILE'); the damaged file is kept aside.")
Progress = Callable[[int, int], None]


def connect_read_only(db_file: Path) -> sqlite3.Connection:
    """A connection that cannot write (URI percent-encoded: spaces, '#', Windows drives)."""
    return sqlite3.connect(f"{Path(db_file).resolve().as_uri()}?mode=ro", uri=True)


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def account_state(db_file: Path) -> str:
    """``setup`` (never had an account), ``accounts``, ``wiped`` or ``damaged``; read-only and
    cheap (every command asks). A wiped database is marked damaged (see accounts_history)."""
    if not db_file.exists():
        return "setup"
    try:
        con = connect_read_only(db_file)
    except sqlite3.Error:
        return "damaged"
    try:
        state = accounts_history.state(con.execute)
    except sqlite3.DatabaseError:
        return "damaged"
    finally:
        con.close()
    if state == "wiped":
        mark_damaged(db_file, "accounts removed")
    return state


def check_database(db_file: Path | None = None, *, audit: bool = True,
                   progress: Progress | None = None) -> dict[str, Any]:
    """integrity_check + foreign_key_check + audit chain + packed values; ``ok`` is False if any
    finds a fault."""
    path = db_file or paths.db_path()
    report: dict[str, Any] = {"database": str(path), "ok": False, "integrity_check": [],
                              "foreign_key_violations": [], "audit": None, "schema": [],
                              "accounts": None, "unreadable_values": []}
    try:
        con = connect_read_only(path)
        try:
            report["integrity_check"] = [r[0] for r in con.execute("PRAGMA integrity_check(100)")]
            report["foreign_key_violations"] = [
                {"table": t, "rowid": rowid, "parent": parent}
                for t, rowid, parent, _fk in con.execute("PRAGMA foreign_key_check").fetchmany(100)]
            # Objects the migrations did not create (a trigger, a view …): code we never wrote.
            report["schema"] = integrity_schema.differences(con.execute) or []
            report["accounts"] = accounts_history.state(con.execute)
            report["unreadable_values"] = unreadable_values(con)
            if audit and {"audit_entry", "meta"} <= _tables(con):
                report["audit"] = audit_chain.verify_connection(con.execute, progress).as_dict()
        finally:
            con.close()
    except sqlite3.Error as exc:
        report["integrity_check"] = report["integrity_check"] or [str(exc)]
    report["damaged"] = (report["integrity_check"] != ["ok"] or bool(report["schema"])
                         or report["accounts"] == "wiped" or bool(report["unreadable_values"]))
    report["ok"] = (not report["damaged"] and not report["foreign_key_violations"]
                    and (report["audit"] is None or report["audit"]["ok"]))
    if Path(path).resolve() == paths.db_path().resolve():
        remember(report)
    return report


def unreadable_values(con: sqlite3.Connection) -> list[dict[str, Any]]:
    """Stored values this program did not write (packed_text: an unknown version or code, or one
    that would expand past its bound): reading them would fail, so the file counts as damaged
    (and a backup holding one is not restored: storage/restore.py)."""
    con.create_function("packed_readable", 1, packed_text.readable, deterministic=True)
    tables, found = _tables(con), []
    for table, column in packed_text.COLUMNS:
        if table in tables:
            found += [{"table": table, "column": column, "rowid": r[0]} for r in con.execute(
                f"SELECT rowid FROM {table} WHERE NOT packed_readable({column}) LIMIT 100")]
    return found


# ---- the damage mark: a full check takes seconds at 100,000 cases, so its verdict is kept beside
# the database (not in it: it is the damaged file) and every later open honours it cheaply.

def mark_file() -> Path:
    return paths.data_dir() / "DAMAGED.json"


def remember(report: dict[str, Any]) -> None:
    """Keep a damaged verdict; a clean check (or a restore) clears it."""
    mark = mark_file()
    try:
        if report.get("damaged"):
            import json

            mark.write_text(json.dumps({"database": report["database"],
                                        "integrity_check": report["integrity_check"][:5],
                                        "schema": report.get("schema") or [],
                                        "accounts": report.get("accounts")}), encoding="utf-8")
        elif mark.exists():
            mark.unlink()
    except OSError:  # a read-only medium: the next check finds the damage again
        pass


def mark_damaged(db_file: str | Path | None, problem: str) -> None:
    """Set the mark for a fault found on the way (wiped accounts), if it is this data dir's
    database: from now on every command and the window open it read-only."""
    if db_file and Path(db_file).resolve() == paths.db_path().resolve():
        remember({"database": str(db_file), "damaged": True, "integrity_check": [problem]})


def is_marked_damaged() -> bool:
    return mark_file().exists()


def is_damage(exc: BaseException) -> bool:
    """SQLite's words for a broken file (as opposed to a busy or read-only one)."""
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "file is not a database", "disk image", "corrupt"))


def writes_refused(exc: BaseException) -> bool:
    """The error a write gets on an engine made read-only here."""
    return "readonly" in str(exc).lower() or "read-only" in str(exc).lower()


def make_read_only(engine: Engine) -> None:
    """Every connection from now on refuses writes (PRAGMA query_only), see DAMAGED."""
    from sqlalchemy import event

    def _query_only(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA query_only=ON")

    event.listen(engine, "connect", _query_only)
    engine.dispose()  # pooled writable connections are dropped


def is_read_only(engine: Engine) -> bool:
    with engine.connect() as con:
        return bool(con.exec_driver_sql("PRAGMA query_only").scalar())
