"""Many cases' status changed in one operation, and its undo (issue 15: multi-select on the Cases page).

Each case goes through ``case_status.change_status``, the one use case of a status change (history
row, audit entry, quota places), all in the caller's one unit of work. All-or-nothing by default:
the first refusal raises ``BatchRefused`` naming the case and the reason, and the caller's
transaction rolls everything back; ``skip_refused`` keeps the others instead (each case in a
savepoint). The operation itself is one audit entry (action ``status_batch``, entity
``case_batch``, its id a UUIDv7) holding, per case, what its undo needs: the status before, the
case version after, and the quota places it held before and after.

The undo is a new audited operation (``status_batch_undo``); it reverts only if nothing changed
those cases since (same version, same status, same places held), else it refuses, naming the case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.audit_chain import TAIL_KEY
from migreg_desktop.cases import cases
from migreg_desktop.cases.case_document import read_comment
from migreg_desktop.cases.status import STATUSES, is_active
from migreg_desktop.changes import record as record_change
from migreg_desktop.eligibility import case_status, quotas
from migreg_desktop.errors import Cancelled, MigregError, NotFound, RuleRefused, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.ids import uuid7
from migreg_desktop.models import AuditEntry, Case, StatusChange
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.quota import QuotaAllotment
from migreg_desktop.storage.db import begin_immediate
from migreg_desktop.storage.reader import in_lists

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

OPERATION, UNDO, ENTITY = "status_batch", "status_batch_undo", "case_batch"
PRELOAD_CHUNK = 400  # ids and numbers: two bound variables each, below SQLite's 999
MAX_CASES = 100_000  # a bound on untrusted input (a CLI argument list, a file); more than an office holds
MSG_NONE = N_("no cases chosen")
MSG_TOO_MANY = N_("at most {max} cases in one operation")
MSG_CHOICE = N_("{value} is not a status; statuses: {choices}")
MSG_REFUSED = N_("Case {number}: {reason}. Nothing was changed.")
MSG_NO_OPERATION = N_("no status change operation {ref}")
MSG_UNDONE = N_("this status change was already undone")
MSG_CHANGED_SINCE = N_("Case {number} has changed since the status change: undo it case by case.")
MSG_DUPLICATE = N_("Case {number} cannot be active again: case {other} of the same applicant is active.")
MSG_NO_ROOM = N_("Case {number}: its quota places were taken meanwhile ({remaining} of {slots} left).")


class BatchRefused(MigregError):
    """One case of the batch was refused; the whole operation is rolled back. The exit code is the
    refusal's own (1: a rule said no, 2: bad input); the reason is translated when shown."""

    def __init__(self, number: str, cause: MigregError) -> None:
        super().__init__(MSG_REFUSED, field="case", number=number)
        self.cause, self.exit_code = cause, cause.exit_code

    def message(self) -> str:
        from migreg_desktop.i18n import _

        return _(self.msgid).format(number=self.params["number"], reason=self.cause.message().rstrip("."))


def change_many(case_refs: Iterable[str], to_status: str, comment: str | None = None, *, session: Session,
                progress: Progress | None = None, cancelled: IsCancelled | None = None,
                skip_refused: bool = False) -> dict[str, Any]:
    """Change the status of every case in ``case_refs`` (ids or numbers) in the caller's transaction.

    Returns ``{"operation", "status", "changed", "cases": [{"id", "number", "from", "to"}],
    "skipped": [{"case", "reason"}]}``. Cancel raises ``Cancelled`` (the caller rolls back)."""
    actor = permissions.require("case.status", session)
    refs = _refs(case_refs)
    if to_status not in STATUSES:
        raise UserError(MSG_CHOICE, field="status", value=to_status, choices=", ".join(STATUSES))
    begin_immediate(session)  # the write lock first: no other writer between our reads and writes
    steps: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    loaded = _preload(refs, session)  # held here: the identity map keeps them while the loop runs
    known = {c.id: c.id for c in loaded} | {c.number: c.id for c in loaded}
    refs = list(dict.fromkeys(known.get(r, known.get(r.upper(), r)) for r in refs))  # a case named twice: once
    held_before = _held_many([c.id for c in loaded], session)
    with _acting(session, actor):
        for n, ref in enumerate(refs, start=1):
            _stop_if(cancelled)
            if skip_refused:
                _try_step(ref, to_status, comment, session, steps, skipped, held_before)
            else:
                steps.append(_step(ref, to_status, comment, session, held_before))
            if progress:
                progress(n, len(refs))
    _stop_if(cancelled)
    del loaded
    held_after = _held_many([s["id"] for s in steps], session)
    for step in steps:  # what an undo gives back or takes again (Rules §2.6: withdrawn, refused)
        after, allotment = held_after.get(step["id"], (0, None))
        step["held"][1], step["allotment"] = after, step["allotment"] or allotment
    operation = uuid7()
    if steps:
        audit.record(OPERATION, ENTITY, operation, {"status": [None, to_status], "comment": [None, comment],
                                                    "cases": [None, steps]}, session=session)
    return {"operation": operation if steps else None, "status": to_status, "changed": len(steps),
            "cases": [_public(s) for s in steps], "skipped": skipped}


