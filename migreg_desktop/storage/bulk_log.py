"""Bulk inserts that log their sync changes set-based, not with a trigger program per row.

Issue 17 §4: `check --all` stores 100,000 decisions. Each row's insert trigger
(storage/triggers.py) logs it through ``sync_change_view``, one trigger program per row — more
than half of the time of the whole re-check. ``insert_logged`` lifts the table's insert trigger
for its one ``executemany`` and then logs exactly the rows it inserted with one ``INSERT … SELECT``
into the same view: the same record ids, owners and routes the per-row trigger would have written
(the view's INSTEAD OF trigger still makes each row of the log, so the log's layout stays the
schema's business; the key is the row's key as stored, storage/sync_keys.py). tests/unit/eligibility/test_batch_check.py compares both.

Lifted, not silenced: with ``sync_suppress`` set, SQLite still runs the trigger's program for every
row to find its ``WHEN`` false (0.25–0.3 s of 100,000 inserts, a third of them). The trigger is
dropped and made again from its own stored text inside the caller's transaction
(``triggers.lift``), so no other connection ever sees the table without it, and a rollback
brings it back with the rows. Only for a bulk write (``bulk_indexes.BULK_MIN`` rows): fewer rows
are inserted with the trigger at work, which logs them the same way, and the schema stays as it
is (a DROP would make every other connection prepare its statements again).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from migreg_desktop.storage import bulk_indexes, records, triggers


def _record_type(table: str) -> records.RecordType | None:
    return next((rt for rt in records.ordered() if rt.table == table), None)


def _quiet_possible(con: Any) -> bool:
    """Both pieces exist (a current schema) and no import has silenced the triggers already (then
    its rows must stay unlogged, as the triggers would leave them)."""
    names = {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE name IN ('sync_change_view', 'sync_suppress')")}
    return len(names) == 2 and con.execute("SELECT 1 FROM sync_suppress").fetchone() is None


@contextmanager
def _lifted(con: Any, rt: records.RecordType) -> Iterator[None]:
    """``rt``'s insert trigger gone for the block (``triggers.lift``) and made again after it, in
    the caller's transaction. Not begun yet: begun here, as the block's first INSERT would begin
    it (Python's sqlite3 begins before a write, not before a DROP). A connection that leaves
    transactions to its user (``isolation_level`` None) keeps its trigger, silenced by
    ``sync_suppress``: a DROP there would stand alone, seen by every other connection."""
    if not con.in_transaction and con.isolation_level is not None:
        con.execute("BEGIN")
    if not con.in_transaction:
        con.execute("INSERT INTO sync_suppress (flag) VALUES (1)")
        try:
            yield
        finally:
            con.execute("DELETE FROM sync_suppress")
        return
    lifted = triggers.lift(con, rt, ("INSERT",))
    try:
        yield
    finally:
        triggers.put_back(con, lifted)


def insert_logged(con: Any, table: str, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """``con.executemany(sql, rows)`` (an INSERT into ``table`` on the DB-API connection of the
    caller's transaction), its sync changes logged as its insert trigger would log them."""
    rt = _record_type(table)
    if not rows:
        return
    # A few rows (a case's automatic re-check) keep the trigger, which logs them as this would:
    # lifting it changes the schema, and every other connection then prepares its statements again.
    if rt is None or len(rows) < bulk_indexes.BULK_MIN or not _quiet_possible(con):
        con.executemany(sql, rows)
        return
    last = con.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
    with _lifted(con, rt):
        con.executemany(sql, rows)
    owner, route, join = rt.owner_sql.format(row="t"), rt.route_sql.format(row="t"), ""
    if (rt.owner_sql, rt.route_sql) == (records.OWNER_OF_CASE, records.ROUTE_OF_CASE):
        # The same two values, one join instead of two sub-queries per row (a quarter of the time)
        owner, route, join = "COALESCE(c.owner_office, c.office_code)", "c.office_code", \
            f"LEFT JOIN cases c ON c.id = t.{rt.case_column}"
    con.execute(
        f"INSERT INTO sync_change_view (kind, key, deleted, owner, route) "
        f"SELECT {rt.code}, t.{rt.key}, 0, {owner}, {route} FROM {table} t {join} "
        f"WHERE t.rowid > ? AND t.{rt.key} IS NOT NULL ORDER BY t.rowid", (last,))
