"""Decisions stored with the case, versions, history, automatic re-check on change."""

from __future__ import annotations

import json

from migreg_desktop.cases import cases
from migreg_desktop.eligibility import eligibility, quotas
from migreg_desktop.errors import Cancelled
from migreg_desktop.refdata.refdata import reference_version
from migreg_desktop.rules import RULE_IDS

from ...conftest import example_case, work_session


def _decisions(engine, case_id):
    with work_session(engine) as s:
        return eligibility.history(case_id, session=s)


def test_check_stores_decision_with_versions(engine, add_case):
    cid = add_case("resettler")
    with work_session(engine, "tester") as s:
        row = eligibility.check_case(cid, session=s)
        ref = reference_version(session=s)
    assert row.verdict == "needs_check"  # no allotment for the office yet
    assert row.rules_version and row.reference_version == ref and "settlement_list=" in ref
    rules = [r["rule"] for r in json.loads(row.results)]
    assert tuple(rules) == RULE_IDS
    # history: the automatic check at registration plus the manual one
    assert [d.trigger for d in _decisions(engine, cid)] == ["case_changed", "manual"]


def test_case_change_rechecks_automatically(engine, add_case):
    cid = add_case("resettler")
    data = example_case("resettler")
    data["destination_kato"] = "190000000"  # resettlers do not stay in the oblast
    with work_session(engine, "tester") as s:
        cases.update_case(cid, data, session=s, confirm_warnings=True)
    last = _decisions(engine, cid)[-1]
    assert last.trigger == "case_changed" and last.verdict == "not_eligible"
    results = {r["rule"]: r["result"] for r in json.loads(last.results)}
    assert results["region_designated"] == "fail"


def test_reservation_turns_the_case_eligible(engine, add_case):
    cid = add_case("resettler")
    with work_session(engine, "tester") as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 5, session=s)
    with work_session(engine, "tester") as s:
        quotas.reserve(cid, session=s)
    last = _decisions(engine, cid)[-1]
    assert last.verdict == "eligible" and last.eligible


def test_unchanged_automatic_recheck_is_not_stored_twice(engine, add_case):
    cid = add_case("intra_oblast")
    before = len(_decisions(engine, cid))
    with work_session(engine) as s:
        eligibility.recheck_changed([cid], session=s)
    assert len(_decisions(engine, cid)) == before


def test_an_edit_that_moves_no_answer_stores_no_decision_and_keeps_it_current(engine, add_case):
    """Issue 17: the unit of work's follow-up re-check stores a row only when the answer moves; the
    decision it confirmed stays current (a quota place can still be reserved on it)."""
    cid = add_case("resettler")
    before = _decisions(engine, cid)
    data = example_case("resettler")
    data["applicant"]["phone"] = "+7 705 000 0099"
    with work_session(engine, "tester") as s:
        case = cases.update_case(cid, data, session=s, confirm_warnings=True)
        assert case.version > before[-1].case_version
    assert [d.id for d in _decisions(engine, cid)] == [d.id for d in before]
    with work_session(engine) as s:
        assert eligibility.stale_reason(eligibility.latest(cid, session=s), session=s) is None
    with work_session(engine, "tester") as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 5, session=s)
    with work_session(engine, "tester") as s:
        quotas.reserve(cid, session=s)  # refused on a stale decision
    with work_session(engine, "tester") as s:  # the clerk's own check is always stored, even unchanged
        eligibility.check_case(cid, session=s)
        eligibility.check_case(cid, session=s)
    assert [d.trigger for d in _decisions(engine, cid)][-2:] == ["manual", "manual"]


def test_check_many_counts_and_progress(engine, add_case):
    for kind in ("resettler", "kandas", "intra_oblast"):
        add_case(kind)
    seen = []
    with work_session(engine) as s:
        counts = eligibility.check_many(session=s, progress=lambda d, t: seen.append((d, t)))
    assert counts["checked"] == 3 and sum(counts[v] for v in ("eligible", "needs_check", "not_eligible")) == 3
    assert seen[-1] == (3, 3)


def test_earlier_supported_case_of_family_member_blocks(engine, add_case):
    first = add_case("resettler")
    with work_session(engine, "tester") as s:
        for status in ("submitted", "forwarded", "included", "moved"):
            cases.change_status(first, status, session=s)
    data = example_case("intra_oblast")
    data["family"] = [{"iin": "870203422318", "surname": "Құрманғазы", "name": "Әлия", "relation": "spouse",
                       "birth_date": "1987-02-03", "sex": "F"}]
    with work_session(engine, "tester") as s:
        second = cases.register_case(data, session=s, confirm_warnings=True).id
        row = eligibility.check_case(second, session=s)
    results = {r["rule"]: r for r in json.loads(row.results)}
    assert results["no_earlier_support"]["result"] == "fail"
    assert results["no_earlier_support"]["params"]["iin"] == "870203422318"


def test_decision_doc_in_three_languages(engine, add_case):
    cid = add_case("kandas")
    with work_session(engine) as s:
        row = eligibility.check_case(cid, session=s)
        doc = eligibility.decision_doc(row, "N", lang="kk")
    assert set(doc) >= {"case", "eligible", "rules", "rules_version", "reference_version"}
    region = next(r for r in doc["rules"] if r["rule"] == "region_designated")
    assert "Солтүстік Қазақстан облысы" in region["reasons"]["kk"]
    assert "Северо-Казахстанская область" in region["reasons"]["ru"]


def test_check_many_cancelled_stores_nothing(engine, add_case):
    import pytest

    from ...conftest import count_rows

    add_case("resettler")
    before = count_rows(engine, "eligibility_decision")
    with pytest.raises(Cancelled), work_session(engine) as s:
        eligibility.check_many(session=s, cancelled=lambda: True)
    assert count_rows(engine, "eligibility_decision") == before


def test_bulk_rows_are_the_rows_a_single_check_stores(engine, add_case):
    """check_many writes its rows in bulk (plain tuples, cached JSON; issue 17 §4): they must read
    back exactly as the ORM row of a single check — same results text, a sync key, a timestamp."""
    from sqlalchemy import text

    from migreg_desktop.models.eligibility import EligibilityDecision

    ids = [add_case(kind) for kind in ("resettler", "kandas", "intra_oblast")]
    with engine.begin() as con:  # never checked (as after `migreg demo`): the first check stores each case
        con.execute(text("DELETE FROM eligibility_decision"))
    with work_session(engine) as s:
        singles = {cid: eligibility.check_case(cid, session=s, store=False) for cid in ids}
        assert eligibility.check_many(session=s, case_ids=ids)["changed"] == len(ids)
    with work_session(engine) as s:
        for cid in ids:
            row = eligibility.latest(cid, session=s)
            assert isinstance(row, EligibilityDecision) and row.trigger == "bulk" and row.uid
            assert row.results == json.dumps(json.loads(singles[cid].results), ensure_ascii=False)
            assert row.results == singles[cid].results and row.verdict == singles[cid].verdict
            assert row.checked_at.year >= 2026 and row.case_version == singles[cid].case_version
            assert eligibility.stale_reason(row, session=s) is None
        synced = s.connection().execute(text(
            "SELECT count(*) FROM sync_change_view WHERE record_type = 'decisions'")).scalar_one()
        assert synced >= len(ids)  # each bulk row travels in sync packages like any other