@contextmanager
def _acting(session: Session, actor: permissions.Actor) -> Iterator[None]:
    """One operation, one actor: each case's own permission check reuses the account looked up
    once (in set-up mode the lookup is not cached by the session, and costs queries per case)."""
    before = session.info.get("acting")
    session.info["acting"] = before or actor
    try:
        yield
    finally:
        if before is None:
            session.info.pop("acting", None)


def _preload(refs: list[str], session: Session) -> list[Case]:
    """Every case in a few queries before the first write: each case's own lookup then finds it
    in the session instead of a query that would first flush the previous case's writes."""
    cases_: list[Case] = []
    for chunk in in_lists(refs, PRELOAD_CHUNK):
        numbers = [r.upper() for r in chunk]
        cases_ += session.exec(select(Case).where(col(Case.id).in_(chunk) | col(Case.number).in_(numbers))).all()
    return cases_


def _refs(case_refs: Iterable[str]) -> list[str]:
    refs = list(dict.fromkeys(r.strip() for r in case_refs if r and r.strip()))  # order kept, no repeats
    if not refs:
        raise UserError(MSG_NONE, field="cases")
    if len(refs) > MAX_CASES:
        raise UserError(MSG_TOO_MANY, field="cases", max=MAX_CASES)
    return refs


def _stop_if(cancelled: IsCancelled | None) -> None:
    if cancelled and cancelled():
        raise Cancelled()


def _step(ref: str, to_status: str, comment: str | None, session: Session,
          held_before: dict[str, tuple[int, int | None]]) -> dict[str, Any]:
    """One case through the one status use case; a refusal names the case (its number once known)."""
    try:
        case = cases.get_case(ref, session=session)
    except NotFound as exc:
        raise BatchRefused(ref, exc) from exc
    before, allotment = held_before.get(case.id, (0, None))
    from_status = case.status
    try:
        case_status.change_status(case.id, to_status, comment, session=session)
    except Cancelled:
        raise
    except MigregError as exc:
        raise BatchRefused(case.number, exc) from exc
    return {"id": case.id, "number": case.number, "from": from_status, "to": to_status, "version": case.version,
            "held": [before, None], "allotment": allotment}  # places held after: read once for all


def _held_many(case_ids: list[str], session: Session) -> dict[str, tuple[int, int | None]]:
    """(persons held, allotment) per case, as ``quotas.held_by_case`` reads it, in a few queries."""
    session.flush()  # the ledger entries written so far (the raw query below does not flush)
    held: dict[str, tuple[int, int | None]] = {}
    for chunk in in_lists(case_ids, PRELOAD_CHUNK):
        marks = ",".join(f"id_db(:c{i})" for i in range(len(chunk)))
        rows = session.connection().execute(text(
            "SELECT id_text(case_id), allotment_id, sum(CASE entry WHEN 'reserve' THEN persons ELSE -persons END) "
            f"FROM quota_ledger WHERE case_id IN ({marks}) GROUP BY case_id, allotment_id"),
            {f"c{i}": c for i, c in enumerate(chunk)})
        for case_id, allotment_id, persons in rows:
            if persons and persons > 0:
                held[str(case_id)] = (int(persons), int(allotment_id))
    return held


