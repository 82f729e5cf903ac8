"""A case's own check reads that case's facts, not the whole database's (the check after every
save, issue 17): the places it holds come from its own ledger rows."""

from __future__ import annotations

from sqlalchemy import text

from migreg_desktop.eligibility import eligibility
from migreg_desktop.eligibility.eligibility_facts import FactSource
from migreg_desktop.ids import from_db

from ...conftest import work_session

_HOLDERS = ("SELECT case_id FROM quota_ledger GROUP BY case_id "
            "HAVING sum(CASE entry WHEN 'reserve' THEN persons ELSE -persons END) > 0")


def test_a_case_s_own_check_reads_only_its_ledger_rows(demo):
    with demo.connect() as c:
        holders = [from_db(r[0]) for r in c.execute(text(_HOLDERS))]
    assert len(holders) >= 2  # the demo reserves places for some cases
    with work_session(demo) as s:
        every = {f.case_id: f.quota.held for f, _version in FactSource(s).facts()}
        con = s.connection().connection.driver_connection
        traced: list[str] = []
        con.set_trace_callback(traced.append)
        try:
            one = {f.case_id: f.quota.held for f, _version in FactSource(s).facts([holders[0]])}
            eligibility.check_case(holders[1], session=s)
        finally:
            con.set_trace_callback(None)
    assert one == {holders[0]: every[holders[0]]} and one[holders[0]] > 0  # the same places as the bulk read
    ledger = [t for t in traced if "FROM quota_ledger" in t and "GROUP BY case_id" in t]
    assert len(ledger) == 2 and all("WHERE case_id IN" in t for t in ledger)  # never the whole ledger


def test_a_reservation_between_batches_makes_the_next_read_its_quota_facts_again(demo):
    """The ledger is append-only: its last id says whether a batch may take over the quota facts of
    the batch before (eligibility.recheck_open_counts); a place reserved meanwhile counts."""
    with work_session(demo) as s:
        first = FactSource(s)
        before = {f.case_id: f for f, _v in first.facts()}
    key, aid = next((k, a) for k, (a, _q) in first._quota_of.items() if a is not None)
    case = next(f for f in before.values() if (f.kind, f.quota_year, f.destination and f.destination.kato) == key
                and not f.quota.held)
    with work_session(demo) as s:
        same = FactSource(s, previous=first)
        assert same._quota_of is first._quota_of  # nothing moved: taken over as it was
    with demo.begin() as c:  # a place reserved meanwhile, appended as quotas.reserve appends it
        columns = [r[1] for r in c.exec_driver_sql("PRAGMA table_info(quota_ledger)")
                   if r[1] not in ("id", "uid", "allotment_id", "case_id", "entry", "persons")]
        c.execute(text(f"INSERT INTO quota_ledger (uid, allotment_id, case_id, entry, persons, {', '.join(columns)}) "
                       f"SELECT '00000000-0000-7000-8000-0000000000aa', :a, id_db(:c), 'reserve', 3, {', '.join(columns)} "
                       f"FROM quota_ledger LIMIT 1"), {"a": aid, "c": case.case_id})
    with work_session(demo) as s:
        after = FactSource(s, previous=same)
        moved = {f.case_id: f for f, _v in after.facts()}
    assert after._quota_of is not first._quota_of
    quota = moved[case.case_id].quota
    assert (quota.held, quota.reserved) == (3, case.quota.reserved + 3)
