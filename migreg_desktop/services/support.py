"""Support measures of a case in MCI and tenge for its quota year (Social Code; reference.md).

Amounts are reference data per year (support_measures, mci); nothing here is a constant.
Texts are in ``lang`` (a printed sheet's language, from any thread); None: the window's or the CLI's.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ..errors import UserError
from ..i18n import N_, Translator, fmt_money, translator
from .cases import get_case
from .refvalues import value

MEASURE_LABELS = {
    "relocation_subsidy": N_("Relocation subsidy"),
    "rent_utilities": N_("Rent and utilities compensation"),
    "employer_subsidy": N_("Employer subsidy"),
    "housing_certificate": N_("Economic mobility certificate (housing)"),
}
BASIS_LABELS = {
    "per_person": N_("{mci} MCI × {persons} person(s)"),
    "per_family_month": N_("{mci} MCI × {months} months per family"),
    "per_worker": N_("{mci} MCI per resettled worker"),
    "cap_per_family": N_("{share} % of the home's cost, at most {cap} per family"),
}


def measures_for(kind: str, family_size: int, has_job_offer: bool, year: int, *, session: Session,
                 lang: str | None = None) -> dict[str, Any]:
    t = translator(lang)
    mci = value("mci", year, "mci", session=session)
    measures = value("support_measures", year, "measures", session=session)
    if not mci or not measures:
        raise UserError(N_("no MCI or support amounts for {year} in the reference data"), field="quota_year", year=year)
    out = [m for m in (_measure(spec, family_size, has_job_offer, mci, t) for spec in measures) if m]
    total_mci = sum(m["mci"] for m in out if m["mci"] is not None)
    return {"year": year, "mci_tenge": mci, "mci_tenge_text": fmt_money(mci, t.lang), "persons": family_size,
            "measures": out, "total_mci": total_mci, "total_tenge": total_mci * mci,
            "total_tenge_text": fmt_money(total_mci * mci, t.lang)}


def _measure(spec: dict[str, Any], persons: int, has_job_offer: bool, mci: int,
             t: Translator) -> dict[str, Any] | None:
    basis = spec.get("basis")
    if spec.get("needs") == "job_offer" and not has_job_offer:
        return None
    if basis == "per_person":
        amount = spec["mci"] * persons
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["mci"], persons=persons)
    elif basis == "per_family_month":
        # ⚠ The rule choosing 15 or 30 MCI is not confirmed: a larger family gets the higher rate.
        rate = spec.get("mci_large_family", spec["mci"]) if persons >= spec.get("large_family_from", 99) else spec["mci"]
        amount = rate * spec.get("months", 12)
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=rate, months=spec.get("months", 12))
    elif basis == "per_worker":
        amount = spec["mci"]
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["mci"])
    elif basis == "cap_per_family":
        cap = spec.get("cap_tenge", 0)
        return {"measure": spec["id"], "label": t.gettext(MEASURE_LABELS.get(spec["id"], spec["id"])), "mci": None,
                "tenge": None, "cap_tenge": cap, "tenge_text": t.gettext("up to {amount}").format(amount=fmt_money(cap, t.lang)),
                "detail": t.gettext(BASIS_LABELS[basis]).format(share=int(spec.get("share", 0.5) * 100), cap=fmt_money(cap, t.lang)),
                "reference": spec.get("reference", ""), "confirmed": bool(spec.get("confirmed", False))}
    else:
        return None
    return {"measure": spec["id"], "label": t.gettext(MEASURE_LABELS.get(spec["id"], spec["id"])), "mci": amount,
            "tenge": amount * mci, "tenge_text": fmt_money(amount * mci, t.lang), "detail": detail,
            "reference": spec.get("reference", ""), "confirmed": bool(spec.get("confirmed", False))}


def case_support(case_ref: str, *, session: Session, lang: str | None = None) -> dict[str, Any]:
    case = get_case(case_ref, session=session)
    doc = measures_for(case.kind, case.family_size, case.has_job_offer, case.quota_year, session=session,
                       lang=lang)
    return {"case": case.number, "kind": case.kind, **doc}
