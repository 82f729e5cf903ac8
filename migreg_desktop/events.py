"""Typed change events, emitted only after a commit (never for rolled-back work).

Services call ``emit_after_commit(session, "case_changed", case_id)``; the window bridges the
hub to Qt signals (ui/hub.py) and refreshes only the affected rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

EVENTS = (
    "case_changed",        # case id
    "cases_reset",         # None: many cases changed (import, demo)
    "refdata_changed",     # dataset name
    "quota_changed",       # (region_kato, year)
    "settings_changed",    # key
)

Listener = Callable[[Any], None]


class Hub:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def connect(self, name: str, listener: Listener) -> None:
        self._listeners[name].append(listener)

    def disconnect(self, name: str, listener: Listener) -> None:
        if listener in self._listeners[name]:
            self._listeners[name].remove(listener)

    def emit(self, name: str, payload: Any = None) -> None:
        for listener in list(self._listeners[name]):
            listener(payload)


hub = Hub()


def emit_after_commit(session: OrmSession, name: str, payload: Any = None) -> None:
    pending = session.info.setdefault("pending_events", [])
    if (name, payload) not in pending:
        pending.append((name, payload))


@event.listens_for(OrmSession, "after_commit")
def _flush_events(session: OrmSession) -> None:
    for name, payload in session.info.pop("pending_events", []):
        hub.emit(name, payload)


@event.listens_for(OrmSession, "after_rollback")
def _drop_events(session: OrmSession) -> None:
    session.info.pop("pending_events", None)
