"""Adaptation and training of kandases (Rules §9–10; issue 16 §5): language courses, vocational
training or retraining, job placement, a stay in an adaptation centre, each with its dates and
outcome, recorded on a kandas case (for the applicant or one family member); monitoring counts
them by office, age group (youth 14–34 apart, as the Rules ask) and outcome.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, cast, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.cases.cases import get_case
from migreg_desktop.errors import NotFound, RuleRefused, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Case, FamilyMember, Person
from migreg_desktop.models.department import (
    ADAPTATION_KINDS,
    ADAPTATION_OUTCOMES,
    AdaptationMeasure,
)

KIND_LABELS = {"language_course": N_("language course"), "vocational_training": N_("vocational training"),
               "retraining": N_("retraining"), "job_placement": N_("job placement"),
               "adaptation_centre": N_("stay in an adaptation centre")}
OUTCOME_LABELS = {"ongoing": N_("ongoing"), "completed": N_("completed"), "employed": N_("employed"),
                  "dropped_out": N_("dropped out")}
AGE_GROUPS = ("under_14", "youth_14_34", "35_plus", "unknown")
AGE_LABELS = {"under_14": N_("under 14"), "youth_14_34": N_("youth 14–34"), "35_plus": N_("35 and over"),
              "unknown": N_("age unknown")}
NOTE_MAX = 500


class NotKandas(RuleRefused):
    """Adaptation measures are for kandases only (Rules §9–10). CLI exit 1."""


def require_oblast(*, session: Session) -> None:
    """Rules §9–10 make adaptation the Department's duty: the oblast office's database only."""
    from migreg_desktop.accounts.office import role

    if role(session=session) != "oblast":
        raise RuleRefused(N_("Adaptation of kandases is organised by the Department: only the oblast office "
                             "({office}) records it."), field="office", office="ALM-OBL")


def _day(value: str | date | None, field: str) -> date | None:
    if isinstance(value, date):
        return value
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(N_("{value} is not a date (YYYY-MM-DD)"), field=field, value=str(value)) from None


def _choice(value: str, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise UserError(N_("{value} is not one of: {choices}"), field=field, value=value, choices=", ".join(choices))
    return value


def _kandas_case(ref: str, *, session: Session) -> Case:
    case = get_case(ref, session=session)
    if case.kind != "kandas":
        raise NotKandas(N_("Rules §9–10: adaptation measures are recorded for kandases; case {number} is not a "
                           "kandas case."), field="case", number=case.number)
    return case


def _person(case: Case, iin: str | None, *, session: Session) -> str | None:
    """None for the applicant; otherwise the family member of this case with that IIN."""
    if not iin:
        return None
    applicant = session.get(Person, case.applicant_id)
    if applicant is not None and applicant.iin == iin.strip():
        return None
    row = session.exec(sm_select(Person).join(FamilyMember, col(FamilyMember.person_id) == Person.id)
                       .where(FamilyMember.case_id == case.id, Person.iin == iin.strip())).first()
    if row is None:
        raise NotFound(N_("{iin} is not the applicant or a family member of case {number}"), field="person",
                       iin=iin, number=case.number)
    return row.id


def as_dict(m: AdaptationMeasure, *, session: Session) -> dict[str, Any]:
    case = session.get(Case, m.case_id)
    person = session.get(Person, m.person_id or (case.applicant_id if case else ""))
    return {"id": m.id, "case": case.number if case else None, "person_iin": person.iin if person else None,
            "applicant": m.person_id is None, "kind": m.kind, "started_on": m.started_on.isoformat(),
            "ended_on": m.ended_on.isoformat() if m.ended_on else None, "outcome": m.outcome, "note": m.note}


def add(ref: str, values: dict[str, Any], *, session: Session, today: date | None = None) -> dict[str, Any]:
    permissions.require("department.write", session)
    require_oblast(session=session)
    case = _kandas_case(ref, session=session)
    kind = _choice(str(values.get("kind") or ""), ADAPTATION_KINDS, "kind")
    outcome = _choice(str(values.get("outcome") or "ongoing"), ADAPTATION_OUTCOMES, "outcome")
    started = _day(values.get("started_on"), "from")
    if started is None:
        raise UserError(N_("The start date is required."), field="from")
    ended = _day(values.get("ended_on"), "to")
    if started > (today or date.today()):
        raise UserError(N_("{value} is in the future"), field="from", value=started.isoformat())
    if ended and ended < started:
        raise UserError(N_("The measure ends on {end}, before it starts on {start}."), field="to",
                        end=ended.isoformat(), start=started.isoformat())
    note = str(values.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        raise UserError(N_("The note is longer than {limit} characters."), field="note", limit=NOTE_MAX)
    m = AdaptationMeasure(case_id=case.id, person_id=_person(case, values.get("person_iin"), session=session),
                          kind=kind, started_on=started, ended_on=ended, outcome=outcome, note=note)
    session.add(m)
    session.flush()
    audit.record("create", "adaptation_measure", m.id,
                 {"case": [None, case.number], "kind": [None, kind], "outcome": [None, outcome],
                  "started_on": [None, started.isoformat()]}, session=session)
    return as_dict(m, session=session)


def list_for(ref: str, *, session: Session) -> list[dict[str, Any]]:
    permissions.require("monitoring.read", session)
    require_oblast(session=session)
    case = get_case(ref, session=session)
    rows = session.exec(sm_select(AdaptationMeasure).where(AdaptationMeasure.case_id == case.id)
                        .order_by(col(AdaptationMeasure.started_on), col(AdaptationMeasure.id))).all()
    return [as_dict(m, session=session) for m in rows]


def remove(ref: str, measure_id: str, *, session: Session) -> dict[str, Any]:
    permissions.require("department.write", session)
    require_oblast(session=session)
    case = get_case(ref, session=session)
    m = session.get(AdaptationMeasure, measure_id.strip())
    if m is None or m.case_id != case.id:
        raise NotFound(N_("case {number} has no adaptation measure {id}"), field="id", number=case.number,
                       id=measure_id)
    doc = as_dict(m, session=session)
    session.delete(m)
    audit.record("delete", "adaptation_measure", m.id, {"case": [case.number, None], "kind": [m.kind, None]},
                 session=session)
    return doc


def _age_group(person_birth: Any, started: Any) -> Any:
    """SQL: whole years between the birth date and the measure's start, bucketed."""
    years = (cast(func.strftime("%Y", started), Integer) - cast(func.strftime("%Y", person_birth), Integer)
             - sql_case((func.strftime("%m-%d", started) < func.strftime("%m-%d", person_birth), 1), else_=0))
    return sql_case((person_birth.is_(None), "unknown"), (years < 14, "under_14"), (years <= 34, "youth_14_34"),
                    else_="35_plus")


