"""Regional quotas, allotments per district office and the append-only quota ledger.

Rules §2.4, §2.6: a quota counts applicants only (``persons``) or applicants with their family
(``family``). The oblast divides a quota into allotments per office; a district reserves against
its own allotment. remaining = allotment − reserved, never below zero: a reservation takes the
database's write lock first (BEGIN IMMEDIATE), so two processes cannot both take the last place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.cases.status import STATUS_LABELS, is_active
from migreg_desktop.changes import record as record_change
from migreg_desktop.eligibility.ledger_sql import ledger_net
from migreg_desktop.errors import Label, NotFound, RuleRefused, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Case, Office, Territory
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.quota import (
    QuotaAllotment,
    QuotaLedgerEntry,
    RegionalQuota,
)
from migreg_desktop.refdata import refdata
from migreg_desktop.refdata.quota_table import (  # noqa: F401  (the quota ledger's callers use them here too)
    _check_year,
    _quota_region,
    allotted_total,
    find_quota,
    get_quota,
)
from migreg_desktop.refdata.quota_table import (
    set_quota as set_quota,  # re-exported: the doors call quotas.set_quota
)
from migreg_desktop.rules.quota import counted_persons
from migreg_desktop.rules.quota import quota_key as rule_quota_key
from migreg_desktop.storage.db import begin_immediate

LOW_SHARE = 0.10  # warn when less than 10 % of a quota or allotment is left
MSG_NOT_CHECKED = N_("case {number} has no eligibility decision: check it before reserving a quota place")
MSG_STALE = {
    "case_changed": N_("case {number} changed after its last check: check it again before reserving a quota place"),
    "reference_changed": N_("the reference data changed after case {number} was checked: check it again before reserving a quota place"),
    "rules_changed": N_("the rules changed after case {number} was checked: check it again before reserving a quota place"),
}
MSG_FAILS = N_("case {number} is not eligible ({rules}): it cannot reserve a quota place")
MSG_NO_ROOM = N_("no room in the allotment of office {office}: the case counts {counted}, {remaining} of {slots} places left")


def reserved_on(allotment_id: int, *, session: Session) -> int:
    """Net persons reserved on an allotment (reserve entries minus release entries)."""
    row = session.connection().execute(text(
        f"SELECT coalesce({ledger_net()}, 0) "
        "FROM quota_ledger WHERE allotment_id = :a"), {"a": allotment_id}).scalar_one()
    return int(row)


def held_by_case(case_id: str, *, session: Session) -> tuple[int, int | None]:
    """(persons the case holds, allotment id) from its ledger entries."""
    rows = session.connection().execute(text(
        f"SELECT allotment_id, {ledger_net()} "
        "FROM quota_ledger WHERE case_id = id_db(:c) GROUP BY allotment_id"), {"c": case_id}).all()
    for allotment_id, held in rows:
        if held and held > 0:
            return int(held), int(allotment_id)
    return 0, None


def holding(case_ref: str, *, session: Session) -> dict[str, Any] | None:
    """The place a case holds, for the window's quota line: persons, office, and the quota's year,
    region and kind; None when it holds none (issue 15)."""
    from migreg_desktop.cases.cases import get_case

    case = get_case(case_ref, session=session)
    held, allotment_id = held_by_case(case.id, session=session)
    row = session.get(QuotaAllotment, allotment_id) if held else None
    quota = session.get(RegionalQuota, row.quota_id) if row else None
    if row is None or quota is None:
        return None
    t = session.get(Territory, quota.region_kato)
    return {"persons": held, "office": row.office_code, "year": quota.year, "region": quota.region_kato,
            "region_name": {"kk": t.name_kk, "ru": t.name_ru} if t else None, "kind": quota.kind}


def allot(year: int, region: str, kind: str, office: str, slots: int, *, session: Session) -> QuotaAllotment:
    """The oblast gives an office a block of a quota; all blocks together stay within the limit."""
    permissions.require('quota.allot', session)
    quota = get_quota(year, region, kind, session=session)
    if session.get(Office, office.upper()) is None:
        raise NotFound(N_("unknown office code {code}"), field="office", code=office)
    if not isinstance(slots, int) or slots < 0:
        raise UserError(N_("the number of places must be a whole number ≥ 0, not {value}"), field="slots", value=str(slots))
    others = allotted_total(quota.id, session=session, exclude_office=office.upper())
    if others + slots > quota.limit:
        raise UserError(N_("{slots} places do not fit: {others} of the limit {limit} are already allotted"),
                        field="slots", slots=slots, others=others, limit=quota.limit)
    row = session.exec(select(QuotaAllotment).where(QuotaAllotment.quota_id == quota.id,
                                                    QuotaAllotment.office_code == office.upper())).first()
    if row is not None and slots < reserved_on(row.id, session=session):  # type: ignore[arg-type]
        raise UserError(N_("office {office} has already reserved {reserved} places; the allotment cannot be smaller"),
                        field="slots", office=office.upper(), reserved=reserved_on(row.id, session=session))  # type: ignore[arg-type]
    old = {"slots": row.slots} if row else {}
    row = row or QuotaAllotment(quota_id=quota.id, office_code=office.upper(), slots=slots)  # type: ignore[arg-type]
    row.slots, row.updated_at = slots, utcnow()
    session.add(row)
    session.flush()
    audit.record("update" if old else "create", "quota_allotment", str(row.id), audit.diff(old, {"slots": slots}),
                 session=session)
    record_change(session, "quota_changed", (quota.region_kato, year))
    record_change(session, "refdata_changed", "quotas")
    return row


def quota_key(case: Case, *, session: Session) -> tuple[int, str, str] | None:
    """(year, region, kind) of the quota a case counts against."""
    if not case.destination_kato:
        return None
    region = refdata.region_of(case.destination_kato, session=session)
    return rule_quota_key(case.kind, case.quota_year, case.destination_kato, region.kato if region else None,
                          lambda key: find_quota(*key, session=session) is not None)


def _case_allotment(case: Case, *, session: Session) -> tuple[RegionalQuota, QuotaAllotment]:
    key = quota_key(case, session=session)
    quota = find_quota(*key, session=session) if key else None
    if quota is None:
        raise UserError(N_("case {number}: there is no quota for its destination and year {year}"),
                        field="case", number=case.number, year=case.quota_year)
    row = session.exec(select(QuotaAllotment).where(QuotaAllotment.quota_id == quota.id,
                                                    QuotaAllotment.office_code == case.office_code)).first()
    if row is None:
        raise UserError(N_("office {office} has no allotment of this quota"), field="case", office=case.office_code)
    return quota, row


def check_reservable(case: Case, *, session: Session) -> None:
    """Issue 14 §6: only a case whose current decision fails no rule but ``quota_room`` may reserve.

    A provisional reservation is allowed while questions are open (needs_check); a failed rule, a
    missing decision or a decision older than the case, the rules or the reference data refuses.
    """
    from migreg_desktop.eligibility.eligibility import latest, results_of, stale_reason

    row = latest(case.id, session=session)
    why = stale_reason(row, session=session, case=case)
    if why == "missing" or row is None:  # the same: no decision stored
        raise RuleRefused(MSG_NOT_CHECKED, field="case", number=case.number)
    if why is not None:
        raise RuleRefused(MSG_STALE[why], field="case", number=case.number)
    failed = [r.rule for r in results_of(row) if r.result == "fail" and r.rule != "quota_room"]
    if failed:
        from migreg_desktop.eligibility.eligibility import rule_title

        raise RuleRefused(MSG_FAILS, field="case", number=case.number,
                          rules=", ".join(rule_title(r) for r in failed))


def reserve(case_ref: str, *, session: Session) -> dict[str, Any]:
    """A provisional reservation (allowed while other rules are still open, never when one fails)."""
    from migreg_desktop.cases.cases import get_case

    permissions.require('quota.reserve', session)
    begin_immediate(session)
    case = get_case(case_ref, session=session)
    if not is_active(case.status):
        raise UserError(N_("case {number} is {status}: it cannot reserve a quota place"), field="case",
                        number=case.number, status=Label(STATUS_LABELS.get(case.status, case.status)))
    check_reservable(case, session=session)
    held, _allotment = held_by_case(case.id, session=session)
    if held:
        raise UserError(N_("case {number} already holds a reservation of {held} place(s)"), field="case",
                        number=case.number, held=held)
    quota, row = _case_allotment(case, session=session)
    counted = counted_persons(quota.counting, case.family_size)
    remaining = row.slots - reserved_on(row.id, session=session)  # type: ignore[arg-type]
    if counted > remaining:
        raise RuleRefused(MSG_NO_ROOM, field="case", office=row.office_code, counted=counted,
                          remaining=remaining, slots=row.slots)
    _ledger(case, row, "reserve", counted, session=session)
    return _entry_doc(case, quota, row, "reserve", counted, remaining - counted)


def release(case_ref: str, *, session: Session) -> dict[str, Any]:
    from migreg_desktop.cases.cases import get_case

    permissions.require('quota.reserve', session)
    begin_immediate(session)
    case = get_case(case_ref, session=session)
    held, allotment_id = held_by_case(case.id, session=session)
    if not held:
        raise UserError(N_("case {number} holds no reservation"), field="case", number=case.number)
    row = session.get_one(QuotaAllotment, allotment_id)  # held: the ledger names this allotment
    quota = session.get_one(RegionalQuota, row.quota_id)
    _ledger(case, row, "release", held, session=session)
    remaining = row.slots - reserved_on(row.id, session=session)  # type: ignore[arg-type]
    return _entry_doc(case, quota, row, "release", held, remaining)


def release_held(case: Case, *, session: Session) -> int:
    """A withdrawn or refused case gives its places back to the office's allotment: nobody will
    move on them. A moved case keeps them (the places were used). Returns the persons released."""
    held, allotment_id = held_by_case(case.id, session=session)
    if held:
        _ledger(case, session.get_one(QuotaAllotment, allotment_id), "release", held, session=session)
    return held


def _ledger(case: Case, row: QuotaAllotment, entry: str, persons: int, *, session: Session) -> None:
    session.add(QuotaLedgerEntry(allotment_id=row.id, case_id=case.id, entry=entry,  # type: ignore[arg-type]
                                 persons=persons, by_user=audit.actor(session)))
    session.flush()
    audit.record(entry, "quota_ledger", case.id, {"persons": [None, persons], "allotment": [None, row.id]},
                 session=session)
    quota = session.get_one(RegionalQuota, row.quota_id)  # a foreign key: it exists
    record_change(session, "quota_changed", (quota.region_kato, quota.year))
    record_change(session, "case_changed", case.id)


def _entry_doc(case: Case, quota: RegionalQuota, row: QuotaAllotment, entry: str, persons: int,
               remaining: int) -> dict[str, Any]:
    return {"case": case.number, "entry": entry, "persons": persons, "year": quota.year,
            "region": quota.region_kato, "kind": quota.kind, "counting": quota.counting,
            "office": row.office_code, "slots": row.slots, "remaining": remaining}


def show(year: int, *, session: Session) -> dict[str, Any]:
    """Each quota of the year with its allotments: limit, allotted, reserved, remaining. Four
    queries whatever the number of quotas and offices (the quota page asks again after every
    change; one query per allotment cost ~24 ms for the oblast's 15 quotas × 11 offices)."""
    _check_year(year)
    quotas = session.exec(select(RegionalQuota).where(RegionalQuota.year == year)
                          .order_by(RegionalQuota.kind, RegionalQuota.region_kato)).all()
    by_quota: dict[int, list[QuotaAllotment]] = {}
    for row in session.exec(select(QuotaAllotment).join(RegionalQuota, col(RegionalQuota.id) == QuotaAllotment.quota_id)
                            .where(RegionalQuota.year == year).order_by(QuotaAllotment.office_code)).all():
        by_quota.setdefault(row.quota_id, []).append(row)
    reserved: dict[int, int] = {int(a): int(n) for a, n in session.connection().execute(text(
        f"SELECT l.allotment_id, coalesce({ledger_net('l')}, 0) FROM quota_ledger l "
        "JOIN quota_allotment a ON a.id = l.allotment_id JOIN regional_quota q ON q.id = a.quota_id "
        "WHERE q.year = :y GROUP BY l.allotment_id"), {"y": year}).all()}
    regions = {q.region_kato for q in quotas}
    territories = {t.kato: t for t in session.exec(select(Territory).where(col(Territory.kato).in_(regions)))} \
        if regions else {}
    return {"year": year, "quotas": [_quota_doc(q, by_quota.get(q.id or 0, []), reserved, territories.get(q.region_kato))
                                     for q in quotas]}


def _quota_doc(q: RegionalQuota, rows: list[QuotaAllotment], reserved_by: dict[int, int],
               t: Territory | None) -> dict[str, Any]:
    offices: list[dict[str, Any]] = []
    for row in rows:
        reserved = reserved_by.get(row.id or 0, 0)  # reserved_on's sum, of every allotment at once
        offices.append({"office": row.office_code, "slots": row.slots, "reserved": reserved,
                        "remaining": row.slots - reserved, "low": is_low(row.slots - reserved, row.slots)})
    reserved = sum(o["reserved"] for o in offices)
    return {"year": q.year, "region": q.region_kato,
            "region_name": {"kk": t.name_kk, "ru": t.name_ru} if t else None, "kind": q.kind,
            "counting": q.counting, "limit": q.limit, "allotted": sum(o["slots"] for o in offices),
            "reserved": reserved, "remaining": q.limit - reserved, "low": is_low(q.limit - reserved, q.limit),
            "source": q.source, "offices": offices}


def is_low(remaining: int, total: int) -> bool:
    return total > 0 and remaining < LOW_SHARE * total


def ledger_problems(*, session: Session) -> list[str]:
    """Invariant: no allotment is over-reserved and no case holds a negative number of places."""
    con = session.connection()
    bad = con.execute(text(
        "SELECT a.id FROM quota_allotment a LEFT JOIN quota_ledger l ON l.allotment_id = a.id "
        f"GROUP BY a.id HAVING a.slots - coalesce({ledger_net('l')}, 0) < 0")).scalars().all()
    neg = con.execute(text(
        "SELECT id_text(case_id) FROM quota_ledger GROUP BY case_id, allotment_id "
        f"HAVING {ledger_net()} < 0")).scalars().all()
    return [f"allotment {a} over-reserved" for a in bad] + [f"case {c} negative" for c in neg]