def _try_step(ref: str, to_status: str, comment: str | None, session: Session, steps: list[dict[str, Any]],
              skipped: list[dict[str, str]], held_before: dict[str, tuple[int, int | None]]) -> None:
    """One case in a savepoint: a refusal undoes only its own writes. The audit chain's tail kept
    in the session goes back with it (audit_chain.seal continues from it)."""
    tail = session.info.get(TAIL_KEY)
    point = session.begin_nested()
    try:
        step = _step(ref, to_status, comment, session, held_before)
    except BatchRefused as exc:
        point.rollback()
        session.info[TAIL_KEY] = tail
        if tail is None:
            session.info.pop(TAIL_KEY, None)
        skipped.append({"case": exc.params["number"], "reason": exc.cause.message()})
        return
    point.commit()
    steps.append(step)


def _public(step: dict[str, Any]) -> dict[str, Any]:
    return {k: step[k] for k in ("id", "number", "from", "to")}


# ---- undo ----------------------------------------------------------------------------------------

def operation_steps(operation: str, *, session: Session) -> list[dict[str, Any]]:
    """The cases of a batch status change as recorded in its audit entry."""
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == OPERATION, AuditEntry.entity == ENTITY,
                                                  AuditEntry.entity_id == operation.strip())).first()
    if entry is None:
        raise NotFound(MSG_NO_OPERATION, field="operation", ref=operation)
    return list(json.loads(entry.changes)["cases"][1])


def undo(operation: str, comment: str | None = None, *, session: Session, progress: Progress | None = None,
         cancelled: IsCancelled | None = None) -> dict[str, Any]:
    """Revert a batch status change, all or nothing, as a new audited operation."""
    permissions.require("case.status", session)
    begin_immediate(session)
    steps = operation_steps(operation, session=session)
    if session.exec(select(AuditEntry.id).where(AuditEntry.action == UNDO, AuditEntry.entity == ENTITY,
                                                col(AuditEntry.entity_id) == operation.strip())).first():
        raise UserError(MSG_UNDONE, field="operation")
    comment = read_comment(comment)
    done = []
    for n, step in enumerate(steps, start=1):
        _stop_if(cancelled)
        done.append(_revert(step, comment, session))
        if progress:
            progress(n, len(steps))
    _stop_if(cancelled)
    audit.record(UNDO, ENTITY, operation.strip(), {"cases": [None, [s["id"] for s in done]]}, session=session)
    return {"operation": operation.strip(), "undone": len(done), "cases": done}


def _revert(step: dict[str, Any], comment: str | None, session: Session) -> dict[str, Any]:
    case = session.get(Case, step["id"])
    number = step["number"]
    held_before, held_after = step["held"]
    held_now, _allotment = quotas.held_by_case(step["id"], session=session)
    if case is None or (case.version, case.status, held_now) != (step["version"], step["to"], held_after):
        raise RuleRefused(MSG_CHANGED_SINCE, field="case", number=number)
    back = step["from"]
    if is_active(back) and not is_active(case.status) and case.applicant_iin:
        other = cases.active_case_of(case.applicant_iin, session=session, exclude=case.id)
        if other is not None:
            raise RuleRefused(MSG_DUPLICATE, field="case", number=number, other=other.number)
    _restore_places(case, held_before, held_after, step.get("allotment"), session)
    # The transition table is for steps forward; an undo goes back the step it reverts (Rules: history).
    session.add(StatusChange(case_id=case.id, from_status=case.status, to_status=back,
                             by_user=audit.actor(session), comment=comment))
    audit.record("status", "case", case.id, {"status": [case.status, back], "comment": [None, comment]},
                 session=session)
    case.status, case.version, case.updated_at = back, case.version + 1, utcnow()
    session.add(case)
    record_change(session, "case_changed", case.id)
    return {"id": case.id, "number": number, "from": step["to"], "to": back}


def _restore_places(case: Case, before: int, after: int, allotment_id: int | None, session: Session) -> None:
    """Places the change released are taken again (if still free); places it reserved are released."""
    if after > before:
        quotas.release_held(case, session=session)
    elif before > after and allotment_id is not None:
        row = session.get(QuotaAllotment, allotment_id)
        if row is None:
            raise RuleRefused(MSG_CHANGED_SINCE, field="case", number=case.number)
        remaining = row.slots - quotas.reserved_on(allotment_id, session=session)
        if before - after > remaining:
            raise RuleRefused(MSG_NO_ROOM, field="case", number=case.number, remaining=remaining, slots=row.slots)
        quotas._ledger(case, row, "reserve", before - after, session=session)  # the ledger's one writer

