"""The audit trail: every create / update / delete, who, when, old → new.

One entry point (``record``): every entry is hash-chained there (services/audit_chain.py), so
an edited or removed entry is found by ``migreg audit verify`` and at start-up.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from migreg_desktop.models import AuditEntry
from migreg_desktop.models.base import utcnow

SYSTEM = "system"


def actor(session: Session) -> str:
    return str(session.info.get("actor") or SYSTEM)


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [_plain(old.get(k)), _plain(new.get(k))]
        for k in sorted(set(old) | set(new))
        if _plain(old.get(k)) != _plain(new.get(k))
    }


def record(
    action: str, entity: str, entity_id: str | None, changes: dict[str, Any] | None = None,
    *, session: Session, office: str | None = None,
) -> AuditEntry:
    from migreg_desktop.accounts.office import current_office_code

    entry = AuditEntry(
        at=utcnow(), user=actor(session), office=office or current_office_code(session=session),
        action=action, entity=entity, entity_id=entity_id,
        changes=json.dumps(changes or {}, ensure_ascii=False, default=str, sort_keys=True),
    )
    session.add(entry)
    from migreg_desktop.accounts.audit_chain import seal

    seal(entry, session=session)
    return entry
