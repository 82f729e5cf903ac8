"""Reading eligibility decisions and support amounts for the forms, from the eligibility issue's
services when they are installed (``services.eligibility`` / ``services.support``).

The forms never compute eligibility themselves: until those services are merged the decision
sheet and the support calculation print a clear "not checked yet" line. The shapes accepted are
the CLI contract of that issue (``check CASE --json``: rules with rule/result/reason/reference;
``support CASE --json``: measures with MCI and tenge) or its stored decision rows; the adapter
below is the one place to adjust if the names differ when the branches merge.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
from typing import Any

from sqlmodel import Session

DECISION_GETTERS = ("latest_decision", "last_decision", "current_decision", "get_latest_decision", "get_decision")
SUPPORT_GETTERS = ("support_for_case", "calculate_support", "case_support", "calculate", "compute", "support")


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(f"migreg_desktop.services.{name}")
    except ImportError:
        return None


class _NoMatch(Exception):
    """A function of that name exists but takes something else than a case."""


def _call(fn: Any, case_id: str, lang: str, session: Session) -> Any:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError) as exc:
        raise _NoMatch from exc
    if "session" not in params:
        raise _NoMatch
    kwargs: dict[str, Any] = {"session": session}
    if "lang" in params:
        kwargs["lang"] = lang
    try:
        inspect.signature(fn).bind(case_id, **kwargs)
    except TypeError as exc:
        raise _NoMatch from exc
    return fn(case_id, **kwargs)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value


def latest_decision(case_id: str, lang: str, *, session: Session) -> dict[str, Any] | None:
    """{"verdict", "eligible", "checked_at", "rules_version", "reference_version",
    "rules": [{"rule", "result", "reason", "reference"}]} or None when never checked."""
    svc = _module("eligibility")
    if svc is not None:
        for name in DECISION_GETTERS:
            fn = getattr(svc, name, None)
            if callable(fn):
                try:
                    found = _call(fn, case_id, lang, session)
                except _NoMatch:
                    continue
                return _normalise_decision(found, lang) if found is not None else None
    return _stored_decision(case_id, lang, session)


def _stored_decision(case_id: str, lang: str, session: Session) -> dict[str, Any] | None:
    try:
        model = importlib.import_module("migreg_desktop.models.eligibility").EligibilityDecision
    except (ImportError, AttributeError):
        return None
    from sqlmodel import col, select

    row = session.exec(select(model).where(model.case_id == case_id).order_by(col(model.id).desc())).first()
    return _normalise_decision(row, lang) if row is not None else None


def _normalise_decision(found: Any, lang: str) -> dict[str, Any]:
    doc = _plain(found)
    if not isinstance(doc, dict):
        doc = {k: getattr(found, k) for k in dir(found) if not k.startswith("_") and not callable(getattr(found, k))}
    rules = doc.get("rules") or doc.get("results") or []
    if isinstance(rules, str):
        rules = json.loads(rules)
    out = {k: doc.get(k) for k in ("verdict", "eligible", "rules_version", "reference_version")}
    out["checked_at"] = doc.get("checked_at") or doc.get("date") or doc.get("checked_on")
    out["rules"] = [_rule(r, lang) for r in rules if _plain(r).get("applies", True) is not False]
    if not out["verdict"]:
        worst = {r["result"] for r in out["rules"]}
        out["verdict"] = "not_eligible" if "fail" in worst else "needs_check" if "needs_check" in worst else "eligible"
    return out


def _rule(r: Any, lang: str) -> dict[str, str]:
    if hasattr(r, "reason") and callable(r.reason):
        return {"rule": r.rule, "result": r.result, "reason": r.reason(lang),
                "reference": r.reference_text(lang) if hasattr(r, "reference_text") else r.reference}
    r = _plain(r)
    reason = r.get("reason")
    reference = r.get("reference", "")
    if reason is None and r.get("msgid"):
        reason, reference = _render(r["msgid"], r.get("params") or {}, lang), _render(reference, {}, lang)
    return {"rule": r.get("rule", ""), "result": r.get("result", ""), "reason": reason or "",
            "reference": reference or ""}


def _render(msgid: str, params: dict[str, Any], lang: str) -> str:
    try:
        from migreg_desktop.rules.base import render  # the eligibility issue's reason renderer
        return render(msgid, params, lang)
    except ImportError:
        from ..i18n import tr

        return tr(msgid, lang).format(**params) if params else tr(msgid, lang)


def support_for(case_id: str, lang: str, *, session: Session) -> dict[str, Any] | None:
    """{"year", "mci", "measures": [{"code", "name", "reference", "detail", "mci", "tenge", "cap_tenge",
    "tenge_text", "per_person_mci"}], "total_tenge"}."""
    svc = _module("support")
    if svc is None:
        return None
    for name in SUPPORT_GETTERS:
        fn = getattr(svc, name, None)
        if callable(fn) and not inspect.isclass(fn):
            try:
                found = _plain(_call(fn, case_id, lang, session))
            except _NoMatch:
                continue
            return _normalise_support(found) if isinstance(found, dict) else None
    return None


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
        })
    return {"year": _first(doc, "year", "quota_year"), "mci": _first(doc, "mci", "mci_value", "mci_tenge"),
            "measures": measures, "total_tenge": _first(doc, "total_tenge", "total")}
