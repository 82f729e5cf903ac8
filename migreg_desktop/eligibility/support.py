"""Support measures of a case in MCI and tenge for its quota year (Social Code; reference.md).

Amounts are reference data per year (support_measures, mci); nothing here is a constant.

Texts are in ``lang`` (a printed sheet's language, from any thread); None: the window's or the CLI's.

Issue 14: the measures are for people **included in a regional quota**. ``case_support`` is the
one answer the CLI (`support CASE`), the support panel and the sheets read:

- ``entitlement``: ``entitled`` (included in a quota, or moved/closed after inclusion),
  ``forecast`` (no rule fails, not yet included: the amounts are a forecast), ``none`` (not
  eligible, refused or withdrawn, or a kind of case with no measures: no measures, total 0);
- each measure has a ``recipient``: ``family`` or ``employer``; ``total_tenge`` is the family's
  total, ``employer_tenge`` what the employer would receive (never part of the family's total).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from migreg_desktop.cases.cases import get_case
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, Translator, fmt_money, translator
from migreg_desktop.models import StatusChange
from migreg_desktop.refdata.refvalues import value

MEASURE_LABELS = {
    "relocation_subsidy": N_("Relocation subsidy"),
    "rent_utilities": N_("Rent and utilities subsidy"),
    "employer_subsidy": N_("Employer subsidy"),
    "housing_certificate": N_("Economic mobility certificate (housing)"),
}
BASIS_LABELS = {
    "per_person": N_("{mci} MCI × {persons} person(s)"),
    "per_family_month": N_("{mci} MCI × {months} months per family"),
    "range_per_family_month": N_("{low}–{high} MCI a month per family for {months} months; {mci} MCI used: {rule}"),
    "per_worker": N_("{mci} MCI per resettled worker, paid to the employer"),
    "cap_per_family": N_("{share} % of the home's cost, at most {cap} per family"),
    "share_capped": N_("{share} % of the home's cost, at most {cap} per family"),
    "capped_mci": N_("at most {mci} MCI ({cap}) per family"),
    "fixed_mci": N_("{mci} MCI per family, at most the home's cost"),
}
RATE_RULES = {
    "minimum": N_("the lower amount, until the rule that picks the amount is confirmed"),
    "maximum": N_("the higher amount, until the rule that picks the amount is confirmed"),
    "family_size": N_("the higher amount from {persons} persons (a rule to be confirmed)"),
}
ENTITLEMENT_LABELS = {
    "entitled": N_("entitled: included in a regional quota"),
    "forecast": N_("forecast: eligible, not yet included in a quota"),
    "none": N_("not entitled to support measures"),
}
FORECAST_OPEN = N_("forecast: open questions remain (see the decision), not yet included in a quota")
RECIPIENTS = ("family", "employer")
NONE_REASONS = {
    "no_measures": N_("the Rules give this kind of case no quota support measures; the oblast has set none (to be confirmed)"),
    "not_eligible": N_("the case is not eligible: support measures are for people included in a regional quota"),
    "inactive": N_("the case was refused or withdrawn without inclusion in a quota"),
}
INCLUDED_STATUSES = ("included", "moved", "closed")


def _specs(kind: str, year: int, *, session: Session) -> list[dict[str, Any]]:
    """The measures of a kind of case in a year: quota measures, or the oblast's intra-oblast ones."""
    if kind == "intra_oblast":
        return list(value("support_measures", year, "intra_oblast_measures", session=session) or [])
    return list(value("support_measures", year, "measures", session=session) or [])


def measures_for(kind: str, family_size: int, has_job_offer: bool, year: int, *, session: Session,
                 lang: str | None = None) -> dict[str, Any]:
    """The amounts of a case's measures (whoever is entitled): family's and employer's totals apart."""
    t = translator(lang)
    mci = value("mci", year, "mci", session=session)
    measures = value("support_measures", year, "measures", session=session)
    if not mci or not measures:
        raise UserError(N_("no MCI or support amounts for {year} in the reference data"), field="quota_year", year=year)
    out = [m for m in (_measure(spec, family_size, has_job_offer, mci, t) for spec in _specs(kind, year, session=session))
           if m]
    family = [m for m in out if m["recipient"] == "family" and m["mci"] is not None]
    employer = [m for m in out if m["recipient"] == "employer" and m["mci"] is not None]
    total_mci = sum(m["mci"] for m in family)
    employer_mci = sum(m["mci"] for m in employer)
    return {"year": year, "mci_tenge": mci, "mci_tenge_text": fmt_money(mci, t.lang), "persons": family_size,
            "measures": out, "total_mci": total_mci, "total_tenge": total_mci * mci,
            "total_tenge_text": fmt_money(total_mci * mci, t.lang), "employer_mci": employer_mci,
            "employer_tenge": employer_mci * mci, "employer_tenge_text": fmt_money(employer_mci * mci, t.lang)}


def _rent_rate(spec: dict[str, Any], persons: int, t: Translator) -> tuple[int, str]:
    """⚠ Rent: 15–30 MCI; which amount applies is not confirmed, so the rule is a parameter."""
    low, high = int(spec["mci_min"]), int(spec["mci_max"])
    rule = spec.get("rate_rule") or {"by": "minimum"}
    by = rule.get("by", "minimum")
    if by == "maximum":
        return high, t.gettext(RATE_RULES["maximum"])
    if by == "family_size":
        threshold = int(rule.get("from_persons", 99))
        return (high if persons >= threshold else low), t.gettext(RATE_RULES["family_size"]).format(persons=threshold)
    return low, t.gettext(RATE_RULES["minimum"])


