"""Issue 14: the scenario table — kind × region × family × documents × age × origin potential ×
year, each row run through the CLI (`case add`, `check --json`, `support --json`) with the
expected rule results, verdict, entitlement and amounts.

Amounts (reference data shipped with the program): MCI 2025 = 3,932 ₸, 2026 = 4,325 ₸;
relocation 70 MCI × persons; rent 15 MCI × 12 months (the lower end of 15–30: the rule picking
the amount is a ⚠ parameter); housing certificate 2026 a fixed 1,625 MCI (in the family's total),
2025 capped at 1,160 MCI (a ceiling, not in the total); employer subsidy 400 MCI to the employer,
never in the family's total. The application date is the day the case is added (today), so the
dates of papers and births are relative to today.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from migreg_desktop.rules import iin
from migreg_desktop.rules.base import add_years
from tests.conftest import cli_in
from tests.snapshots import copied

TODAY = date.today()
_serial = itertools.count(101)

PAVLODAR, NORTH_KZ, EAST_KZ, ABAI, ULYTAU, KARAGANDA, AKMOLA = (
    "550000000", "590000000", "630000000", "100000000", "620000000", "350000000", "110000000")
ALMATY_CITY, KONAEV = "750000000", "191000000"
NARYNKOL, BAISERKE, UZYNAGASH, KENEN = "195830100", "196847100", "194230100", "196830200"  # low, high, medium, unrated


def _iin(birth: date, sex: str = "M") -> str:
    while True:
        made = iin.make(birth, sex, next(_serial))
        if made:
            return made


def _person(birth: date, sex: str = "M", **extra: Any) -> dict[str, Any]:
    return {"iin": _iin(birth, sex), "surname": "Сынақов", "name": "Ерлан", "birth_date": birth.isoformat(),
            "sex": sex, **extra}


def _years_ago(years: int, days: int = 0) -> date:
    return add_years(TODAY, -years) - timedelta(days=days)


@dataclass
class Row:
    id: str
    kind: str
    year: int
    dest: str
    family: int = 1  # persons, the applicant included
    docs: str = "ok"
    age: str = "adult"
    origin: str | None = None
    allot: bool = True
    job_offer: bool = False
    path: tuple[str, ...] = ()  # statuses after a reservation: ("submitted", "forwarded", "included")
    rules: dict[str, str] = field(default_factory=dict)
    verdict: str = "eligible"
    entitlement: str = "forecast"
    total: int = 0
    employer: int = 0


def _documents(kind: str, variant: str) -> list[dict[str, Any]]:
    later, past = (TODAY + timedelta(days=5 * 365)).isoformat(), (TODAY - timedelta(days=10)).isoformat()
    identity = {"kandas": "foreign_passport"}.get(kind, "identity_card")
    ident = {"doc_type": identity, "number": "N0001", "issued_on": "2021-05-14", "expires_on": later}
    other = {"kandas": [{"doc_type": "kandas_certificate", "number": "KD-1", "issued_on": (TODAY - timedelta(days=30)).isoformat()}],
             "resettler": [{"doc_type": "address_certificate", "issued_on": (TODAY - timedelta(days=3)).isoformat()}],
             "intra_oblast": [{"doc_type": "job_offer", "number": "JO-1", "issued_on": (TODAY - timedelta(days=9)).isoformat()}]}[kind]
    if variant == "ok":
        return [ident, *other]
    if variant == "expired_id":
        return [{**ident, "expires_on": past}, *other]
    if variant == "no_id":
        return other
    if variant == "no_expiry":
        return [{"doc_type": identity, "number": "N0001"}, *other]
    if variant == "issued_2014":  # ⚠ identity_valid_years: 10 → expired in 2024
        return [{"doc_type": identity, "number": "N0001", "issued_on": "2014-01-10"}, *other]
    if variant == "issued_2020":  # valid until 2030
        return [{"doc_type": identity, "number": "N0001", "issued_on": "2020-01-10"}, *other]
    if variant == "passport":
        return [{**ident, "doc_type": "passport"}, *other]
    if variant == "residence_permit":
        return [{**ident, "doc_type": "residence_permit"}, *other]
    if variant == "no_required":
        return [ident]
    raise AssertionError(variant)


def _birth(age: str) -> date:
    return {"adult": date(1985, 6, 12), "minor": _years_ago(16, 40), "minor_rep": _years_ago(16, 40),
            "minor_rep_nobasis": _years_ago(16, 40), "just_17": _years_ago(17, 100),
            "exactly_18": _years_ago(18)}[age]


def case_file(row: Row) -> dict[str, Any]:
    applicant = _person(_birth(row.age), registered_since="2019-04-01", employment_status="jobseeker")
    if row.kind == "kandas":
        applicant.update(citizenship="kandas", kandas_certificate_no="KD-1",
                         kandas_certificate_date=(TODAY - timedelta(days=30)).isoformat(), employment_status="unemployed",
                         origin_country="MN", former_citizenship="MN", nationality="қазақ")
    family = [{**_person(date(1987, 2, 3), "F"), "relation": "spouse"}] if row.family > 1 else []
    family += [{**_person(date(2012 + n, 9, 1)), "relation": "child"} for n in range(max(0, row.family - 2))]
    if row.kind == "kandas":
        for m in family:
            m["citizenship"] = "kandas"
    data: dict[str, Any] = {"kind": row.kind, "applicant": applicant, "family": family,
                            "documents": _documents(row.kind, row.docs), "destination_kato": row.dest,
                            "origin_kato": row.origin or UZYNAGASH, "quota_year": row.year,
                            "has_job_offer": row.job_offer or row.kind == "intra_oblast"}
    if row.kind == "intra_oblast":
        data["housing"] = "state_fund"
    if row.age in ("minor_rep", "minor_rep_nobasis"):
        data["legal_representative"] = "Сынақова Әлия Бекқызы"
        if row.age == "minor_rep":
            data["representative_basis"] = "туу туралы куәлік / свидетельство о рождении I-АЛ 0012345"
    return data


F26 = {1: 8_109_375, 2: 8_412_125, 3: 8_714_875, 4: 9_017_625, 5: 9_320_375}  # (70n + 180 + 1,625) × 4,325
F25 = {1: 983_000, 3: 1_533_480, 4: 1_808_720}  # (70n + 180) × 3,932; the certificate is a ceiling
EMPLOYER26 = 1_730_000  # 400 × 4,325, to the employer
OK_DOCS = {"documents_valid": "ok", "applicant_of_age": "ok"}
NONE = {"entitlement": "none", "total": 0}

ROWS = [
    # ---- resettlers 2026: family size and amounts ----------------------------------------------
    Row("res26_family4", "resettler", 2026, PAVLODAR, 4, rules={**OK_DOCS, "quota_room": "ok"}, total=F26[4]),
    Row("res26_family1", "resettler", 2026, PAVLODAR, 1, rules=OK_DOCS, total=F26[1]),
    Row("res26_family5_rent_still_15", "resettler", 2026, PAVLODAR, 5, total=F26[5]),
    Row("res26_job_offer_employer_apart", "resettler", 2026, PAVLODAR, 2, job_offer=True, total=F26[2], employer=EMPLOYER26),
    # ---- resettlers 2026: documents ---------------------------------------------------------------
    Row("res26_id_expired", "resettler", 2026, PAVLODAR, 4, docs="expired_id", rules={"documents_valid": "fail"},
        verdict="not_eligible", **NONE),
    Row("res26_no_id", "resettler", 2026, PAVLODAR, 1, docs="no_id", rules={"documents_valid": "fail"},
        verdict="not_eligible", **NONE),
    Row("res26_id_no_expiry", "resettler", 2026, PAVLODAR, 1, docs="no_expiry", rules={"documents_valid": "needs_check"},
        verdict="needs_check", total=F26[1]),
    Row("res26_id_issued_2014", "resettler", 2026, PAVLODAR, 1, docs="issued_2014", rules={"documents_valid": "fail"},
        verdict="not_eligible", **NONE),
    Row("res26_id_issued_2020", "resettler", 2026, PAVLODAR, 1, docs="issued_2020", rules={"documents_valid": "ok"},
        total=F26[1]),
    Row("res26_no_address_certificate", "resettler", 2026, PAVLODAR, 3, docs="no_required",
        rules={"documents_valid": "fail"}, verdict="not_eligible", **NONE),
    Row("res26_passport", "resettler", 2026, PAVLODAR, 3, docs="passport", rules={"documents_valid": "ok"}, total=F26[3]),
    # ---- resettlers 2026: age -----------------------------------------------------------------------
    Row("res26_minor_16", "resettler", 2026, PAVLODAR, 1, age="minor", rules={"applicant_of_age": "fail"},
        verdict="not_eligible", **NONE),
    Row("res26_minor_with_representative", "resettler", 2026, PAVLODAR, 1, age="minor_rep",
        rules={"applicant_of_age": "ok"}, total=F26[1]),
    Row("res26_minor_representative_no_basis", "resettler", 2026, PAVLODAR, 1, age="minor_rep_nobasis",
        rules={"applicant_of_age": "needs_check"}, verdict="needs_check", total=F26[1]),
    Row("res26_exactly_18_today", "resettler", 2026, PAVLODAR, 1, age="exactly_18", rules={"applicant_of_age": "ok"},
        total=F26[1]),
    # ---- resettlers 2026: region, quota, inclusion ------------------------------------------------
    Row("res26_to_almaty_city", "resettler", 2026, ALMATY_CITY, 2, allot=False, rules={"region_designated": "fail"},
        verdict="not_eligible", **NONE),
    Row("res26_not_allotted", "resettler", 2026, PAVLODAR, 2, allot=False, rules={"quota_room": "needs_check"},
        verdict="needs_check", total=F26[2]),
    Row("res26_included", "resettler", 2026, PAVLODAR, 4, path=("submitted", "forwarded", "included"),
        entitlement="entitled", total=F26[4]),
    Row("res26_closed_after_move", "resettler", 2026, PAVLODAR, 2,
        path=("submitted", "forwarded", "included", "moved", "closed"), entitlement="entitled", total=F26[2]),
    Row("res26_refused", "resettler", 2026, PAVLODAR, 2, path=("submitted", "refused"), **NONE),
    # ---- resettlers 2025: unknown quotas are "to be confirmed", the 2025 certificate a ceiling ----
    Row("res25_east_kz_quota_unknown", "resettler", 2025, EAST_KZ, 3, allot=False, rules={"quota_room": "needs_check"},
        verdict="needs_check", total=F25[3]),
    Row("res25_abai_quota_unknown", "resettler", 2025, ABAI, 1, allot=False, rules={"quota_room": "needs_check"},
        verdict="needs_check", total=F25[1]),
    Row("res25_ulytau_quota_unknown", "resettler", 2025, ULYTAU, 1, allot=False, rules={"quota_room": "needs_check"},
        verdict="needs_check", total=F25[1]),
    Row("res25_karaganda_quota_unknown", "resettler", 2025, KARAGANDA, 4, allot=False,
        rules={"quota_room": "needs_check"}, verdict="needs_check", total=F25[4]),
    Row("res25_pavlodar", "resettler", 2025, PAVLODAR, 4, rules={"quota_room": "ok"}, total=F25[4]),
    Row("res25_akmola_not_designated", "resettler", 2025, AKMOLA, 1, allot=False, rules={"region_designated": "fail"},
        verdict="not_eligible", **NONE),
    # ---- kandases 2026 ------------------------------------------------------------------------------
    Row("kan26_north_kz", "kandas", 2026, NORTH_KZ, 2, rules={**OK_DOCS, "kandas_status": "ok"}, total=F26[2]),
    Row("kan26_to_almaty_city", "kandas", 2026, ALMATY_CITY, 2, allot=False, rules={"region_designated": "fail"},
        verdict="not_eligible", **NONE),
    Row("kan26_passport_expired", "kandas", 2026, NORTH_KZ, 2, docs="expired_id", rules={"documents_valid": "fail"},
        verdict="not_eligible", **NONE),
    Row("kan26_no_certificate_paper", "kandas", 2026, NORTH_KZ, 1, docs="no_required", rules={"documents_valid": "fail"},
        verdict="not_eligible", **NONE),
    Row("kan26_residence_permit", "kandas", 2026, NORTH_KZ, 1, docs="residence_permit", rules={"documents_valid": "ok"},
        total=F26[1]),
    Row("kan26_minor_17", "kandas", 2026, NORTH_KZ, 1, age="just_17", rules={"applicant_of_age": "fail"},
        verdict="not_eligible", **NONE),
    # ---- intra-oblast 2026: origin potential; no measures unless the oblast sets them --------------
    Row("intra26_low_potential", "intra_oblast", 2026, KONAEV, 1, origin=NARYNKOL, allot=False,
        rules={"intra_oblast_conditions": "ok", "quota_room": "needs_check"}, verdict="needs_check", **NONE),
    Row("intra26_baiserke_high", "intra_oblast", 2026, KONAEV, 1, origin=BAISERKE, allot=False,
        rules={"intra_oblast_conditions": "fail"}, verdict="not_eligible", **NONE),
    Row("intra26_uzynagash_medium", "intra_oblast", 2026, KONAEV, 3, origin=UZYNAGASH, allot=False,
        rules={"intra_oblast_conditions": "fail"}, verdict="not_eligible", **NONE),
    Row("intra26_unrated_origin", "intra_oblast", 2026, KONAEV, 1, origin=KENEN, allot=False,
        rules={"intra_oblast_conditions": "needs_check"}, verdict="needs_check", **NONE),
    Row("intra26_id_expired", "intra_oblast", 2026, KONAEV, 1, origin=NARYNKOL, docs="expired_id", allot=False,
        rules={"documents_valid": "fail", "intra_oblast_conditions": "ok"}, verdict="not_eligible", **NONE),
    Row("intra26_minor", "intra_oblast", 2026, KONAEV, 1, origin=NARYNKOL, age="minor", allot=False,
        rules={"applicant_of_age": "fail"}, verdict="not_eligible", **NONE),
]


def test_the_table_is_large_and_varied():
    assert len(ROWS) >= 30 and len({r.id for r in ROWS}) == len(ROWS)
    for attr in ("kind", "dest", "family", "docs", "age", "origin", "year"):
        assert len({getattr(r, attr) for r in ROWS}) >= 2, attr


def _office(row: Row, capsys: Any, tmp_path: Path, factory: pytest.TempPathFactory) -> None:
    """The office of a scenario: `init`, and the allotment its row asks for. The same commands for
    every row with the same allotment: run once per test process and copied into the test's own
    data dir (tests/snapshots.py)."""
    region = {"kandas": row.dest, "resettler": row.dest}.get(row.kind) if row.allot else None

    def build(root: Path) -> None:
        cli = cli_in(capsys, root / "data")
        assert cli("init", "--office", "ALM-KNV").code == 0
        if region is not None:
            allot = cli("quota", "allot", "--year", str(row.year), "--region", region, "--kind", row.kind,
                        "--office", "ALM-KNV", "--slots", "20", "--json")
            assert allot.code == 0, allot.out + allot.err

    copied(f"law-office-{row.year}-{region}-{row.kind}" if region else "law-office", build, tmp_path, factory)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_scenario(cli_kept_open, capsys, tmp_path, tmp_path_factory, row):
    _office(row, capsys, tmp_path, tmp_path_factory)
    cli = cli_kept_open  # every command opens the database as ever; the engine outlives it (tests/conftest.py)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case_file(row), ensure_ascii=False), encoding="utf-8")
    added = cli("case", "add", "--file", str(path), "--confirm", "--json")
    assert added.code == 0, added.out + added.err
    number = added.json["number"]
    if row.path:
        assert cli("quota", "reserve", number, "--json").code == 0
        for status in row.path:
            moved = cli("case", "status", number, "--to", status, "--json")
            assert moved.code == 0, moved.out + moved.err
    checked = cli("check", number, "--json")
    results = {r["rule"]: r["result"] for r in checked.json["rules"]}
    assert {k: results[k] for k in row.rules} == row.rules, checked.json["rules"]
    assert checked.json["verdict"] == row.verdict, [r for r in checked.json["rules"] if r["result"] != "ok"]
    support = cli("support", number, "--json")
    assert support.code == 0, support.err
    doc = support.json
    assert (doc["entitlement"], doc["total_tenge"], doc["employer_tenge"]) == (row.entitlement, row.total, row.employer)
    if row.entitlement == "none":
        assert doc["measures"] == []
    else:
        family = sum(m["tenge"] for m in doc["measures"] if m["recipient"] == "family" and m["tenge"] is not None)
        assert family == doc["total_tenge"]
        assert {m["recipient"] for m in doc["measures"]} <= {"family", "employer"}
