"""A case's status change with what it means for the quota (Rules §2.6).

``cases.change_status`` records the step in the case's history; this module is the use case the
doors call, because a status also moves places in the quota ledger:

- "included" means included in a regional quota: the case takes its place in the office's
  allotment now, if it holds none yet (``quotas.reserve``, with every check of a reservation —
  a passing current decision, room left). When it cannot, the status does not change and the
  refusal says why (issue 15).
- a withdrawn or refused case gives its reserved places back to the office's allotment (nobody
  will move on them); a moved case keeps them.

The window's status box and `migreg case status` call this one function.
"""

from __future__ import annotations

from sqlmodel import Session

from migreg_desktop.cases import cases
from migreg_desktop.cases.status import allowed, status_label
from migreg_desktop.eligibility.quotas import held_by_case, release_held, reserve
from migreg_desktop.errors import AccessDenied, MigregError, RuleRefused, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Case

RELEASING = ("withdrawn", "refused")
RESERVING = "included"
MSG_NEEDS_PLACE = N_("The status «{status}» needs a quota place, and the case cannot take one: {reason}")


class InclusionRefused(RuleRefused):
    """The status "included" was refused because the case cannot take a quota place; the reason
    is the reservation's own refusal, translated when shown (CLI exit 1: a rule said no)."""

    def __init__(self, cause: MigregError) -> None:
        super().__init__(MSG_NEEDS_PLACE, field="status")
        self.cause = cause

    def message(self) -> str:
        from migreg_desktop.i18n import _

        return _(MSG_NEEDS_PLACE).format(status=status_label(RESERVING), reason=self.cause.message())


def change_status(case_ref: str, to_status: str, comment: str | None = None, *, session: Session) -> Case:
    if to_status == RESERVING:
        _reserve_for_inclusion(case_ref, session=session)
    case = cases.change_status(case_ref, to_status, comment, session=session)
    if to_status in RELEASING:
        release_held(case, session=session)
    return case


def _reserve_for_inclusion(case_ref: str, *, session: Session) -> None:
    """Before the status moves (the step bumps the case's version, and the reservation needs the
    decision of this version). A transition that is not allowed is left to ``cases.change_status``
    to refuse in its own words; a case that already holds its place keeps it."""
    case = cases.get_case(case_ref, session=session)
    if not allowed(case.status, RESERVING) or held_by_case(case.id, session=session)[0]:
        return
    try:
        reserve(case.id, session=session)
    except AccessDenied:
        raise  # who is asking, not the quota's answer
    except (RuleRefused, UserError) as exc:  # not eligible, stale decision, no quota, no room
        raise InclusionRefused(exc) from exc
