"""The eligibility decision and the support amounts as the forms print them.

The forms never compute eligibility themselves: they read the stored decision
(``eligibility.latest``; None prints "not checked yet") and ``support.case_support`` (the
``support CASE --json`` document) and flatten both into the shapes the sheets draw.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sqlmodel import Session


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value


def latest_decision(case_id: str, lang: str, *, session: Session) -> dict[str, Any] | None:
    """{"verdict", "eligible", "checked_at", "checked_on", "seq", "rules_version", "reference_version",
    "rules": [{"rule", "result", "reason", "reference"}]} or None when never checked."""
    from migreg_desktop.eligibility.eligibility import history, latest

    row = latest(case_id, session=session)
    if row is None:
        return None
    out = _normalise_decision(row, lang)
    out["checked_on"] = getattr(row, "checked_on", None) or None
    out["seq"] = len(history(case_id, session=session))  # its place in the case's history (outgoing No.)
    return out


def _normalise_decision(found: Any, lang: str) -> dict[str, Any]:
    doc = _plain(found)
    if not isinstance(doc, dict):
        doc = {k: getattr(found, k) for k in dir(found) if not k.startswith("_") and not callable(getattr(found, k))}
    rules = doc.get("rules") or doc.get("results") or []
    if isinstance(rules, str):
        rules = json.loads(rules)
    out: dict[str, Any] = {k: doc.get(k) for k in ("verdict", "eligible", "rules_version", "reference_version")}
    out["checked_at"] = doc.get("checked_at") or doc.get("date") or doc.get("checked_on")
    out["rules"] = [_rule(r, lang) for r in rules if _plain(r).get("applies", True) is not False]
    if not out["verdict"]:
        worst = {r["result"] for r in out["rules"]}
        out["verdict"] = "not_eligible" if "fail" in worst else "needs_check" if "needs_check" in worst else "eligible"
    return out


def _rule(r: Any, lang: str) -> dict[str, str]:
    if hasattr(r, "reason") and callable(r.reason):
        return {"rule": r.rule, "result": r.result, "reason": r.reason(lang),
                "reference": r.reference_text(lang) if hasattr(r, "reference_text") else r.reference,
                "reference_id": r.reference}
    r = _plain(r)
    reason = r.get("reason")
    reference = r.get("reference", "")
    if reason is None and r.get("msgid"):
        reason, reference = _render(r["msgid"], r.get("params") or {}, lang), _render(reference, {}, lang)
    return {"rule": r.get("rule", ""), "result": r.get("result", ""), "reason": reason or "",
            "reference": reference or "", "reference_id": r.get("reference") or ""}


def _render(msgid: str, params: dict[str, Any], lang: str) -> str:
    try:
        from migreg_desktop.rules.base import render  # the eligibility issue's reason renderer
        return render(msgid, params, lang)
    except ImportError:
        from migreg_desktop.i18n import tr

        return tr(msgid, lang).format(**params) if params else tr(msgid, lang)


def support_for(case_id: str, lang: str, *, session: Session) -> dict[str, Any] | None:
    """{"year", "mci", "measures": [{"code", "name", "reference", "detail", "mci", "tenge", "cap_tenge",
    "tenge_text", "per_person_mci", "recipient", "confirmed"}], "total_tenge", "employer_tenge",
    "entitlement", "entitlement_text", "entitlement_reason_text"}."""
    from migreg_desktop.eligibility.support import case_support

    return _normalise_support(case_support(case_id, session=session, lang=lang))


def _first(d: dict[str, Any], *keys: str) -> Any:
    return next((d[k] for k in keys if d.get(k) is not None), None)


def _normalise_support(doc: dict[str, Any]) -> dict[str, Any]:
    measures = []
    for m in doc.get("measures") or []:
        m = _plain(m)
        measures.append({
            "code": _first(m, "measure", "code", "key") or "",
            "name": _first(m, "name", "label", "title"),
            # services.support (``support CASE --json``) says "reference" for the legal text and
            # "detail" for the calculation ("70 MCI × 4 persons"); the other names are fallbacks.
            "reference": _first(m, "reference", "legal_basis", "law") or "",
            "detail": _first(m, "detail", "basis", "formula", "note") or "",
            "mci": _first(m, "mci", "amount_mci", "total_mci"),
            "tenge": _first(m, "tenge", "amount_tenge", "total_tenge", "amount"),
            # A ceiling (economic mobility certificate): no MCI, no fixed sum, "up to" an amount.
            "cap_tenge": _first(m, "cap_tenge", "max_tenge", "ceiling_tenge"),
            "tenge_text": _first(m, "tenge_text", "amount_text"),
            "per_person_mci": _first(m, "per_person_mci", "mci_per_person"),
            # issue 14: who receives it (the employer subsidy is never the family's) and whether the
            # amount is confirmed by an official text (⚠ / "*" on paper)
            "recipient": m.get("recipient") or "family",
            "confirmed": bool(m.get("confirmed", True)),
        })
    return {"year": _first(doc, "year", "quota_year"), "mci": _first(doc, "mci", "mci_value", "mci_tenge"),
            "measures": measures, "total_tenge": _first(doc, "total_tenge", "total"),
            "employer_tenge": doc.get("employer_tenge") or 0,
            "entitlement": doc.get("entitlement") or "forecast",
            "entitlement_text": doc.get("entitlement_text") or "",
            "entitlement_reason_text": doc.get("entitlement_reason_text") or ""}