class _MeasuresFirst(Join):
    """``measures CROSS JOIN cases ON …``: SQLite then keeps the written order. Without it the
    planner drove from the year's cases (its index on quota_year) and looked up measures per case:
    0.27 s at 100,000 cases with no measure at all; from the (small) measures table: 0.0 s."""

    inherit_cache = True


@compiles(_MeasuresFirst, "sqlite")
def _cross_join(join: _MeasuresFirst, compiler: Any, **kw: Any) -> str:
    kw["asfrom"] = True
    on = {k: v for k, v in kw.items() if k != "asfrom"}
    return (f"{compiler.process(join.left, **kw)} CROSS JOIN {compiler.process(join.right, **kw)} "
            f"ON {compiler.process(join.onclause, **on)}")


def counts(where: Any, date_from: date | None, date_to: date | None, *, session: Session) -> list[dict[str, Any]]:
    """Monitoring's ``adaptation`` rows: one ``GROUP BY`` office, measure, age group and outcome
    over the measures of the cases ``where`` selects (their start inside the period, if any)."""
    m_t, c_t, p_t = AdaptationMeasure.__table__, Case.__table__, Person.__table__  # type: ignore[attr-defined]
    m, c, p = m_t.c, c_t.c, p_t.c
    conds = [where]
    if date_from:
        conds.append(m.started_on >= date_from)
    if date_to:
        conds.append(m.started_on <= date_to)
    group = _age_group(p.birth_date, m.started_on).label("age_group")
    stmt = (select(c.office_code, m.kind, group, m.outcome, func.count(),
                   func.count(func.distinct(func.coalesce(m.person_id, c.applicant_id))))
            .select_from(_MeasuresFirst(m_t, c_t, c.id == m.case_id)
                         .join(p_t, p.id == func.coalesce(m.person_id, c.applicant_id)))
            .where(and_(*conds)).group_by(c.office_code, m.kind, group, m.outcome)
            .order_by(c.office_code, m.kind, group, m.outcome))
    return [{"office": o, "kind": k, "age_group": g, "outcome": out, "measures": int(n), "persons": int(ps)}
            for o, k, g, out, n, ps in session.connection().execute(stmt).all()]


def centre_stays(ref: str, *, session: Session) -> list[dict[str, Any]]:
    """The stays in an adaptation centre recorded on a kandas case (Rules §2.3, §9–10), for its
    referral form: ``[{"person_id", "started_on", "ended_on"}]`` (person_id None: the applicant).
    Reading a case's own paper needs no monitoring right; a district office has none recorded."""
    case = _kandas_case(ref, session=session)
    rows = session.exec(sm_select(AdaptationMeasure).where(AdaptationMeasure.case_id == case.id,
                                                           AdaptationMeasure.kind == "adaptation_centre")
                        .order_by(col(AdaptationMeasure.started_on), col(AdaptationMeasure.id))).all()
    return [{"person_id": m.person_id, "started_on": m.started_on, "ended_on": m.ended_on} for m in rows]