def _measure(spec: dict[str, Any], persons: int, has_job_offer: bool, mci: int,
             t: Translator) -> dict[str, Any] | None:
    basis = spec.get("basis")
    if spec.get("needs") == "job_offer" and not has_job_offer:
        return None
    recipient = spec.get("recipient") or ("employer" if spec.get("id") == "employer_subsidy" else "family")
    extra: dict[str, Any] = {}
    if basis == "per_person":
        amount = spec["mci"] * persons
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["mci"], persons=persons)
    elif basis == "per_family_month" and "mci_large_family" not in spec:
        amount = spec["mci"] * spec.get("months", 12)
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["mci"], months=spec.get("months", 12))
    elif basis in ("range_per_family_month", "per_family_month"):
        if basis == "per_family_month":  # a package in the format before issue 14: 15/30 and a threshold
            spec = {**spec, "mci_min": spec["mci"], "mci_max": spec["mci_large_family"],
                    "rate_rule": {"by": "family_size", "from_persons": spec.get("large_family_from", 99)}}
        rate, rule = _rent_rate(spec, persons, t)
        months = spec.get("months", 12)
        amount = rate * months
        detail = t.gettext(BASIS_LABELS["range_per_family_month"]).format(low=spec["mci_min"], high=spec["mci_max"],
                                                                  months=months, mci=rate, rule=rule)
        extra = {"range_mci": [spec["mci_min"], spec["mci_max"]], "rate_mci": rate,
                 "rate_rule": spec.get("rate_rule") or {"by": "minimum"}, "rate_rule_confirmed": False}
    elif basis == "per_worker":
        amount = spec["mci"]
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["mci"])
    elif basis == "fixed_mci":
        amount = spec["mci"]
        detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["mci"])
        extra = {"at_most_cost": bool(spec.get("at_most_cost", True))}
    elif basis in ("cap_per_family", "share_capped", "capped_mci"):
        if basis == "capped_mci":
            cap = int(spec["cap_mci"]) * mci
            detail = t.gettext(BASIS_LABELS[basis]).format(mci=spec["cap_mci"], cap=fmt_money(cap, t.lang))
        else:
            cap = spec.get("cap_tenge", 0)
            detail = t.gettext(BASIS_LABELS[basis]).format(share=int(spec.get("share", 0.5) * 100), cap=fmt_money(cap, t.lang))
        return {"measure": spec["id"], "label": t.gettext(MEASURE_LABELS.get(spec["id"], spec["id"])), "mci": None,
                "tenge": None, "cap_tenge": cap, "tenge_text": t.gettext("up to {amount}").format(amount=fmt_money(cap, t.lang)),
                "detail": detail, "recipient": recipient, "reference": spec.get("reference", ""),
                "confirmed": bool(spec.get("confirmed", False))}
    else:
        return None
    return {"measure": spec["id"], "label": t.gettext(MEASURE_LABELS.get(spec["id"], spec["id"])), "mci": amount,
            "tenge": amount * mci, "tenge_text": fmt_money(amount * mci, t.lang), "detail": detail, "recipient": recipient,
            "reference": spec.get("reference", ""), "confirmed": bool(spec.get("confirmed", False)), **extra}


def _was_included(case_id: str, *, session: Session) -> bool:
    return session.exec(select(StatusChange.id).where(StatusChange.case_id == case_id,
                                                      StatusChange.to_status == "included")).first() is not None


def entitlement(case: Any, verdict: str, *, has_measures: bool, session: Session) -> tuple[str, str | None]:
    """(entitled | forecast | none, the reason of a ``none``)."""
    if not has_measures:
        return "none", "no_measures"
    if case.status in INCLUDED_STATUSES and _was_included(case.id, session=session):
        return "entitled", None
    if case.status in ("refused", "withdrawn", "closed"):
        return "none", "inactive"
    if verdict == "not_eligible":
        return "none", "not_eligible"
    return "forecast", None  # eligible, or open questions only (no rule fails): labelled a forecast


def case_support(case_ref: str, *, session: Session, lang: str | None = None) -> dict[str, Any]:
    from migreg_desktop.eligibility.eligibility import effective_decision

    case = get_case(case_ref, session=session)
    t = translator(lang)
    doc = measures_for(case.kind, case.family_size, case.has_job_offer, case.quota_year, session=session,
                       lang=t.lang)
    decision = effective_decision(case.id, session=session)
    state, why = entitlement(case, decision.verdict, has_measures=bool(doc["measures"]), session=session)
    if state == "none":
        zero = fmt_money(0, t.lang)
        doc.update(measures=[], total_mci=0, total_tenge=0, total_tenge_text=zero, employer_mci=0,
                   employer_tenge=0, employer_tenge_text=zero)
    open_questions = state == "forecast" and decision.verdict != "eligible"
    label = FORECAST_OPEN if open_questions else ENTITLEMENT_LABELS[state]
    return {"case": case.number, "kind": case.kind, "status": case.status, "verdict": decision.verdict,
            "entitlement": state, "entitlement_text": t.gettext(label),
            "entitlement_reason": why, "entitlement_reason_text": t.gettext(NONE_REASONS[why]) if why else "",
            "forecast": state == "forecast", **doc}
