"""Building ``CaseFacts`` and ``Params`` straight from the shipped reference files (no database)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from migreg_desktop.paths import resource
from migreg_desktop.rules.base import (
    CaseFacts,
    DocumentFacts,
    EarlierCase,
    ListedSettlement,
    Params,
    PersonFacts,
    Place,
    QuotaFacts,
)
from migreg_desktop.rules.iin import check_digit

APPLIED = date(2026, 3, 2)
IINS = ("870203422318", "120901500779", "150420600786")


def _json(name: str) -> dict[str, Any]:
    return json.loads(resource("refdata", name).read_text(encoding="utf-8"))


@cache
def places() -> dict[str, Place]:
    rows = {r["kato"]: r for r in _json("territories.json")["territories"]}

    def region(kato: str) -> str | None:
        while kato in rows and rows[kato]["level"] != "region":
            kato = rows[kato].get("parent")
        return kato

    out = {}
    for kato, r in rows.items():
        reg = region(kato)
        out[kato] = Place(kato, r["level"], reg, r.get("significance"), r.get("settlement_type"),
                          {"kk": r["name_kk"], "ru": r["name_ru"]},
                          {"kk": rows[reg]["name_kk"], "ru": rows[reg]["name_ru"]} if reg else {})
    return out


def params(year: int = 2026, **overrides: Any) -> Params:
    values = dict(_json("rule_parameters.json")["years"].get(str(year), {}))
    values.update(overrides)
    lists = _json("designated_regions.json")["years"].get(str(year), {})
    potential = _json("settlement_potential.json")["years"].get(str(year), {})
    return Params(year, values, {k: frozenset(v) for k, v in lists.items()}, potential)


def listed(kato: str, fixed: date = date(2025, 12, 12), year: int = 2026) -> ListedSettlement:
    kinds = {"191000000": "city_oblast", "194230100": "rural_settlement"}
    return ListedSettlement(year, kato, kinds.get(kato, "city_district"), "high", fixed)


def iin_with(first11: str) -> str:
    return first11 + str(check_digit(first11))


def facts(kind: str, **kw: Any) -> CaseFacts:
    p = places()
    family = tuple(PersonFacts(iin=i) for i in IINS)
    base: dict[str, Any] = {
        "case_id": "c1", "number": "ALM-KNV-2026-000001", "kind": kind, "quota_year": 2026,
        "applied_on": APPLIED, "today": APPLIED, "office_code": "ALM-KNV",
        "quota": QuotaFacts(found=True, region=p["550000000"], counting="persons", limit=100, allotted=True,
                            slots=10, reserved=0),
        "list_exists": True, "list_fixed_on": date(2025, 12, 12),
    }
    # Issue 14: the papers of the examples (identity document valid on the application date).
    identity = DocumentFacts("identity_card", date(2021, 5, 14), date(2031, 5, 13))
    if kind == "resettler":
        base.update(applicant=PersonFacts("850612312344", "citizen", date(2019, 4, 1), "jobseeker",
                                          birth_date=date(1985, 6, 12)),
                    family=family, origin=p["194230100"], destination=p["550000000"],
                    documents=(identity, DocumentFacts("address_certificate", date(2026, 3, 1))))
    elif kind == "kandas":
        base.update(applicant=PersonFacts("781130344101", "kandas", date(2025, 9, 15), "unemployed",
                                          "KD-2025-004512", date(2025, 9, 1), birth_date=date(1978, 11, 30)),
                    family=(PersonFacts("800105444115", "kandas"),), origin=p["195220100"], destination=p["590000000"],
                    documents=(DocumentFacts("kandas_certificate", date(2025, 9, 1)),
                               DocumentFacts("foreign_passport", date(2019, 3, 11), date(2029, 3, 10))))
    else:
        base.update(applicant=PersonFacts("950707309123", "citizen", date(2015, 1, 20), "jobseeker",
                                          birth_date=date(1995, 7, 7)),
                    origin=p["195830100"], destination=p["191000000"], has_job_offer=True, housing="state_fund",
                    listed=listed("191000000"), documents=(DocumentFacts("identity_card", date(2022, 8, 1)),))
    base.update(kw)
    return CaseFacts(**base)


def with_quota(f: CaseFacts, **kw: Any) -> CaseFacts:
    return replace(f, quota=replace(f.quota, **kw))


def earlier(status: str, iin: str = "870203422318") -> tuple[EarlierCase, ...]:
    return (EarlierCase("ALM-ENB-2024-000007", status, iin),)
