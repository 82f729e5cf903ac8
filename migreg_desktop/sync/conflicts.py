"""The conflict queue: incoming edits that were not applied because they would overwrite a
record owned here, or a local edit. The clerk sees them field by field and accepts or rejects.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office_code
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.sync import SyncConflict
from migreg_desktop.storage import records, sync_keys
from migreg_desktop.sync import staging
from migreg_desktop.sync.export import raw


def list_conflicts(status: str | None = "open", *, session: Session, limit: int = 500) -> list[dict[str, Any]]:
    stmt = select(SyncConflict).order_by(col(SyncConflict.id))
    if status:
        stmt = stmt.where(SyncConflict.status == status)
    return [_brief(c, session) for c in session.exec(stmt.limit(limit)).all()]


def _case_number(c: SyncConflict, session: Session) -> str | None:
    rt = records.get(c.record_type)
    data = json.loads(c.incoming) or json.loads(c.local)
    if rt is not None and rt.table == "person":
        row = raw(session).execute(
            "SELECT number FROM cases WHERE applicant_id = id_db(?) UNION ALL SELECT c.number FROM family_member f "
            "JOIN cases c ON c.id = f.case_id WHERE f.person_id = id_db(?) LIMIT 1", (c.record_id, c.record_id)).fetchone()
        return row[0] if row else None
    case_id = c.record_id if c.record_type == "cases" else (data.get(rt.case_column) if rt and rt.case_column else None)
    if not case_id:
        return None
    row = raw(session).execute("SELECT number FROM cases WHERE id = id_db(?)", (case_id,)).fetchone()
    return row[0] if row else data.get("number")


def _brief(c: SyncConflict, session: Session) -> dict[str, Any]:
    return {"id": c.id, "sender": c.sender, "sequence": c.sequence, "record_type": c.record_type,
            "record_id": c.record_id, "case_number": _case_number(c, session), "owner": c.owner,
            "version": c.version, "base_version": c.base_version, "deleted": c.deleted, "status": c.status,
            "created_at": c.created_at.isoformat() if c.created_at else None,
            "fields": len(fields(c, session=session))}


def get(conflict_id: int, *, session: Session) -> SyncConflict:
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise NotFound("no conflict {id}", field="conflict", id=conflict_id)
    return c


def current_row(c: SyncConflict, *, session: Session) -> dict[str, Any] | None:
    rt = records.get(c.record_type)
    if rt is None:
        return None
    cols = rt.columns()
    row = raw(session).execute(f"SELECT {', '.join(rt.read_sql(k) for k in cols)} FROM {rt.table} WHERE {rt.key} = {rt.bind_sql(rt.key)}",
                               (c.record_id,)).fetchone()
    return dict(zip(cols, row, strict=True)) if row else None


def fields(c: SyncConflict, *, session: Session) -> list[dict[str, Any]]:
    """Field-by-field differences: what we hold now and what came in."""
    rt = records.get(c.record_type)
    local = current_row(c, session=session) or {}
    incoming = {} if c.deleted else json.loads(c.incoming)
    skip = rt.not_compared if rt else set()
    keys = [k for k in (rt.columns() if rt else sorted(set(local) | set(incoming))) if k not in skip]
    return [{"field": k, "local": local.get(k), "incoming": incoming.get(k)}
            for k in keys if local.get(k) != incoming.get(k)]


def detail(conflict_id: int, *, session: Session) -> dict[str, Any]:
    c = get(conflict_id, session=session)
    return {**_brief(c, session), "differences": fields(c, session=session)}


def _open(conflict_id: int, session: Session) -> tuple[SyncConflict, records.RecordType]:
    c = get(conflict_id, session=session)
    if c.status != "open":
        raise UserError("Conflict {id} was already resolved ({status}).", field="conflict", id=c.id, status=c.status)
    rt = records.get(c.record_type)
    if rt is None:
        raise UserError("unknown record type {name}", field="conflict", name=c.record_type)
    return c, rt


def accept(conflict_id: int, *, session: Session) -> SyncConflict:
    """Take the incoming version. On our own record it becomes our new version (and goes back to
    the partner with the next export); on the partner's record our local edit is dropped."""
    permissions.require('conflict.accept', session)
    c, rt = _open(conflict_id, session)
    con = raw(session)
    mine = c.owner == current_office_code(session=session)
    if not mine:
        con.execute("INSERT OR IGNORE INTO sync_suppress (flag) VALUES (1)")
    if c.deleted:
        con.execute(f"DELETE FROM {rt.table} WHERE {rt.key} = {rt.bind_sql(rt.key)}", (c.record_id,))
    else:
        _write_incoming(con, rt, json.loads(c.incoming), bump=mine)
    if not mine:
        con.execute("DELETE FROM sync_suppress")
        con.execute(f"DELETE FROM sync_change WHERE {sync_keys.MATCH}", sync_keys.match(rt, c.record_id))
        _hold_version(con, rt, c)
    _reindex(con, rt, c)
    return _close(c, "accepted", session)


