"""Batch printing: all receipt slips of a day in one PDF (the register is in ``render_register``),
and one form for every case the clerk selected on the Cases page (issue 15).

The core takes ``progress(done, total)`` and ``cancelled()``; the window runs it in a QThreadPool
worker, the CLI with a terminal bar. A cancelled batch leaves no file behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from migreg_desktop.cases import register_query
from migreg_desktop.cases.cases import get_case
from migreg_desktop.errors import UserError
from migreg_desktop.forms import FORMS, FormSpec, copies, forms_for_kind, get_spec, print_audit
from migreg_desktop.forms.layout import load_layout
from migreg_desktop.forms.render import IsCancelled, Job, Progress, write_pdf
from migreg_desktop.i18n import N_

# "The application": each case's own application form (kandas, resettler, intra-oblast), so a
# selection of mixed kinds prints in one go.
APPLICATION = "application"
APPLICATION_TITLE = N_("Application (each case's own form)")
MAX_CASES = 100_000  # a bound on untrusted input; more than an office holds
MSG_NO_CASES = N_("no cases chosen")
MSG_TOO_MANY = N_("at most {max} cases in one operation")


def render_slips_of_day(office: str, day: date, lang: str, out: str | os.PathLike[str], *, session: Session,
                        progress: Progress | None = None, cancelled: IsCancelled | None = None,
                        form: str = "receipt", output: str | None = None) -> dict[str, Any]:
    ids = register_query.case_ids_of_day(office, day, session=session)
    spec, layout, langs = get_spec(form), load_layout(form), copies(lang)

    def jobs() -> Iterator[Job]:
        for n, case_id in enumerate(ids, start=1):
            yield Job(layout, [spec.build(case_id, one, session=session) for one in langs])
            if progress:
                progress(n, len(ids))

    pages = write_pdf(out, jobs(), cancelled=cancelled) if ids else 0
    if output and ids:  # one audit entry per case printed, in this one transaction
        print_audit.record_cases(form, ids, lang, output, day=day, session=session)
    return {"office": office, "day": day.isoformat(), "lang": lang, "out": str(out), "pages": pages,
            "cases": len(ids)}


def batch_forms(kinds: set[str]) -> list[tuple[str, str]]:
    """(name, title msgid) of the forms that fit every kind among the selected cases; for mixed
    kinds, "the application" stands for each case's own application form."""
    fitting = [(s.name, s.title) for s in FORMS.values() if not s.kinds or kinds <= set(s.kinds)]
    return [(APPLICATION, APPLICATION_TITLE), *fitting] if len(kinds) > 1 else fitting


def _spec(form: str, kind: str) -> FormSpec:
    if form != APPLICATION:
        return get_spec(form)
    return next(s for s in forms_for_kind(kind) if s.name.startswith("application_"))


def render_cases(form: str, case_ids: Sequence[str], lang: str, out: str | os.PathLike[str], *,
                 session: Session, progress: Progress | None = None, cancelled: IsCancelled | None = None,
                 output: str | None = None) -> dict[str, Any]:
    """One PDF: ``form`` for every case of ``case_ids`` (in their order), each in ``lang`` (kk, ru or
    both). ``output`` (file | printer | window) audits each case like a single print; None is a
    preview. Cancel leaves no file (write_pdf's temp file) and audits nothing."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise UserError(MSG_NO_CASES, field="cases")
    if len(ids) > MAX_CASES:
        raise UserError(MSG_TOO_MANY, field="cases", max=MAX_CASES)
    langs = copies(lang)
    if form != APPLICATION:
        get_spec(form)  # an unknown form is refused before any page
    printed: list[tuple[str, str]] = []  # (form, case id) in print order

    def jobs() -> Iterator[Job]:
        for n, ref in enumerate(ids, start=1):
            case = get_case(ref, session=session)
            spec = _spec(form, case.kind)
            yield Job(load_layout(spec.name), [spec.build(case.id, one, session=session) for one in langs])
            printed.append((spec.name, case.id))
            if progress:
                progress(n, len(ids))

    pages = write_pdf(out, jobs(), cancelled=cancelled)
    if output:
        _record(printed, lang, output, session)
    return {"form": form, "lang": lang, "out": str(out), "pages": pages, "cases": len(printed)}


def audit_printed(form: str, case_ids: Sequence[str], lang: str, output: str, *, session: Session) -> int:
    """The window made the PDF as a preview and the printer took it: audit it now, as render_cases
    would have (each case with its own form when ``form`` is "the application")."""
    printed = []
    for ref in dict.fromkeys(case_ids):
        case = get_case(ref, session=session)
        printed.append((_spec(form, case.kind).name, case.id))
    return _record(printed, lang, output, session)


def _record(printed: list[tuple[str, str]], lang: str, output: str, session: Session) -> int:
    """One entry per case, like a single print (print_audit: the chain's head is read once per
    transaction, so hundreds of entries stay cheap)."""
    for name, case_id in printed:
        print_audit.record_form(name, case_id, lang, output, session=session)
    return len(printed)
