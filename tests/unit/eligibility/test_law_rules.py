"""Issue 14 rules as pure functions: documents, age, origin potential, unknown quotas, references;
and the support calculation per year (certificate, rent range, employer apart, intra-oblast)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from migreg_desktop.paths import resource
from migreg_desktop.rules import evaluate
from migreg_desktop.rules.base import DocumentFacts, QuotaFacts
from migreg_desktop.storage.db import session_scope

from .facts import facts, params, places

P = places()
A = date(2026, 3, 2)
R, K, INTRA = facts("resettler"), facts("kandas"), facts("intra_oblast")
ID_OK = DocumentFacts("identity_card", date(2021, 5, 14), date(2031, 5, 13))
ADDRESS = DocumentFacts("address_certificate", date(2026, 3, 1))


def _who(f, **kw):  # noqa: ANN001, ANN003, ANN202
    return replace(f, applicant=replace(f.applicant, **kw))


def _result(f, rule, **overrides):  # noqa: ANN001, ANN003, ANN202
    return next(r for r in evaluate(f, params(f.quota_year, **overrides)).results if r.rule == rule)


CASES = [
    # documents_valid
    ("id_valid", R, "documents_valid", "ok"),
    ("id_expires_on_application_day", replace(R, documents=(replace(ID_OK, expires_on=A), ADDRESS)), "documents_valid", "ok"),
    ("id_expired_day_before", replace(R, documents=(replace(ID_OK, expires_on=date(2026, 3, 1)), ADDRESS)), "documents_valid", "fail"),
    ("id_missing", replace(R, documents=(ADDRESS,)), "documents_valid", "fail"),
    ("id_of_a_family_member_only", replace(R, documents=(replace(ID_OK, applicant=False), ADDRESS)), "documents_valid", "fail"),
    ("id_no_dates", replace(R, documents=(DocumentFacts("identity_card"), ADDRESS)), "documents_valid", "needs_check"),
    ("id_issued_11_years_ago", replace(R, documents=(DocumentFacts("identity_card", date(2015, 1, 1)), ADDRESS)), "documents_valid", "fail"),
    ("id_one_expired_one_valid", replace(R, documents=(replace(ID_OK, expires_on=date(2020, 1, 1)), ID_OK, ADDRESS)), "documents_valid", "ok"),
    ("required_missing", replace(R, documents=(ID_OK,)), "documents_valid", "fail"),
    ("kandas_needs_certificate_paper", replace(K, documents=(DocumentFacts("foreign_passport", None, date(2029, 1, 1)),)), "documents_valid", "fail"),
    ("kandas_identity_card_not_listed_for_kandas_is_fine", replace(K, documents=(DocumentFacts("kandas_certificate"), ID_OK)), "documents_valid", "ok"),
    # applicant_of_age
    ("adult", R, "applicant_of_age", "ok"),
    ("turns_18_on_application_day", _who(R, birth_date=date(2008, 3, 2)), "applicant_of_age", "ok"),
    ("turns_18_next_day", _who(R, birth_date=date(2008, 3, 3)), "applicant_of_age", "fail"),
    ("aged_15", _who(R, birth_date=date(2010, 6, 1)), "applicant_of_age", "fail"),
    ("aged_15_with_representative", replace(_who(R, birth_date=date(2010, 6, 1)), legal_representative="А. Б.",
                                            representative_basis="birth certificate"), "applicant_of_age", "ok"),
    ("representative_without_basis", replace(_who(R, birth_date=date(2010, 6, 1)), legal_representative="А. Б."),
     "applicant_of_age", "needs_check"),
    ("no_birth_date", _who(R, birth_date=None), "applicant_of_age", "needs_check"),
    # intra_oblast_conditions: origin potential (Rules §2.7)
    ("origin_low", INTRA, "intra_oblast_conditions", "ok"),
    ("origin_baiserke_high", replace(INTRA, origin=P["196847100"]), "intra_oblast_conditions", "fail"),
    ("origin_medium", replace(INTRA, origin=P["194230100"]), "intra_oblast_conditions", "fail"),
    ("origin_unrated", replace(INTRA, origin=P["196830200"]), "intra_oblast_conditions", "needs_check"),
    ("origin_unrated_but_destination_wrong_fails", replace(INTRA, origin=P["196830200"], destination=P["194230100"]),
     "intra_oblast_conditions", "fail"),
    # quota_room: unknown is not zero (2025 resettlers)
    ("quota_unknown_east_kz_2025", replace(R, quota_year=2025, destination=P["630000000"], quota=QuotaFacts()),
     "quota_room", "needs_check"),
    ("quota_unknown_karaganda_2025", replace(R, quota_year=2025, destination=P["350000000"], quota=QuotaFacts()),
     "quota_room", "needs_check"),
    ("no_quota_akmola_2025", replace(R, quota_year=2025, destination=P["110000000"], quota=QuotaFacts()),
     "quota_room", "fail"),
    ("east_kz_2026_known", replace(R, destination=P["630000000"], quota=QuotaFacts()), "quota_room", "fail"),
]


@pytest.mark.parametrize(("name", "f", "rule", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(name, f, rule, expected):
    got = _result(f, rule)
    assert got.result == expected, got.reason("en")
    for lang in ("kk", "ru", "en"):
        assert got.reason(lang) and "{" not in got.reason(lang)


def test_potential_from_the_settlement_list_when_not_rated():
    from migreg_desktop.rules.base import ListedSettlement

    f = replace(INTRA, origin=P["196830200"], origin_listed=ListedSettlement(2026, "196830200", "rural_settlement", "low", None))
    assert _result(f, "intra_oblast_conditions").result == "ok"


def test_a_higher_age_or_other_papers_are_parameters():
    assert _result(R, "applicant_of_age", min_applicant_age=45).result == "fail"
    assert _result(R, "documents_valid", required_documents={"resettler": ["jobseeker_certificate"]}).result == "fail"


def test_references_name_the_right_acts():
    refs = {r.rule: r.reference_text("en") for r in evaluate(R, params()).results}
    assert "1427" not in refs["iin_valid"] and "identification numbers" in refs["iin_valid"]
    assert "1427" in refs["resettler_registration"]
    ru = {r.rule: r.reference_text("ru") for r in evaluate(R, params()).results}
    assert "идентификационных номеров" in ru["iin_valid"] and "№ 1427" in ru["resettler_registration"]


# ---- support ------------------------------------------------------------------------------------

def test_certificate_per_year(session):
    from migreg_desktop.eligibility.support import measures_for

    def cert(year):  # noqa: ANN001, ANN202
        doc = measures_for("resettler", 3, False, year, session=session)
        return next(m for m in doc["measures"] if m["measure"] == "housing_certificate"), doc

    c26, d26 = cert(2026)
    assert (c26["mci"], c26["tenge"], c26["at_most_cost"]) == (1625, 7_028_125, True)
    assert d26["total_tenge"] == (70 * 3 + 180 + 1625) * 4325
    c25, d25 = cert(2025)
    assert (c25["mci"], c25["tenge"], c25["cap_tenge"]) == (None, None, 1160 * 3932)
    assert d25["total_tenge"] == (70 * 3 + 180) * 3932
    c24, _d24 = cert(2024)
    assert (c24["tenge"], c24["cap_tenge"]) == (None, 4_200_000) and "50" in c24["detail"]


def _support_dataset(change):  # noqa: ANN001, ANN202
    data = json.loads(resource("refdata", "support_measures.json").read_text(encoding="utf-8"))
    data["version"] = "2099.1"
    change(data)
    return data


def test_intra_oblast_support_is_the_oblasts_parameter(engine, add_case):
    from migreg_desktop.eligibility.support import case_support
    from migreg_desktop.refdata import refdata

    cid = add_case("intra_oblast")
    with session_scope(engine) as s:
        none = case_support(cid, session=s)
    assert (none["entitlement"], none["entitlement_reason"], none["measures"]) == ("none", "no_measures", [])
    measure = {"id": "relocation_subsidy", "basis": "per_person", "mci": 35, "recipient": "family", "confirmed": False}
    with session_scope(engine) as s:
        refdata.apply_dataset(_support_dataset(lambda d: d["years"]["2026"].update(intra_oblast=[measure])), session=s)
    with session_scope(engine) as s:
        doc = case_support(cid, session=s)
    assert doc["entitlement"] == "forecast" and doc["verdict"] == "needs_check"  # no capacity set yet
    assert [(m["measure"], m["tenge"]) for m in doc["measures"]] == [("relocation_subsidy", 35 * 4325)]


def test_old_package_format_still_loads_and_reads(engine, add_case):
    from migreg_desktop.eligibility.support import case_support
    from migreg_desktop.refdata import refdata

    old = [{"id": "relocation_subsidy", "basis": "per_person", "mci": 70, "confirmed": True},
           {"id": "rent_utilities", "basis": "per_family_month", "mci": 15, "mci_large_family": 30,
            "large_family_from": 5, "months": 12, "confirmed": False},
           {"id": "employer_subsidy", "basis": "per_worker", "mci": 400, "needs": "job_offer"}]
    with session_scope(engine) as s:
        refdata.apply_dataset(_support_dataset(lambda d: d["years"].update({"2026": old})), session=s)
    cid = add_case("resettler", has_job_offer=True)  # family of 4
    with session_scope(engine) as s:
        doc = case_support(cid, session=s)
    rent = next(m for m in doc["measures"] if m["measure"] == "rent_utilities")
    assert rent["mci"] == 15 * 12 and rent["range_mci"] == [15, 30]
    assert doc["employer_tenge"] == 400 * 4325 and doc["total_tenge"] == (280 + 180) * 4325


def test_entitled_after_inclusion_even_when_a_rule_now_fails(engine, add_case):
    from migreg_desktop.cases import cases
    from migreg_desktop.eligibility import quotas
    from migreg_desktop.eligibility.support import case_support

    with session_scope(engine, actor="oblast") as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 10, session=s)
    cid = add_case("resettler")
    with session_scope(engine) as s:
        quotas.reserve(cid, session=s)
    with session_scope(engine) as s:
        for status in ("submitted", "forwarded", "included"):
            cases.change_status(cid, status, session=s)
    with session_scope(engine) as s:
        doc = case_support(cid, session=s)
    assert doc["entitlement"] == "entitled" and doc["total_tenge"] == (280 + 180 + 1625) * 4325
