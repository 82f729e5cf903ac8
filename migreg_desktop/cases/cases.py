"""Recording cases: register, edit, change status, look up. No Qt; the caller commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office
from migreg_desktop.cases.case_changes import CaseChanges
from migreg_desktop.cases.case_document import (
    QUOTA_YEAR_MAX,
    QUOTA_YEAR_MIN,
    DocumentDoc,
    FamilyMemberDoc,
    PersonDoc,
    read_case_doc,
    read_comment,
)
from migreg_desktop.cases.persons import (
    MSG_BAD_DATE,
    MSG_CHOICE,
    MSG_REQUIRED,
    Problems,
    clean_person,
    clean_relation,
    parse_date,
    person_dict,
    raise_if,
    save_person,
)
from migreg_desktop.cases.status import allowed, is_active
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import DuplicateError, Label, NotFound, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import (
    Case,
    CaseCounter,
    Document,
    FamilyMember,
    Person,
    StatusChange,
    Territory,
)
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.case import CHANNELS, HOUSING
from migreg_desktop.storage import high_water, search
from migreg_desktop.vocabulary import CASE_KINDS as KINDS
from migreg_desktop.vocabulary import STATUSES

CASE_FIELDS = ("kind", "origin_kato", "destination_kato", "quota_year", "channel", "employer",
               "has_job_offer", "has_business_plan", "housing", "notes", "legal_representative",
               "representative_basis")
DOC_FIELDS = ("doc_type", "number", "issued_on", "expires_on", "note")
MSG_UNKNOWN_KATO = N_("unknown KATO code {kato}")
MSG_DUPLICATE = N_("IIN {iin} is already the applicant of active case {number}")
MSG_BAD_TRANSITION = N_("a case cannot go from {from_status} to {to_status}")
MSG_BAD_YEAR = N_("{value} is not a year between 2020 and 2100")
MSG_WARNINGS = N_("please confirm: {warnings}")


class NeedsConfirmation(UserError):
    """The data is valid but differs from what the IIN says; the clerk must confirm."""

    def __init__(self, warnings: Problems) -> None:
        super().__init__(MSG_WARNINGS, warnings="")
        self.warnings = warnings

    def messages(self) -> list[str]:
        return [UserError(m, field=f, **p).message() for f, m, p in self.warnings]

    def message(self) -> str:
        from migreg_desktop.i18n import _

        return _(MSG_WARNINGS).format(warnings="; ".join(self.messages()))


def clean_case(data: dict[str, Any], *, session: Session) -> tuple[dict[str, Any], Problems]:
    """Validate a whole case document (the `case add` JSON). Raises ValidationError."""
    doc = read_case_doc(data)  # keys, JSON types, limits and Unicode first: the rules below trust them
    problems: Problems = []
    warnings: Problems = []
    out: dict[str, Any] = {k: getattr(doc, k) for k in CASE_FIELDS}
    _clean_case_fields(out, problems, session)
    applicant = doc.applicant
    if applicant is None:
        problems.append(("applicant", MSG_REQUIRED, {}))
        applicant = PersonDoc()
    out["applicant"] = clean_person(applicant, "applicant", problems, warnings, iin_required=True)
    out["applicant"]["id"] = applicant.id
    out["family"] = _clean_family(doc.family or [], problems, warnings)
    out["documents"] = _clean_documents(doc.documents or [], problems)
    _check_iins_distinct(out, problems)
    raise_if(problems)
    return out, warnings


def _clean_case_fields(out: dict[str, Any], problems: Problems, session: Session) -> None:
    if out["kind"] not in KINDS:
        problems.append(("kind", MSG_CHOICE if out["kind"] else MSG_REQUIRED,
                         {"value": out["kind"], "choices": ", ".join(KINDS)}))
    out["channel"] = out["channel"] or "in_person"
    if out["channel"] not in CHANNELS:
        problems.append(("channel", MSG_CHOICE, {"value": out["channel"], "choices": ", ".join(CHANNELS)}))
    if out["housing"] not in (None, "") and out["housing"] not in HOUSING:
        problems.append(("housing", MSG_CHOICE, {"value": out["housing"], "choices": ", ".join(HOUSING)}))
    out["housing"] = out["housing"] or None
    for key in ("legal_representative", "representative_basis"):
        out[key] = out[key].strip() or None if isinstance(out[key], str) else None
    year = out["quota_year"] if out["quota_year"] not in (None, "") else date.today().year
    try:
        out["quota_year"] = int(year)
        if not QUOTA_YEAR_MIN <= out["quota_year"] <= QUOTA_YEAR_MAX:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(("quota_year", MSG_BAD_YEAR, {"value": str(year)}))
    for key in ("origin_kato", "destination_kato"):
        kato = str(out[key]).strip() if out[key] not in (None, "") else None
        out[key] = kato
        if kato is None:
            problems.append((key, MSG_REQUIRED, {}))
        elif session.get(Territory, kato) is None:
            problems.append((key, MSG_UNKNOWN_KATO, {"kato": kato}))
    for key in ("has_job_offer", "has_business_plan"):
        out[key] = bool(out[key])


def _clean_family(family: list[FamilyMemberDoc], problems: Problems, warnings: Problems) -> list[dict[str, Any]]:
    # CaseDoc has checked that it is a list of objects ("must be a list", "must be a JSON object").
    cleaned = []
    for n, member in enumerate(family, start=1):
        prefix = f"family.{n}"
        values = clean_person(member, prefix, problems, warnings, iin_required=False)
        values["relation"] = clean_relation(member.relation, prefix, problems)
        values["id"] = member.id
        cleaned.append(values)
    return cleaned


def _clean_documents(docs: list[DocumentDoc], problems: Problems) -> list[dict[str, Any]]:
    cleaned = []
    for n, doc in enumerate(docs, start=1):
        prefix = f"documents.{n}"
        values = {k: getattr(doc, k) for k in DOC_FIELDS}
        values["id"] = doc.id
        if not values["doc_type"]:
            problems.append((f"{prefix}.doc_type", MSG_REQUIRED, {}))
        for key in ("issued_on", "expires_on"):
            try:
                values[key] = parse_date(values[key])
            except ValueError:
                problems.append((f"{prefix}.{key}", MSG_BAD_DATE, {"value": str(values[key])}))
                values[key] = None
        cleaned.append(values)
    return cleaned


def _check_iins_distinct(out: dict[str, Any], problems: Problems) -> None:
    seen = {out["applicant"].get("iin")} - {None}
    for n, member in enumerate(out["family"], start=1):
        if member.get("iin") and member["iin"] in seen:
            problems.append((f"family.{n}.iin", N_("IIN {iin} appears twice in this case"), {"iin": member["iin"]}))
        seen.add(member.get("iin"))


def active_case_of(iin: str, *, session: Session, exclude: str | None = None) -> Case | None:
    stmt = select(Case).where(Case.applicant_iin == iin, col(Case.status).notin_(("refused", "closed", "withdrawn")))
    if exclude:
        stmt = stmt.where(Case.id != exclude)
    return session.exec(stmt).first()


def _ensure_unique(iin: str | None, *, session: Session, exclude: str | None = None) -> None:
    other = active_case_of(iin, session=session, exclude=exclude) if iin else None
    if other is not None:
        raise DuplicateError(MSG_DUPLICATE, field="applicant.iin", iin=iin, number=other.number)


def next_number(office_code: str, year: int, *, session: Session) -> str:
    counter = session.get(CaseCounter, (office_code, year)) or CaseCounter(office_code=office_code, year=year)
    key = f"{office_code}/{year}"  # never a number given before a restore (issue 12 §5)
    counter.last = max(counter.last or 0, high_water.floor(high_water.CASE_NUMBER, key)) + 1
    high_water.raise_after_commit(session, high_water.CASE_NUMBER, key, counter.last)
    session.add(counter)
    return f"{office_code}-{year}-{counter.last:06d}"


def register_case(data: dict[str, Any], *, session: Session, confirm_warnings: bool = False) -> Case:
    permissions.require('case.create', session)
    values, warnings = clean_case(data, session=session)
    if warnings and not confirm_warnings:
        raise NeedsConfirmation(warnings)
    _ensure_unique(values["applicant"]["iin"], session=session)
    office = current_office(session=session)
    applicant, _changes = save_person(values["applicant"], session=session, owner=office.code)
    case = Case(
        number=next_number(office.code, utcnow().year, session=session), office_code=office.code,
        applicant_id=applicant.id, clerk=audit.actor(session), owner_office=office.code,
        **{k: values[k] for k in CASE_FIELDS},
    )
    session.add(case)
    session.flush()
    _write_family_and_documents(case, values, session=session)
    _add_status(case, None, "draft", None, session=session)
    _refresh_denormalised(case, applicant, values, session=session)
    audit.record("create", "case", case.id, {"number": [None, case.number], "kind": [None, case.kind]}, session=session)
    record_change(session, "case_changed", case.id)
    return case


# Issue 14 keys a document may leave out without clearing them: the window's editor does not show
# them yet (a later pass), and saving there must not erase what `case add`/`case update` recorded.
# An explicit null clears them.
KEPT_WHEN_ABSENT = ("legal_representative", "representative_basis")
KEPT_WHEN_ABSENT_APPLICANT = ("origin_country", "former_citizenship", "nationality")


def _keep_absent(case: Case, data: dict[str, Any], *, session: Session) -> dict[str, Any]:
    if not isinstance(data, dict):
        return data
    data = {**data, **{k: getattr(case, k) for k in KEPT_WHEN_ABSENT if k not in data}}
    applicant, stored = data.get("applicant"), session.get(Person, case.applicant_id)
    if isinstance(applicant, dict) and stored is not None:
        data["applicant"] = {**applicant, **{k: getattr(stored, k) for k in KEPT_WHEN_ABSENT_APPLICANT
                                             if k not in applicant}}
    return data


def update_case(case_id: str, data: dict[str, Any], *, session: Session, confirm_warnings: bool = False) -> Case:
    permissions.require('case.edit', session)
    case = get_case(case_id, session=session)
    data = _keep_absent(case, data, session=session)
    values, warnings = clean_case(data, session=session)
    if warnings and not confirm_warnings:
        raise NeedsConfirmation(warnings)
    if is_active(case.status):
        _ensure_unique(values["applicant"]["iin"], session=session, exclude=case.id)
    old = {k: getattr(case, k) for k in CASE_FIELDS}
    applicant = session.get(Person, case.applicant_id)
    applicant, person_changes = save_person(values["applicant"], session=session, person=applicant)
    for key in CASE_FIELDS:
        setattr(case, key, values[key])
    changes = audit.diff(old, {k: getattr(case, k) for k in CASE_FIELDS})
    changes.update({f"applicant.{k}": v for k, v in person_changes.items()})
    changes.update(_write_family_and_documents(case, values, session=session))
    _refresh_denormalised(case, applicant, values, session=session)
    if changes:
        case.version += 1
        case.updated_at = utcnow()
        audit.record("update", "case", case.id, changes, session=session)
    record_change(session, "case_changed", case.id)
    return case


def _write_family_and_documents(case: Case, values: dict[str, Any], *, session: Session) -> dict[str, Any]:
    """Replace family and documents; keep person rows of members that stay (their ids travel).

    Returns the audit changes member by member and document by document (services/case_changes).
    """
    changes = CaseChanges()
    old_members = session.exec(select(FamilyMember).where(FamilyMember.case_id == case.id)
                               .order_by(col(FamilyMember.position))).all()
    old_n = {m.person_id: n for n, m in enumerate(old_members, start=1)}
    kept = {m.person_id: m for m in old_members}
    for n, member in enumerate(values["family"], start=1):
        person = session.get(Person, member["id"]) if member.get("id") in kept else None
        person, person_changes = save_person(member, session=session, person=person, owner=case.office_code)
        row = kept.pop(person.id, None)
        if row is None:
            changes.member_added(n, person)
            row = FamilyMember(case_id=case.id, person_id=person.id, relation="")
        else:
            changes.member_kept(n, old_n[person.id], row.relation, member["relation"], person_changes)
        row.relation, row.position = member["relation"], n - 1
        session.add(row)
    for row in kept.values():
        changes.member_removed(old_n[row.person_id], session.get(Person, row.person_id))
        session.delete(row)
    _write_documents(case, values["documents"], changes, session=session)
    return changes.result()


def _write_documents(case: Case, docs: list[dict[str, Any]], changes: CaseChanges, *, session: Session) -> None:
    """Update documents in place by id (ids travel in exchange packages); drop the rest."""
    rows = session.exec(select(Document).where(Document.case_id == case.id)).all()  # case_dict's order
    old_n = {d.id: n for n, d in enumerate(rows, start=1)}
    old = {d.id: d for d in rows}
    for n, doc in enumerate(docs, start=1):
        row = old.pop(doc.get("id") or "", None)
        if row is None:
            changes.document_added(n, doc)
        else:
            diff = audit.diff({k: getattr(row, k) for k in DOC_FIELDS}, {k: doc[k] for k in DOC_FIELDS})
            row.version += 1 if diff else 0
            changes.fields(f"documents.{n}", diff)
        row = row or Document(case_id=case.id, doc_type=doc["doc_type"])
        for key in DOC_FIELDS:
            setattr(row, key, doc[key])
        session.add(row)
    for row in old.values():
        changes.document_removed(old_n[row.id], row)
        session.delete(row)


def _refresh_denormalised(case: Case, applicant: Person, values: dict[str, Any], *, session: Session) -> None:
    case.applicant_iin = applicant.iin
    case.applicant_name = applicant.full_name
    case.family_size = 1 + len(values["family"])
    session.add(case)
    session.flush()  # the family and the applicant as stored: the search words are read from them
    search.reindex(session, case.id)


def _add_status(case: Case, from_status: str | None, to_status: str, comment: str | None, *, session: Session) -> None:
    session.add(StatusChange(case_id=case.id, from_status=from_status, to_status=to_status,
                             by_user=audit.actor(session), comment=comment))


def change_status(case_ref: str, to_status: str, comment: str | None = None, *, session: Session) -> Case:
    permissions.require('case.status', session)
    case = get_case(case_ref, session=session)
    comment = read_comment(comment)
    if to_status not in STATUSES:
        raise UserError(MSG_CHOICE, field="status", value=to_status, choices=", ".join(STATUSES))
    if not allowed(case.status, to_status):
        from migreg_desktop.vocabulary import STATUS_LABELS

        raise UserError(MSG_BAD_TRANSITION, field="status", from_status=Label(STATUS_LABELS[case.status]),
                        to_status=Label(STATUS_LABELS[to_status]))
    if is_active(to_status) and not is_active(case.status):
        _ensure_unique(case.applicant_iin, session=session, exclude=case.id)
    _add_status(case, case.status, to_status, comment, session=session)
    audit.record("status", "case", case.id, {"status": [case.status, to_status], "comment": [None, comment]},
                 session=session)
    case.status, case.version, case.updated_at = to_status, case.version + 1, utcnow()
    session.add(case)
    record_change(session, "case_changed", case.id)
    return case


def get_case(ref: str, *, session: Session) -> Case:
    """By id or by human number (case-insensitive)."""
    case = session.get(Case, ref) or session.exec(select(Case).where(Case.number == ref.strip().upper())).first()
    if case is None:
        raise NotFound("no case {ref}", field="case", ref=ref)
    return case


def case_dict(case: Case, *, session: Session) -> dict[str, Any]:
    """The case as a document: the same keys as `case add` input, plus ids and history."""
    applicant = session.get_one(Person, case.applicant_id)  # foreign keys: both rows exist
    members = session.exec(select(FamilyMember).where(FamilyMember.case_id == case.id)
                           .order_by(col(FamilyMember.position))).all()
    family = []
    for m in members:
        p = person_dict(session.get_one(Person, m.person_id))
        p["relation"] = m.relation
        family.append(p)
    docs = session.exec(select(Document).where(Document.case_id == case.id)).all()
    history = session.exec(select(StatusChange).where(StatusChange.case_id == case.id)
                           .order_by(col(StatusChange.at), col(StatusChange.id))).all()
    out: dict[str, Any] = {"id": case.id, "number": case.number, "office": case.office_code,
                           "status": case.status, "clerk": case.clerk, "version": case.version,
                           "created_at": case.created_at.isoformat(), "updated_at": case.updated_at.isoformat()}
    out.update({k: getattr(case, k) for k in CASE_FIELDS})
    out["applicant"] = person_dict(applicant)
    out["family"] = family
    out["documents"] = [{k: (v.isoformat() if isinstance(v, date) else v)
                         for k, v in ((f, getattr(d, f)) for f in ("id", *DOC_FIELDS))} for d in docs]
    out["history"] = [{"from": h.from_status, "to": h.to_status, "at": h.at.isoformat(),
                       "by": h.by_user, "comment": h.comment} for h in history]
    return out


def count_cases(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Case)).one())
