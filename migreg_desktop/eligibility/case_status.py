"""A case's status change with what it means for the quota (Rules §2.6).

``cases.change_status`` records the step in the case's history; this module is the use case the
doors call, because a status also moves places in the quota ledger: a withdrawn or refused case
gives its reserved places back to the office's allotment (nobody will move on them), a moved case
keeps them. The window and the CLI call this one function.
"""

from __future__ import annotations

from sqlmodel import Session

from migreg_desktop.cases import cases
from migreg_desktop.eligibility.quotas import release_held
from migreg_desktop.models import Case

RELEASING = ("withdrawn", "refused")


def change_status(case_ref: str, to_status: str, comment: str | None = None, *, session: Session) -> Case:
    case = cases.change_status(case_ref, to_status, comment, session=session)
    if to_status in RELEASING:
        release_held(case, session=session)
    return case
