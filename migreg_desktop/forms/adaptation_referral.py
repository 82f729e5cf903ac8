"""Referral to the kandas adaptation and integration centre (Rules §2.3: temporary accommodation
and adaptation services; §9–10: adaptation of kandases), kk or ru, kandas cases only.

Who is referred: the people with a stay in an adaptation centre recorded on the case
(``department.adaptation.centre_stays``, with its dates); when none is recorded (a district
office records none) the applicant and the family members moving with them, the dates left for
the centre to fill in. The wording is ours, not an official form ⚠ (forms catalog).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit
from migreg_desktop.forms import labels as L
from migreg_desktop.forms.application import _check_kind
from migreg_desktop.forms.common import (
    act_name,
    clerk_line,
    day,
    header,
    load_case,
    pair,
    person_name,
    short_name,
    signature,
    territory_path,
)
from migreg_desktop.i18n import Translator, translator

BLANK = "__________"


def _period(stay: dict[str, Any] | None) -> str:
    if stay is None:
        return f"{BLANK} – {BLANK}"
    return f"{day(stay['started_on'])} – {day(stay['ended_on']) if stay['ended_on'] else BLANK}"


def _people(case: dict[str, Any], stays: list[dict[str, Any]], t: Translator) -> list[dict[str, str]]:
    """(person, relation) rows: the recorded stays, or the whole family when none is recorded."""
    people = [(case["applicant"], t.pgettext("form", "applicant"))] + \
        [(m, L.relation_label(m.get("relation"), t)) for m in case["family"]]
    by_id = {(p.get("id") if p is not case["applicant"] else None): (p, rel) for p, rel in people}
    chosen = [(by_id[s["person_id"]], s) for s in stays if s["person_id"] in by_id] if stays else \
        [(pr, None) for pr in people]
    return [{"n": str(i), "name": person_name(p), "relation": rel, "iin": p.get("iin") or "",
             "birth": day(p.get("birth_date")), "period": _period(stay)}
            for i, ((p, rel), stay) in enumerate(chosen, start=1)]


def adaptation_referral(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    from migreg_desktop.department.adaptation import centre_stays

    t = translator(lang)
    _c, case = load_case(ref, session=session)
    _check_kind("adaptation_referral", case, "kandas", t)
    data = header(case, lang, session=session)
    a = case["applicant"]
    cert = " ".join(x for x in (a.get("kandas_certificate_no"), day(a.get("kandas_certificate_date"))) if x)
    data.update({
        "to": t.pgettext("form", "To: the kandas adaptation and integration centre"),
        "title": t.pgettext("form", "Referral to the kandas adaptation and integration centre"),
        "applicant_name": person_name(a),
        "statement": t.pgettext(
            "form", "{office} refers the kandas named below and the family members listed for temporary "
            "accommodation and adaptation and integration services (Rules, points 2.3, 9 and 10).").format(
            office=data["office"]),
        "a.applicant": pair(t.pgettext("form", "Applicant"), person_name(a)),
        "a.iin": pair(t.pgettext("form", "IIN"), a.get("iin")),
        "a.certificate": pair(t.pgettext("form", "Kandas certificate No., date"), cert),
        "a.origin_country": pair(t.pgettext("form", "Country of origin"), a.get("origin_country")),
        "a.destination": pair(t.pgettext("form", "Place of settlement"),
                              territory_path(case["destination_kato"], lang, session=session)),
        "a.phone": pair(t.pgettext("form", "Phone"), a.get("phone")),
        "h.people": t.pgettext("form", "Persons referred"),
        "people": {"columns": {"n": "№", "name": t.pgettext("form", "Surname, name, patronymic"),
                               "relation": t.pgettext("form", "Relation"), "iin": t.pgettext("form", "IIN"),
                               "birth": t.pgettext("form", "Date of birth"),
                               "period": t.pgettext("form", "Stay, from – to")},
                   "rows": _people(case, centre_stays(case["id"], session=session), t)},
        "act": t.pgettext("form", "Legal act: {act}").format(act=act_name(t)),
        "sign_official": signature(t.pgettext("form", "Official"), t,
                                   clerk_line(audit.actor(session), session=session)),
        "stamp": t.pgettext("form", "Place of the stamp"),
        "sign_applicant": signature(t.pgettext("form", "Referral received by the applicant"), t, short_name(a)),
    })
    return data
