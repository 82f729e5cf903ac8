"""Refusal receipt: the documents are not accepted because papers are missing or expired (⚠ 2026
voluntary resettlement rules: incomplete or expired documents are refused at acceptance and the
applicant is given a receipt listing them). kk or ru, one A4 page; the list comes from
``eligibility.documents`` (the same facts and parameters as the ``documents_valid`` rule)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.forms import labels as L
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
from migreg_desktop.forms.decision import UNCONFIRMED, printable
from migreg_desktop.i18n import N_, Translator, tr, translator

MSG_NOTHING_TO_REFUSE = N_("case {number}: no document is missing or expired, so there is no refusal receipt "
                           "to print")


def _document(code: str, t: Translator) -> str:
    if code == "identity":
        return t.pgettext("form", "identity document (identity card or passport)")
    return L.document_label(code, t)


def _problem(p: dict[str, Any], t: Translator) -> str:
    if p["problem"] == "expired":
        return t.pgettext("form", "expired on {date}").format(date=day(p["expired_on"]))
    return t.pgettext("form", "not submitted")


def refusal_receipt(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    from migreg_desktop.eligibility.documents import refused_documents

    t = translator(lang)
    _c, case = load_case(ref, session=session)
    found = refused_documents(case["id"], session=session)
    if not found["problems"]:  # a receipt of refusal with nothing refused would mislead the applicant
        raise UserError(MSG_NOTHING_TO_REFUSE, field="form", number=case["number"])
    data = header(case, lang, session=session)
    a = case["applicant"]
    clerk = clerk_line(case.get("clerk"), session=session)
    reference = tr(found["reference"], lang)
    data.update({
        "title": t.pgettext("form", "Receipt of refusal to accept the documents"),
        "applicant_name": person_name(a),
        "x.applicant": pair(t.pgettext("form", "Applicant"), person_name(a)),
        "x.iin": pair(t.pgettext("form", "IIN"), a.get("iin")),
        "x.kind": pair(t.pgettext("form", "Application"), L.kind_label(case["kind"], t)),
        "x.destination": pair(t.pgettext("form", "Place of settlement"),
                              territory_path(case["destination_kato"], lang, session=session)),
        "x.applied": pair(t.pgettext("form", "Applied on"), day(found["applied_on"])),
        "x.clerk": pair(t.pgettext("form", "Clerk"), clerk),
        "statement": t.pgettext(
            "form", "The documents of the application are not accepted: the documents listed below are missing "
            "or expired on the date of the application ({basis}).").format(basis=printable(reference)),
        "documents": {
            "columns": {"n": "№", "doc": t.pgettext("form", "Document"), "problem": t.pgettext("form", "Reason")},
            "rows": [{"n": str(i), "doc": _document(p["doc_type"], t), "problem": _problem(p, t)}
                     for i, p in enumerate(found["problems"], start=1)]},
        "again": t.pgettext("form", "The applicant may apply again with the complete and valid documents."),
        "act": t.pgettext("form", "Legal act: {act}").format(act=act_name(t)),
        "sign_clerk": signature(t.pgettext("form", "Refused by"), t, clerk),
        "sign_applicant": signature(t.pgettext("form", "Receipt received by the applicant"), t, short_name(a)),
    })
    if UNCONFIRMED in reference:
        data["note"] = t.pgettext("form", "* Not yet confirmed by an official text; to be checked.")
    return data
