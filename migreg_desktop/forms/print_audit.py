"""Printing a personal form is an audit entry (issue 7 §2: "print of a personal form").

Written when a document leaves the program: the CLI's ``--out`` file, the window's *Print…* and
*Save as…* of one case's form, a batch (register, slips of a day) started on the Printing page.
A preview shown inside the program is not a print. The entry says which form, in which
language, where it went (``output``: file | printer | window) and for which case (entity
``case``) or office and period (entity ``register``); never a file name, a name or an IIN.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session

from migreg_desktop.accounts import audit

OUTPUTS = ("file", "printer", "window")
REGISTER = "register"


def _changes(form: str, lang: str, output: str, **extra: object) -> dict[str, list[object]]:
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {OUTPUTS}: {output!r}")  # a programming error
    values = {"form": form, "lang": lang, "output": output, **extra}
    return {k: [None, v] for k, v in values.items()}


def record_form(form: str, case_id: str, lang: str, output: str, *, session: Session) -> None:
    """One form of one case (``form NAME CASE``, the print dialog)."""
    audit.record("print", "case", case_id, _changes(form, lang, output), session=session)


def record_register(office: str, start: date, end: date, lang: str, output: str, cases: int, *,
                    session: Session) -> None:
    period = f"{start.isoformat()}/{end.isoformat()}"
    audit.record("print", REGISTER, office, _changes(REGISTER, lang, output, office=office, period=period,
                                                     cases=cases), session=session)


def record_cases(form: str, case_ids: Iterable[str], lang: str, output: str, *, session: Session,
                 day: date | None = None) -> int:
    """A batch (all slips of a day): one entry per case, all in the caller's one transaction
    (the chain's head is read once per transaction, so hundreds of entries stay cheap)."""
    extra = {"day": day.isoformat()} if day else {}
    n = 0
    for case_id in case_ids:
        audit.record("print", "case", case_id, _changes(form, lang, output, **extra), session=session)
        n += 1
    return n
