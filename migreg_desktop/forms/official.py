"""What makes a decision sheet a paper an office can sign (issue 14): the issuing body's official
name, an outgoing number and date, the signing official's full name and position, the place of
the stamp (М.О. / М.П.), the Rules named in full and the appeal route.

The Department's name and the appeal route are reference data (``rule_parameters`` →
``official_texts``, per year), listed as unconfirmed (⚠) until the oblast's package confirms them;
the paper then marks them "*" with the footnote.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from migreg_desktop.forms.common import act_name, day, signature
from migreg_desktop.i18n import Translator
from migreg_desktop.refdata.refvalues import value

UNCONFIRMED_MARK = "*"


def _texts(year: int, *, session: Session) -> tuple[dict[str, Any], bool]:
    texts = value("rule_parameters", year, "official_texts", session=session) or {}
    unconfirmed = "official_texts" in (value("rule_parameters", year, "unconfirmed", session=session) or [])
    return texts, unconfirmed


def _in(texts: dict[str, Any], key: str, lang: str) -> str:
    item = texts.get(key) or {}
    return str(item.get(lang) or "") if isinstance(item, dict) else str(item)


def outgoing_number(case_number: str, seq: int) -> str:
    """The case number and the decision's place in the case's history: the same sheet printed
    twice carries the same number; a new check gives a new one."""
    return f"{case_number}/{seq}"


def official_fields(case: dict[str, Any], found: dict[str, Any] | None, office: str, signer: str,
                    t: Translator, *, session: Session) -> dict[str, Any]:
    """``found``: the decision (latest_decision) or None when never checked (no number, no route).
    ``signer``: the signing official as printed ("full name, position")."""
    texts, unconfirmed = _texts(int(case["quota_year"]), session=session)
    mark = UNCONFIRMED_MARK if unconfirmed else ""
    department = _in(texts, "department", t.lang)
    out: dict[str, Any] = {
        "issuer": "\n".join(x for x in (department + mark if department else "", office) if x),
        "act": t.pgettext("form", "Legal act: {act}").format(act=act_name(t)),
        "sign_official": signature(t.pgettext("form", "Official"), t, signer),
        "stamp": t.pgettext("form", "Place of the stamp"),
        "unconfirmed": bool(mark and (department or _in(texts, "appeal_route", t.lang))),
    }
    if found is not None:
        out["outgoing"] = t.pgettext("form", "Outgoing No. {number} of {date}").format(
            number=outgoing_number(case["number"], int(found.get("seq") or 1)),
            date=day(found.get("checked_on") or str(found.get("checked_at") or "")[:10]))
        route = _in(texts, "appeal_route", t.lang)
        if route:
            out["appeal"] = t.pgettext("form", "Appeal: {route}").format(route=route + mark)
    return out
