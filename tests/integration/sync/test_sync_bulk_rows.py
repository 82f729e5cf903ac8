"""The batch path of an import (sync/apply: one decision per batch on a first import, owners
decided without a set per line) gives the rows the district holds, case by case and column by
column, plus a change that then travels through the per-line path (issue 17 §3)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from migreg_desktop.cases import cases
from migreg_desktop.models import Case
from migreg_desktop.storage import bulk_indexes, records, triggers
from migreg_desktop.storage.db import session_scope
from tests.unit.sync.kit import Office


def _allot_like(district: Office, oblast: Office) -> None:
    """The oblast allots what the demo district counts its quota ledger against."""
    con = sqlite3.connect(district.db)
    rows = con.execute("SELECT q.year, q.region_kato, q.kind, a.office_code, a.slots FROM quota_allotment a "
                       "JOIN regional_quota q ON q.id = a.quota_id").fetchall()
    con.close()
    for year, region, kind, office, slots in rows:
        oblast.ok("quota", "allot", "--year", str(year), "--region", region, "--kind", kind,
                  "--office", office, "--slots", str(slots))


def _case_docs(office: Office) -> dict[str, dict]:
    engine = office.engine()
    try:
        with session_scope(engine) as s:
            return {c.number: cases.case_dict(c, session=s) for c in s.exec(select(Case)).all()}
    finally:
        engine.dispose()


def _rows(office: Office) -> dict[str, dict]:
    """Every travelling row by type and id, without the receiver's own numbering."""
    con = sqlite3.connect(office.db)
    try:
        out = {}
        for rt in records.ordered():
            cols = [c for c in rt.columns() if c not in rt.portable]
            out[rt.name] = {r[cols.index(rt.key)]: r for r in con.execute(
                f"SELECT {', '.join(cols)} FROM {rt.table}")}
        return out
    finally:
        con.close()


def _indexes(office: Office) -> set[tuple[str, str, str]]:
    """The indexes and the triggers, as the schema has them."""
    con = sqlite3.connect(office.db)
    try:
        return set(con.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"))
    finally:
        con.close()


def _logged(office: Office) -> int:
    con = sqlite3.connect(office.db)
    try:
        return int(con.execute("SELECT count(*) FROM sync_change").fetchone()[0])
    finally:
        con.close()


# Both ways of writing a member: the indexes set aside and built again and the sync triggers
# lifted (a bulk write, storage/bulk_indexes, storage/triggers.lift), and walked row by row.
@pytest.mark.parametrize("bulk_min", [1, 10**9], ids=["indexes-rebuilt", "indexes-walked"])
def test_a_first_import_gives_every_row_and_case_the_district_holds(pair, tmp_path, monkeypatch, bulk_min):
    monkeypatch.setattr(bulk_indexes, "BULK_MIN", bulk_min)
    lifted: list[str] = []
    lift = triggers.lift
    monkeypatch.setattr(triggers, "lift", lambda con, rt, *ops: lifted.append(rt.table) or lift(con, rt, *ops))
    district, oblast = pair
    indexes, logged = _indexes(oblast), _logged(oblast)
    district.ok("demo", "--cases", "40", "--seed", "7")
    _allot_like(district, oblast)
    p1 = tmp_path / "p1.migreg"
    sent = district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    res = oblast.ok("import", str(p1))
    assert res["status"] == "applied" and res["conflicts"] == 0
    applied = {k: v["applied"] for k, v in res["counts"].items() if isinstance(v, dict)}
    assert applied == {k: sent["counts"][k] for k in applied} and applied.keys() >= {
        k for k, n in sent["counts"].items() if n}
    assert sent["counts"]["cases"] == 40 and sent["counts"]["persons"] > 40
    assert _indexes(oblast) == indexes  # exactly the schema's indexes and triggers, whichever way
    assert _logged(oblast) == logged  # a partner's records are not this office's changes
    # no trigger program a row on the bulk path: every member's table had its triggers lifted
    assert set(lifted) == ({records.get(k).table for k, n in sent["counts"].items() if n} if bulk_min == 1 else set())

    theirs, ours = _rows(district), _rows(oblast)
    for name, rows in theirs.items():
        assert ours[name] == rows, name  # column by column, the same values and types
    docs = _case_docs(district)
    assert len(docs) == 40 and _case_docs(oblast) == docs
    con = sqlite3.connect(oblast.db)
    try:  # the search index and the staging area cover every imported case and person
        # every imported case indexed once (generation 1: storage/search.put_words)
        assert con.execute("SELECT count(*), min(gen), max(gen) FROM case_search").fetchone() == (40, 1, 1)
        assert con.execute("SELECT count(*) FROM sync_staging").fetchone()[0] == sent["counts"]["persons"]
    finally:
        con.close()

    number = next(n for n, d in docs.items() if d["status"] == "draft")  # then a change travels through the per-line path (a version held)
    district.ok("case", "status", number, "--to", "submitted")
    p2 = tmp_path / "p2.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p2))
    res2 = oblast.ok("import", str(p2))
    assert res2["status"] == "applied" and res2["counts"]["cases"]["applied"] == 1
    assert _case_docs(oblast)[number] == _case_docs(district)[number]
