"""A bulk insert's sync log (storage/bulk_log.py): the table's insert trigger is lifted for the
insert (no trigger program per row, issue 17 §4), made again as it was, and logged set-based."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import text

from migreg_desktop import paths
from migreg_desktop.eligibility import eligibility
from migreg_desktop.eligibility.changed_only import INSERT_COLUMNS, INSERT_SQL
from migreg_desktop.storage import bulk_indexes
from migreg_desktop.storage.bulk_log import insert_logged

from ...conftest import work_session

_TRIGGER = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'sync_eligibility_decision_ins'"
_INSERT = "INSERT INTO eligibility_decision"


def _trigger_sql(engine: Any) -> str:
    with engine.connect() as con:
        return str(con.execute(text(_TRIGGER)).scalar_one())


def _counts(engine: Any) -> tuple[int, int]:
    with engine.connect() as con:
        return (con.execute(text("SELECT count(*) FROM eligibility_decision")).scalar_one(),
                con.execute(text("SELECT count(*) FROM sync_change WHERE kind = 6")).scalar_one())


@pytest.fixture
def bulk(monkeypatch):  # noqa: ANN001, ANN201
    """The demo's few hundred decisions count as a bulk write."""
    monkeypatch.setattr(bulk_indexes, "BULK_MIN", 1)


def test_a_bulk_insert_runs_no_trigger_program_per_row(demo, bulk):
    traced: list[str] = []
    with work_session(demo) as s:
        con = s.connection().connection.driver_connection
        con.set_trace_callback(traced.append)  # a trigger program run is traced as its statement again
        try:
            counts = eligibility.check_many(session=s)
        finally:
            con.set_trace_callback(None)
    inserts = [t for t in traced if t.startswith(_INSERT)]
    assert counts["changed"] >= 300
    assert len(inserts) == counts["changed"]  # once a row: with the trigger silenced, twice


def test_the_trigger_is_back_as_it_was_after_a_commit_and_after_a_rollback(demo, bulk):
    before, (rows, logged) = _trigger_sql(demo), _counts(demo)
    with pytest.raises(RuntimeError), work_session(demo) as s:
        assert eligibility.check_many(session=s)["changed"] >= 300
        raise RuntimeError("the clerk's transaction fails after the check")
    assert (_trigger_sql(demo), _counts(demo)) == (before, (rows, logged))  # nothing half-done
    with work_session(demo) as s:
        changed = eligibility.check_many(session=s)["changed"]
    assert _trigger_sql(demo) == before
    assert _counts(demo) == (rows + changed, logged + changed)
    # and it logs the next row written one by one, as before
    with demo.connect() as c:
        case_id = c.execute(text("SELECT id_text(id) FROM cases LIMIT 1")).scalar_one()
    with work_session(demo) as s:
        eligibility.check_case(case_id, session=s)
    assert _counts(demo) == (rows + changed + 1, logged + changed + 1)


def test_a_connection_without_managed_transactions_keeps_its_trigger(demo, bulk):
    """``isolation_level`` None: a DROP would take effect at once for every other connection, so
    the trigger stays, silenced; the rows are logged all the same."""
    with work_session(demo) as s:
        row = s.connection().exec_driver_sql(
            f"SELECT {', '.join(INSERT_COLUMNS[1:])} FROM eligibility_decision LIMIT 1").first()
        if row is None:
            eligibility.check_many(session=s)
    con = sqlite3.connect(paths.db_path(), isolation_level=None)
    try:
        row = con.execute(f"SELECT {', '.join(INSERT_COLUMNS[1:])} FROM eligibility_decision LIMIT 1").fetchone()
        rows = [(f"00000000-0000-7000-8000-00000000000{n}", *row) for n in range(3)]
        traced: list[str] = []
        con.set_trace_callback(traced.append)
        insert_logged(con, "eligibility_decision", INSERT_SQL, rows)
        con.set_trace_callback(None)
        assert not con.in_transaction
        logged = {r[0] for r in con.execute("SELECT key FROM sync_change WHERE kind = 6 AND key LIKE '00000000-%'")}
    finally:
        con.close()
    assert not any(t.startswith("DROP TRIGGER") for t in traced)
    assert logged == {r[0] for r in rows}


def test_lift_needs_a_transaction_and_puts_back_the_very_triggers(demo):
    from migreg_desktop.storage import records, triggers

    rt = next(rt for rt in records.ordered() if rt.table == "cases")
    con = sqlite3.connect(paths.db_path())
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases' ORDER BY name"
    try:
        before = con.execute(query).fetchall()
        assert {n for n, _sql in before} >= {"sync_cases_ins", "sync_cases_upd", "sync_cases_del"}
        with pytest.raises(RuntimeError):  # a DROP outside a transaction would stand alone
            triggers.lift(con, rt)
        con.execute("BEGIN")
        lifted = triggers.lift(con, rt)
        left = con.execute(query).fetchall()
        assert len(lifted) == 3 and not {n for n, _sql in left} & {"sync_cases_ins", "sync_cases_upd", "sync_cases_del"}
        assert set(left) < set(before)  # the other triggers of the table stay
        triggers.put_back(con, lifted)
        assert con.execute(query).fetchall() == before
        con.execute("COMMIT")
    finally:
        con.close()


def test_a_few_rows_keep_the_trigger_and_the_schema(demo):
    """A case's automatic re-check stores one row: the trigger logs it, the schema stays as it is
    (lifting the trigger would make every other connection prepare its statements again)."""
    with work_session(demo) as s:
        eligibility.check_many(session=s)
    with demo.connect() as c:
        version = c.exec_driver_sql("PRAGMA schema_version").scalar_one()
        row = c.exec_driver_sql(f"SELECT {', '.join(INSERT_COLUMNS[1:])} FROM eligibility_decision LIMIT 1").one()
    uid = "00000000-0000-7000-8000-000000000009"
    traced: list[str] = []
    with work_session(demo) as s:
        con = s.connection().connection.driver_connection
        con.set_trace_callback(traced.append)
        try:
            insert_logged(con, "eligibility_decision", INSERT_SQL, [(uid, *row)])
        finally:
            con.set_trace_callback(None)
    with demo.connect() as c:
        assert c.exec_driver_sql("PRAGMA schema_version").scalar_one() == version
        assert c.exec_driver_sql("SELECT version, deleted FROM sync_change WHERE kind = 6 AND key = ?",
                                 (uid,)).one() == (1, 0)
    assert not any(t.startswith(("DROP", "CREATE", "INSERT INTO sync_suppress")) for t in traced)