def reject(conflict_id: int, *, session: Session) -> SyncConflict:
    """Keep ours. A later copy of the same incoming version is then not queued again."""
    permissions.require('conflict.accept', session)
    c, rt = _open(conflict_id, session)
    if c.owner != current_office_code(session=session):
        _hold_version(raw(session), rt, c)
    return _close(c, "rejected", session)


def _write_incoming(con: Any, rt: records.RecordType, data: dict[str, Any], *, bump: bool) -> None:
    cols = set(rt.columns())
    values = {k: v for k, v in data.items() if k in cols and k not in rt.not_compared}
    if "updated_at" in cols:
        values["updated_at"] = utcnow().isoformat(sep=" ")
    key = f"{rt.key} = {rt.bind_sql(rt.key)}"
    exists = con.execute(f"SELECT 1 FROM {rt.table} WHERE {key}", (data[rt.key],)).fetchone()
    if exists:
        sets = ", ".join(f"{k} = {rt.bind_sql(k)}" for k in values if k != rt.key)
        if bump and "version" in cols:
            sets += ", version = version + 1"
        con.execute(f"UPDATE {rt.table} SET {sets} WHERE {key}",
                    [v for k, v in values.items() if k != rt.key] + [data[rt.key]])
    else:
        full = {**data, **values}
        con.execute(f"INSERT INTO {rt.table} ({', '.join(full)}) VALUES ({', '.join(rt.bind_sql(k) for k in full)})",
                    list(full.values()))


def _hold_version(con: Any, rt: records.RecordType, c: SyncConflict) -> None:
    con.execute(f"INSERT INTO sync_record ({sync_keys.COLUMNS}, origin, version, sequence, outcome) "
                f"VALUES (?, ?, ?, ?, ?, 'conflict') ON CONFLICT ({sync_keys.COLUMNS}) DO UPDATE SET "
                "version = MAX(version, excluded.version), outcome = 'conflict'",
                (*sync_keys.match(rt, c.record_id), c.sender, c.version, c.sequence))


def _reindex(con: Any, rt: records.RecordType, c: SyncConflict) -> None:
    staging.prepare(con)
    data = json.loads(c.incoming)
    if rt.table == "person":
        con.execute("INSERT OR IGNORE INTO temp.sync_touched_person VALUES (id_db(?))", (c.record_id,))
    elif rt.case_column and data.get(rt.case_column):
        con.execute("INSERT OR IGNORE INTO temp.sync_touched VALUES (id_db(?))", (data[rt.case_column],))
    staging.reindex_cases(con)


def _close(c: SyncConflict, status: str, session: Session) -> SyncConflict:
    c.status, c.resolved_at, c.resolved_by = status, utcnow(), audit.actor(session)
    session.add(c)
    audit.record("conflict_" + status, c.record_type, c.record_id,
                 {"from": [None, f"{c.sender}#{c.sequence}"]}, session=session)
    record_change(session, "cases_reset", None)
    return c
