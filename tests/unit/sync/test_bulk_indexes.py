"""storage/bulk_indexes: a table's indexes set aside for a bulk write come back exactly as the
schema declares them, and a failure inside rolls back to the old ones (issue 17 §3)."""

from __future__ import annotations

import sqlite3

import pytest

from migreg_desktop import paths
from migreg_desktop.storage import bulk_indexes


def _schema(con: sqlite3.Connection) -> set[tuple[str, str, str, str | None]]:
    return set(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def _indexes(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                      (table,))}


@pytest.fixture
def con(engine):  # noqa: ANN001, ANN201
    engine.dispose()
    c = sqlite3.connect(paths.db_path())
    c.execute("PRAGMA foreign_keys = OFF")  # rows below stand alone
    yield c
    c.close()


def _case(con: sqlite3.Connection, n: int, number: str) -> None:
    con.execute("INSERT INTO cases (id, number, office_code, kind, status, applicant_id, quota_year, channel, "
                "has_job_offer, has_business_plan, applicant_name, family_size, created_at, updated_at, version, "
                "base_version) VALUES (?, ?, 'ALM-KNV', 'resettler', 'draft', 'p', 2026, 'in_person', 0, 0, 'A B', "
                "1, '2026-01-01', '2026-01-01', 1, 0)", (f"c{n}", number))


def test_the_rebuilt_indexes_are_exactly_the_schemas(con):
    before = _schema(con)
    assert len(bulk_indexes.secondary(con, "cases")) >= 10  # the eleven of issue 17 §3
    _case(con, 0, "N-0")  # opens the transaction (DDL needs one)
    with bulk_indexes.set_aside(con, "cases"):
        # inside: only the automatic index of the primary key is left (upserts still find rows)
        assert _indexes(con, "cases") == {"sqlite_autoindex_cases_1"}
        for n in range(1, 50):
            _case(con, n, f"N-{n}")
    con.commit()
    assert _schema(con) - {r for r in _schema(con) if r[0] == "index"} == before - {
        r for r in before if r[0] == "index"}
    assert {(n, t, s) for ty, n, t, s in _schema(con) if ty == "index"} == {
        (n, t, s) for ty, n, t, s in before if ty == "index"}
    plan = con.execute("EXPLAIN QUERY PLAN SELECT id FROM cases WHERE number = 'N-7'").fetchall()
    assert "ix_cases_number" in str(plan)  # built again, and over the new rows
    assert con.execute("SELECT count(*) FROM cases INDEXED BY ix_cases_status WHERE status = 'draft'").fetchone()[0] == 50


def test_a_failure_inside_rolls_back_to_the_old_indexes(con):
    before = _schema(con)
    _case(con, 0, "N-0")
    with pytest.raises(RuntimeError), bulk_indexes.set_aside(con, "cases"):
        _case(con, 1, "N-1")
        raise RuntimeError("a fault in the middle of the import")
    assert _indexes(con, "cases") == {"sqlite_autoindex_cases_1"}  # not rebuilt: the caller rolls back
    con.rollback()
    assert _schema(con) == before
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def test_a_unique_index_the_rows_break_fails_when_built_again(con):
    _case(con, 0, "N-0")
    with pytest.raises(sqlite3.IntegrityError, match="cases.number"), bulk_indexes.set_aside(con, "cases"):
        _case(con, 1, "N-0")  # the same case number twice: refused, only later than row by row
    con.rollback()
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def test_the_upsert_target_stays(con):
    """A UNIQUE index on the record key is an ON CONFLICT target: never set aside."""
    names = {n for n, _ in bulk_indexes.secondary(con, "quota_ledger", key="uid")}
    assert "ix_quota_ledger_uid" not in names and names
    assert "ix_quota_ledger_uid" in {n for n, _ in bulk_indexes.secondary(con, "quota_ledger")}


def test_outside_a_transaction_nothing_is_dropped(con):
    before = _schema(con)
    with pytest.raises(RuntimeError), bulk_indexes.set_aside(con, "cases"):
        pass
    assert _schema(con) == before


def test_worth_it_only_for_a_bulk_write(con, monkeypatch):
    monkeypatch.setattr(bulk_indexes, "BULK_MIN", 10)
    assert not bulk_indexes.worth_it(con, "cases", 9)
    assert bulk_indexes.worth_it(con, "cases", 10)
    for n in range(20):
        _case(con, n, f"N-{n}")
    assert not bulk_indexes.worth_it(con, "cases", 19)  # fewer than the table holds: kept
    assert bulk_indexes.worth_it(con, "cases", 20)
