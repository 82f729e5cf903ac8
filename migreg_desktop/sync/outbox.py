"""What is still unsent or unacknowledged, per receiver (the window's Outbox, `migreg outbox`)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from migreg_desktop.accounts.office import current_office_code, role
from migreg_desktop.models import Office
from migreg_desktop.storage import records, sync_keys
from migreg_desktop.sync import audit_witness
from migreg_desktop.sync.export import _join, pending_where, raw


def receivers(*, session: Session) -> list[str]:
    """Partners this office sends to: the oblast for a district, every trusted district for the oblast."""
    con = raw(session)
    trusted = [r[0] for r in con.execute("SELECT office_code FROM sync_partner ORDER BY office_code")]
    if role(session=session) == "district":
        oblast = list(session.exec(select(Office.code).where(Office.kind == "oblast")))
        return sorted(set(trusted) & set(oblast)) or oblast
    return trusted


def summary(receiver: str, *, session: Session) -> dict[str, Any]:
    con = raw(session)
    where = pending_where(receiver, role(session=session))
    unsent: dict[str, int] = {}
    waiting: dict[str, int] = {}
    for code, n_unsent, n_waiting in con.execute(
            f"SELECT c.kind, SUM(d.receiver IS NULL OR d.sent_version < c.version), "
            f"SUM(d.receiver IS NOT NULL AND d.sent_version >= c.version) FROM sync_change c{_join()} "
            f"WHERE {where} GROUP BY c.kind", {"receiver": receiver}):
        rt = records.by_code(code)
        rtype = rt.name if rt else str(code)
        if n_unsent:
            unsent[rtype] = int(n_unsent)
        if n_waiting:
            waiting[rtype] = int(n_waiting)
    channel = con.execute("SELECT last_sequence, last_acked FROM sync_channel WHERE receiver = ?", (receiver,)).fetchone()
    packages = [{"sequence": s, "kind": k, "created_at": str(c), "file": f, "counts": json.loads(n or "{}"),
                 "acknowledged": a is not None, "acknowledged_at": str(a) if a else None}
                for s, k, c, f, n, a in con.execute(
                    "SELECT sequence, kind, created_at, file_name, counts, acknowledged_at FROM sync_outbound "
                    "WHERE receiver = ? ORDER BY sequence DESC LIMIT 50", (receiver,))]
    return {"office": receiver, "last_sequence": channel[0] if channel else 0,
            "last_acknowledged": channel[1] if channel else 0, "unsent": unsent, "awaiting_ack": waiting,
            "pending": sum(unsent.values()) + sum(waiting.values()), "packages": packages}


def outbox(receiver: str | None = None, *, session: Session) -> dict[str, Any]:
    targets = [receiver.upper()] if receiver else receivers(session=session)
    return {"office": current_office_code(session=session), "role": role(session=session),
            "receivers": [summary(r, session=session) for r in targets]}


def pending_cases(receiver: str, *, session: Session, limit: int = 1000) -> list[dict[str, Any]]:
    """Cases with unsent or unacknowledged records, for the Outbox page."""
    con = raw(session)
    where = pending_where(receiver, role(session=session))
    cases_code, others = records.REGISTRY["cases"].code, ("family_members", "documents", "status_changes")
    # The log's key is the row's key as stored (storage/sync_keys.py): joined as it is.
    in_case = " UNION ALL ".join(f"SELECT t.case_id FROM {records.REGISTRY[n].table} t "
                                 f"WHERE {sync_keys.row_sql(records.REGISTRY[n], 'x', 't')}" for n in others)
    sql = (f"SELECT cs.number, cs.applicant_name, cs.status, COUNT(*), SUM(x.unsent), MAX(x.sent_in) FROM ("
           f"SELECT c.key, c.kind, (d.receiver IS NULL OR d.sent_version < c.version) AS unsent, "
           f"d.sent_sequence AS sent_in FROM sync_change c{_join()} WHERE {where}) x "
           f"JOIN cases cs ON cs.id = CASE x.kind WHEN {cases_code} THEN x.key ELSE ({in_case}) END "
           f"GROUP BY cs.id ORDER BY cs.number LIMIT :limit")
    return [{"number": n, "applicant_name": a, "status": s, "records": int(k), "unsent": int(u or 0),
             "sent_in": seq} for n, a, s, k, u, seq in con.execute(sql, {"receiver": receiver, "limit": limit})]


def inbox(*, session: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Packages imported here, newest first (the Inbox page), with the warnings they raised;
    reference packages from the oblast among them, with their versions and what they changed
    (issue 15, sync/refchanges.py)."""
    from migreg_desktop.sync import refchanges

    flagged: dict[tuple[str, int], list[str]] = {}
    for w in audit_witness.warnings(session=session):
        flagged.setdefault((w["office"], w["sequence"]), []).append(w["code"])
    rows = [{"sender": s, "sequence": q, "kind": k, "imported_at": str(i), "imported_by": b,
             "counts": json.loads(c or "{}"), "conflicts": n, "acknowledged_in": a,
             "warnings": flagged.get((s, q), [])}
            for s, q, k, i, b, c, n, a in raw(session).execute(
                "SELECT sender, sequence, kind, imported_at, imported_by, counts, conflicts, ack_sequence "
                "FROM sync_inbound ORDER BY imported_at DESC, sequence DESC LIMIT ?", (limit,))]
    rows += refchanges.history(session=session, limit=limit)
    rows.sort(key=lambda r: (r["imported_at"][:19], r["sequence"]), reverse=True)
    return rows[:limit]
