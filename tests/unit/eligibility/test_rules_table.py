"""Table-driven eligibility scenarios: each kind, each rule failing alone, counting both ways,
year boundaries, a list fixed late, a quota exhausted by one family member."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from migreg_desktop.rules import RULE_IDS, evaluate
from migreg_desktop.rules.base import PersonFacts

from .facts import earlier, facts, iin_with, listed, params, places, with_quota

P = places()
A = date(2026, 3, 2)


def applicant(f, **kw):
    return replace(f, applicant=replace(f.applicant, **kw))


def member(f, n, **kw):
    fam = list(f.family)
    fam[n] = replace(fam[n], **kw)
    return replace(f, family=tuple(fam))


R, K, INTRA = facts("resettler"), facts("kandas"), facts("intra_oblast")

# (id, facts, params overrides or None, {rule: expected result}, verdict)
SCENARIOS = [
    # ---- resettler -------------------------------------------------------------------------
    ("res_ok", R, None, {"region_designated": "ok", "resettler_registration": "ok"}, "eligible"),
    ("res_to_almaty_oblast", replace(R, destination=P["190000000"]), None, {"region_designated": "fail"}, "not_eligible"),
    ("res_to_akmola_not_designated", replace(R, destination=P["110000000"]), None, {"region_designated": "fail"}, "not_eligible"),
    ("res_to_astana", replace(R, destination=P["710000000"]), None, {"region_designated": "fail"}, "not_eligible"),
    ("res_year_without_list", replace(R, quota_year=2031), None, {"region_designated": "needs_check"}, "needs_check"),
    ("res_not_citizen", applicant(R, citizenship="kandas"), None, {"resettler_registration": "fail"}, "not_eligible"),
    ("res_employed", applicant(R, employment_status="employed"), None, {"resettler_registration": "fail"}, "not_eligible"),
    ("res_unemployed_ok", applicant(R, employment_status="unemployed"), None, {"resettler_registration": "ok"}, "eligible"),
    ("res_no_registration_date", applicant(R, registered_since=None), None, {"resettler_registration": "needs_check"}, "needs_check"),
    ("res_registered_exactly_1y", applicant(R, registered_since=date(2025, 3, 2)), None, {"resettler_registration": "ok"}, "eligible"),
    ("res_registered_1y_minus_day", applicant(R, registered_since=date(2025, 3, 3)), None, {"resettler_registration": "fail"}, "not_eligible"),
    ("res_param_2_years", applicant(R, registered_since=date(2024, 6, 1)), {"min_registration_years": 2}, {"resettler_registration": "fail"}, "not_eligible"),
    ("res_param_1_year_same", applicant(R, registered_since=date(2024, 6, 1)), {"min_registration_years": 1}, {"resettler_registration": "ok"}, "eligible"),
    ("res_leap_day_registration", applicant(R, registered_since=date(2024, 2, 29)), None, {"resettler_registration": "ok"}, "eligible"),
    # ---- IIN ----------------------------------------------------------------------------------
    ("iin_bad_check_digit", applicant(R, iin="850612312345"), None, {"iin_valid": "fail"}, "not_eligible"),
    ("iin_missing_applicant", applicant(R, iin=None), None, {"iin_valid": "fail"}, "not_eligible"),
    ("iin_family_missing", member(R, 1, iin=None), None, {"iin_valid": "needs_check"}, "needs_check"),
    ("iin_family_invalid", member(R, 2, iin="150420600787"), None, {"iin_valid": "fail"}, "not_eligible"),
    ("iin_family_invalid_beats_missing", member(member(R, 1, iin=None), 2, iin="150420600787"), None, {"iin_valid": "fail"}, "not_eligible"),
    ("iin_century_zero", member(R, 0, iin=iin_with("87020300231")), None, {"iin_valid": "needs_check"}, "needs_check"),
    ("iin_duplicate_active_case", replace(R, duplicates=("ALM-KNV-2026-000099",)), None, {"iin_valid": "fail"}, "not_eligible"),
    # ---- earlier support -----------------------------------------------------------------------
    ("earlier_moved", replace(R, earlier=earlier("moved")), None, {"no_earlier_support": "fail"}, "not_eligible"),
    ("earlier_closed_applicant", replace(R, earlier=earlier("closed", "850612312344")), None, {"no_earlier_support": "fail"}, "not_eligible"),
    ("earlier_only_included", replace(R, earlier=earlier("included")), None, {"no_earlier_support": "ok"}, "eligible"),
    ("earlier_not_blocking_param", replace(R, earlier=earlier("moved")), {"earlier_support_blocks": False}, {"no_earlier_support": "ok"}, "eligible"),
    # ---- quota ----------------------------------------------------------------------------------
    ("quota_none", with_quota(R, found=False), None, {"quota_room": "fail"}, "not_eligible"),
    ("quota_not_allotted", with_quota(R, allotted=False), None, {"quota_room": "needs_check"}, "needs_check"),
    ("quota_persons_family4_room1", with_quota(R, slots=10, reserved=9), None, {"quota_room": "ok"}, "eligible"),
    ("quota_family_exhausted_by_one_member", with_quota(R, counting="family", slots=10, reserved=7), None, {"quota_room": "fail"}, "not_eligible"),
    ("quota_family_exact_fit", with_quota(R, counting="family", slots=10, reserved=6), None, {"quota_room": "ok"}, "eligible"),
    ("quota_persons_none_left", with_quota(R, slots=10, reserved=10), None, {"quota_room": "fail"}, "not_eligible"),
    ("quota_held_enough", with_quota(R, counting="family", slots=4, reserved=4, held=4), None, {"quota_room": "ok"}, "eligible"),
    ("quota_held_too_few", with_quota(R, counting="family", slots=10, reserved=3, held=3), None, {"quota_room": "needs_check"}, "needs_check"),
    # ---- kandas ----------------------------------------------------------------------------------
    ("kan_ok", K, None, {"region_designated": "ok", "kandas_status": "ok", "resettler_registration": "ok"}, "eligible"),
    ("kan_stays_in_oblast", replace(K, destination=P["191000000"], listed=listed("191000000")), None,
     {"region_designated": "fail", "settlement_listed": "ok"}, "not_eligible"),
    ("kan_to_karaganda_resettlers_only", replace(K, destination=P["350000000"]), None, {"region_designated": "fail"}, "not_eligible"),
    ("kan_already_citizen", applicant(K, citizenship="citizen"), None, {"kandas_status": "fail"}, "not_eligible"),
    ("kan_foreigner_no_status", applicant(K, citizenship="foreigner"), None, {"kandas_status": "fail"}, "not_eligible"),
    ("kan_no_certificate", applicant(K, kandas_certificate_no=None), None, {"kandas_status": "needs_check"}, "needs_check"),
    ("kan_certificate_future", applicant(K, kandas_certificate_date=date(2026, 4, 1)), None, {"kandas_status": "fail"}, "not_eligible"),
    ("kan_status_expired", applicant(K, kandas_certificate_date=date(2025, 3, 1)), None, {"kandas_status": "needs_check"}, "needs_check"),
    ("kan_status_exactly_12_months", applicant(K, kandas_certificate_date=date(2025, 3, 2)), None, {"kandas_status": "ok"}, "eligible"),
    ("kan_family_counting", with_quota(K, counting="family", slots=5, reserved=4), None, {"quota_room": "fail"}, "not_eligible"),
    ("kan_persons_counting", with_quota(K, counting="persons", slots=5, reserved=4), None, {"quota_room": "ok"}, "eligible"),
    # ---- intra-oblast ----------------------------------------------------------------------------
    ("intra_ok", INTRA, None, {"intra_oblast_conditions": "ok", "settlement_listed": "ok", "region_designated": "ok"}, "eligible"),
    ("intra_origin_is_city", replace(INTRA, origin=P["195220100"]), None, {"intra_oblast_conditions": "fail"}, "not_eligible"),
    ("intra_origin_outside_oblast", replace(INTRA, origin=P["550000000"]), None, {"intra_oblast_conditions": "fail"}, "not_eligible"),
    ("intra_origin_district_only", replace(INTRA, origin=P["195800000"]), None, {"intra_oblast_conditions": "needs_check"}, "needs_check"),
    ("intra_to_village", replace(INTRA, destination=P["194230100"], listed=listed("194230100")), None,
     {"intra_oblast_conditions": "fail", "settlement_listed": "ok"}, "not_eligible"),
    ("intra_not_on_list", replace(INTRA, destination=P["196220100"], listed=None), None, {"settlement_listed": "fail"}, "not_eligible"),
    ("intra_no_job_no_plan", replace(INTRA, has_job_offer=False), None, {"intra_oblast_conditions": "fail"}, "not_eligible"),
    ("intra_business_plan", replace(INTRA, has_job_offer=False, has_business_plan=True), None, {"intra_oblast_conditions": "ok"}, "eligible"),
    ("intra_housing_rent", replace(INTRA, housing="rent"), None, {"intra_oblast_conditions": "needs_check"}, "needs_check"),
    ("intra_list_fixed_late", replace(INTRA, list_fixed_on=date(2025, 12, 20)), None, {"settlement_listed": "needs_check"}, "needs_check"),
    ("intra_list_fixed_on_15_dec", replace(INTRA, list_fixed_on=date(2025, 12, 15)), None, {"settlement_listed": "ok"}, "eligible"),
    ("intra_list_used_after_year", replace(INTRA, today=date(2027, 1, 5)), None, {"settlement_listed": "needs_check"}, "needs_check"),
    ("intra_list_last_day_of_year", replace(INTRA, today=date(2026, 12, 31)), None, {"settlement_listed": "ok"}, "eligible"),
    ("intra_no_list_loaded", replace(INTRA, list_exists=False, listed=None), None, {"settlement_listed": "needs_check"}, "needs_check"),
    ("intra_destination_is_district", replace(INTRA, destination=P["194000000"], listed=None), None,
     {"settlement_listed": "needs_check", "intra_oblast_conditions": "fail"}, "not_eligible"),
    ("intra_no_capacity", with_quota(INTRA, found=False), None, {"quota_room": "needs_check"}, "needs_check"),
    ("intra_same_place", replace(INTRA, origin=P["191000000"]), None, {"intra_oblast_conditions": "fail"}, "not_eligible"),
]


@pytest.mark.parametrize(("name", "f", "overrides", "expected", "verdict"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name, f, overrides, expected, verdict):
    decision = evaluate(f, params(f.quota_year, **(overrides or {})))
    got = {r.rule: r.result for r in decision.results}
    assert tuple(got) == RULE_IDS  # every rule answers, in a stable order
    for rule, result in expected.items():
        assert got[rule] == result, (rule, [(r.rule, r.result, r.reason("en")) for r in decision.results])
    assert decision.verdict == verdict, [(r.rule, r.result, r.reason("en")) for r in decision.results]
    for r in decision.results:  # every reason renders in all three languages, with a reference
        for lang in ("kk", "ru", "en"):
            assert r.reason(lang) and "{" not in r.reason(lang) and r.reference_text(lang)


def test_at_least_forty_scenarios():
    assert len(SCENARIOS) >= 40


def test_rules_not_applying_are_marked():
    decision = evaluate(R, params())
    applies = {r.rule: r.applies for r in decision.results}
    assert applies == {"iin_valid": True, "documents_valid": True, "applicant_of_age": True,
                       "region_designated": True, "settlement_listed": False,
                       "intra_oblast_conditions": False, "kandas_status": False, "resettler_registration": True,
                       "no_earlier_support": True, "quota_room": True}


def test_kandas_without_family_iin_is_amber_not_red():
    f = replace(K, family=(PersonFacts(None, "kandas"),))
    assert evaluate(f, params()).verdict == "needs_check"
