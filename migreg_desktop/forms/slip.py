"""Receipt slip for the applicant: documents accepted, case number, date, clerk, how to check the
status. Half a page: kk and ru copies fit on one sheet (layout ``both_languages``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from migreg_desktop.forms import labels as L
from migreg_desktop.forms.application import documents_table
from migreg_desktop.forms.common import (
    clerk_line,
    header,
    load_case,
    pair,
    person_name,
    signature,
    territory_path,
)
from migreg_desktop.i18n import translator


def receipt(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    t = translator(lang)
    _c, case = load_case(ref, session=session)
    data = header(case, lang, session=session)
    clerk = clerk_line(case.get("clerk"), session=session)  # full name and position (issue 14)
    received = datetime.fromisoformat(case["created_at"]).strftime("%d.%m.%Y")
    data.update({
        "title": t.pgettext("form", "Receipt for the documents accepted"),
        "applicant_name": person_name(case["applicant"]),
        "r.applicant": pair(t.pgettext("form", "Applicant"), person_name(case["applicant"])),
        "r.iin": pair(t.pgettext("form", "IIN"), case["applicant"].get("iin")),
        "r.kind": pair(t.pgettext("form", "Application"), L.kind_label(case["kind"], t)),
        "r.destination": pair(t.pgettext("form", "Place of settlement"),
                              territory_path(case["destination_kato"], lang, session=session)),
        "r.received": pair(t.pgettext("form", "Received on"), received),
        "r.clerk": pair(t.pgettext("form", "Clerk"), clerk),
        "h.documents": t.pgettext("form", "Documents accepted"),
        "documents": documents_table(case, t),
        "how_to_check": t.pgettext(
            "form", "Keep this receipt. To learn the status of your application, call or visit the career "
            "centre and give the case number {number}; the QR code holds the case id.").format(
            number=case["number"]),
        "sign_clerk": signature(t.pgettext("form", "Documents accepted by"), t, clerk),
    })
    return data
