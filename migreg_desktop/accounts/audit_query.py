"""Reading the audit trail: filters (user, person, case, action, dates) and CSV/XLSX export."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import or_
from sqlalchemy import text as sql_text
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import AuditEntry, Case, FamilyMember, Person
from migreg_desktop.storage import privacy, search

ACTIONS = {
    "create": N_("created"), "update": N_("changed"), "status": N_("status changed"),
    "delete": N_("deleted"), "login": N_("logged in"), "login_failed": N_("failed login"),
    "denied": N_("refused: role too low"), "export": N_("exported"), "import": N_("imported"),
    "print": N_("printed"), "check": N_("eligibility checked"), "restore": N_("restored a backup"),
    "account_add": N_("account added"),
    "account_details": N_("full name or position changed"),
    "account_disable": N_("account disabled"), "account_enable": N_("account enabled"),
    "account_role": N_("role changed"), "password": N_("password changed"),
    "status_batch": N_("status of several cases changed"), "status_batch_undo": N_("status change undone"),
    "reserve": N_("quota place reserved"), "release": N_("quota place released"),
    "refdata_import": N_("reference data imported"), "refdata_export": N_("reference package published"),
    "keys_init": N_("office keys made"), "keys_trust": N_("partner office key trusted"),
    "ack": N_("acknowledgement written"),
    "duplicate_same": N_("duplicate confirmed"), "duplicate_different": N_("not a duplicate"),
    "conflict_accepted": N_("conflict: incoming version taken"),
    "conflict_rejected": N_("conflict: own version kept"),
    "settings_change": N_("office setting changed"),
}
COLUMNS = ("id", "at", "user", "office", "action", "entity", "entity_id", "changes", "hash")


@dataclass
class AuditFilter:
    user: str | None = None
    person: str | None = None  # IIN or surname of an applicant or family member
    case: str | None = None  # case number (or its start) or id
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive


# Persons of the cases whose search index (services/search, the case list's own) matches the text.
_NAMED = """
SELECT id_text(p.id), p.surname, p.name, p.patronymic, p.name_latin FROM person p WHERE p.id IN (
  SELECT c.applicant_id FROM cases c WHERE c.rowid IN ({match})
  UNION SELECT f.person_id FROM family_member f
        WHERE f.case_id IN (SELECT id FROM cases WHERE rowid IN ({match})))
LIMIT :cap""".format(match=search.match_sql(":q"))
MAX_PERSONS = 5000  # a filter, not a report: keeps the IN (...) list within SQLite's limits


def _person_entities(text: str, session: Session) -> list[str]:
    text = text.strip()
    pids = list(session.exec(select(Person.id).where(Person.iin == text)).all()) if text.isdigit() \
        else _persons_named(text, session)
    if not pids:
        return []
    cids = set(session.exec(select(Case.id).where(col(Case.applicant_id).in_(pids))).all())
    cids |= set(session.exec(select(FamilyMember.case_id).where(col(FamilyMember.person_id).in_(pids))).all())
    return pids + sorted(cids)


def _persons_named(text: str, session: Session) -> list[str]:
    """Surname in any spelling and case: kk, ru or Latin letters (SQLite's lower() folds ASCII
    only, so both sides go through search.fold, like the case search). More words narrow it
    down by the first name and patronymic: "Құрманғазы Ер"."""
    query, words = search.fts_query(text), search.tokens(text)
    if query is None:
        return []
    rows = session.execute(sql_text(_NAMED), {"q": query, "cap": MAX_PERSONS})
    return [pid for pid, surname, *names in rows
            if _starts(words[0], search.tokens(surname)) and all(_starts(w, search.tokens(surname, *names))
                                                                  for w in words[1:])]


def _starts(word: str, words: list[str]) -> bool:
    return any(w.startswith(word) for w in words)


def _case_entities(text: str, session: Session) -> list[str]:
    text = text.strip()
    query = select(Case.id).where(or_(col(Case.id) == text, col(Case.number).like(f"%{text.upper()}%")))
    return list(session.exec(query.limit(1000)).all())


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def conditions(flt: AuditFilter, session: Session) -> list[Any]:
    where: list[Any] = []
    if flt.user:
        where.append(AuditEntry.user == flt.user)
    if flt.action:
        where.append(AuditEntry.action == flt.action)
    if flt.date_from:
        where.append(AuditEntry.at >= _local_midnight(flt.date_from))
    if flt.date_to:
        where.append(AuditEntry.at < _local_midnight(flt.date_to + timedelta(days=1)))
    for text, find in ((flt.person, _person_entities), (flt.case, _case_entities)):
        if text and text.strip():
            where.append(col(AuditEntry.entity_id).in_(find(text, session)))
    return where


def entry_ids(flt: AuditFilter, *, session: Session, limit: int | None = None) -> list[int]:
    """Newest first: the audit page's model holds only these ids."""
    permissions.require("audit.read", session)  # the trail names persons: head of office and admin only
    query = select(AuditEntry.id).where(*conditions(flt, session)).order_by(col(AuditEntry.id).desc())
    # A stored entry always has its id; the model declares it optional (unsaved rows).
    return cast(list[int], list(session.exec(query.limit(limit) if limit else query).all()))


def entries(ids: list[int], *, session: Session) -> list[AuditEntry]:
    rows = session.exec(select(AuditEntry).where(col(AuditEntry.id).in_(ids))).all()
    order: dict[int | None, int] = {i: n for n, i in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r.id])


def case_numbers(case_ids: list[str | None], *, session: Session) -> dict[str, str]:
    """Case id → human number, for showing entries (the trail stores the stable id)."""
    wanted = [c for c in set(case_ids) if c]
    if not wanted:
        return {}
    return dict(session.exec(select(Case.id, Case.number).where(col(Case.id).in_(wanted))).all())


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    doc = {k: getattr(entry, k) for k in COLUMNS}
    try:
        doc["changes"] = json.loads(entry.changes)
    except ValueError:
        pass
    return doc


def users(*, session: Session) -> list[str]:
    return list(session.exec(select(AuditEntry.user).distinct().order_by(AuditEntry.user)).all())


def export(flt: AuditFilter, out: Path, *, session: Session, fmt: str | None = None) -> int:
    """Write the filtered entries to CSV (UTF-8 with BOM, for Excel) or XLSX; audited."""
    permissions.require('audit.export', session)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "xlsx"):
        raise UserError(N_("must end in .csv or .xlsx"), field="file")
    ids = entry_ids(flt, session=session)
    rows = ([e.id, e.at.isoformat(), e.user, e.office, e.action, e.entity, e.entity_id, e.changes, e.hash]
            for chunk in range(0, len(ids), 500) for e in entries(ids[chunk:chunk + 500], session=session))
    with privacy.private_output(out) as partial:  # owner-only, whole or not at all (issue 12 §8)
        (_write_csv if fmt == "csv" else _write_xlsx)(partial, rows)
    audit.record("export", "audit", None, {"rows": [None, len(ids)], "format": [None, fmt]}, session=session)
    return len(ids)


def _write_csv(out: Path, rows: Any) -> None:
    with privacy.open_private(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def _write_xlsx(out: Path, rows: Any) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("audit")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(out)
