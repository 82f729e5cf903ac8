"""Printed forms: a layout file per form (resources/forms/<name>.json) + a data function per form.

The data function builds the form's values from a case, already in the chosen language; the one
renderer (render.py) draws any form. A new form needs a layout file and an entry in ``FORMS``.
No Qt here: the CLI, the window and the tests all print through these functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.forms import (
    adaptation_referral,
    application,
    decision,
    print_audit,
    refusal,
    slip,
)
from migreg_desktop.forms.layout import load_layout
from migreg_desktop.i18n import N_

if TYPE_CHECKING:  # the renderer (ReportLab) loads when something is printed, not with the window
    from migreg_desktop.forms.render import IsCancelled, Job, Progress

LANG_CHOICES = ("kk", "ru", "both")
MSG_UNKNOWN_FORM = N_("unknown form {name}; forms: {names}")
MSG_REGISTER_NOT_CASE = N_("the register is not a form of one case: print it with 'migreg register'")
MSG_BAD_LANG = N_("{lang} is not a language of printed forms (kk, ru or both)")


@dataclass(frozen=True)
class FormSpec:
    name: str
    title: str  # msgid, for menus
    build: Callable[..., dict[str, Any]]  # (case_ref, lang, *, session) -> data
    kinds: tuple[str, ...] = ()  # case kinds the form is for (empty: every kind)


FORMS: dict[str, FormSpec] = {s.name: s for s in (
    FormSpec("application_kandas", N_("Application: regional quota of kandases"), application.application_kandas,
             ("kandas",)),
    FormSpec("application_resettler", N_("Application: regional quota of resettlers"),
             application.application_resettler, ("resettler",)),
    FormSpec("application_intra_oblast", N_("Application: intra-oblast resettlement"),
             application.application_intra_oblast, ("intra_oblast",)),
    FormSpec("receipt", N_("Receipt slip for the applicant"), slip.receipt),
    FormSpec("decision", N_("Eligibility decision sheet"), decision.decision),
    FormSpec("support", N_("Support measures calculation"), decision.support),
    # ⚠ 2026 voluntary resettlement rules: documents incomplete or expired are refused at acceptance
    FormSpec("refusal_receipt", N_("Refusal receipt: documents missing or expired"), refusal.refusal_receipt),
    # Rules §2.3, §9–10: temporary accommodation and adaptation services of kandases
    FormSpec("adaptation_referral", N_("Referral to the kandas adaptation and integration centre"),
             adaptation_referral.adaptation_referral, ("kandas",)),
)}
REGISTER = "register"


def form_names() -> list[str]:
    return [*FORMS, REGISTER]


def get_spec(name: str) -> FormSpec:
    spec = FORMS.get(name)
    if name == REGISTER:
        raise UserError(MSG_REGISTER_NOT_CASE, field="form")
    if spec is None:
        raise UserError(MSG_UNKNOWN_FORM, field="form", name=name, names=", ".join(form_names()))
    return spec


def forms_for_kind(kind: str) -> list[FormSpec]:
    return [s for s in FORMS.values() if not s.kinds or kind in s.kinds]


def languages(name: str) -> tuple[str, ...]:
    """kk and ru for every form; "both" where the layout puts the two copies on one page."""
    return LANG_CHOICES if load_layout(name).get("both_languages") else ("kk", "ru")


def copies(lang: str) -> tuple[str, ...]:
    if lang not in LANG_CHOICES:
        raise UserError(MSG_BAD_LANG, field="lang", lang=lang)
    return ("kk", "ru") if lang == "both" else (lang,)


def build_job(name: str, case_ref: str, lang: str, *, session: Session) -> Job:
    from migreg_desktop.forms.render import Job

    spec = get_spec(name)
    layout = load_layout(name)
    return Job(layout, [spec.build(case_ref, one, session=session) for one in copies(lang)])


def render_form(name: str, case_ref: str, lang: str, out: str | os.PathLike[str], *,
                session: Session, output: str | None = None) -> dict[str, Any]:
    """``output`` (file | printer | window) audits the print; None: a preview, not audited."""
    job = build_job(name, case_ref, lang, session=session)
    from migreg_desktop.forms.render import write_pdf

    pages = write_pdf(out, [job])
    if output:
        from migreg_desktop.cases.cases import get_case

        print_audit.record_form(name, get_case(case_ref, session=session).id, lang, output, session=session)
    first = job.copies[0]
    return {"form": name, "case": first.get("case_number_plain"), "lang": lang, "out": str(out), "pages": pages}


def render_register(office: str, start: date, end: date, lang: str, out: str | os.PathLike[str], *,
                    session: Session, progress: Progress | None = None,
                    cancelled: IsCancelled | None = None, output: str | None = None) -> dict[str, Any]:
    from migreg_desktop.forms import render
    from migreg_desktop.forms.register import register

    layout = load_layout(REGISTER)
    count = 0
    jobs = []
    for one in copies(lang):
        data = register(office, start, end, one, session=session, progress=progress)
        count = data["count"]
        jobs.append(render.Job(layout, [data], {"pages_hint": count // 25 + 1}))  # about 25-30 rows a page
    pages = render.write_pdf(out, jobs, cancelled=cancelled)
    if output:
        print_audit.record_register(office, start, end, lang, output, count, session=session)
    return {"office": office, "from": start.isoformat(), "to": end.isoformat(), "lang": lang,
            "out": str(out), "pages": pages, "cases": count}
