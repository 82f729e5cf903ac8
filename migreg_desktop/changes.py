"""What a unit of work changed (issue 13 §1; Anki's ``OpChanges``).

A service that writes records what it changed on its session — ``record(session, "case_changed",
case.id)`` — and the unit of work (``storage/unit_of_work.py``) hands the committed ``Changes``
to the one re-check policy and then to the window's hub. Rolled-back work changes nothing, so a
rollback drops what was recorded. No listener is involved: the value travels with the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = (
    "case_changed",        # case id
    "cases_reset",         # None: many cases changed (import, demo)
    "refdata_changed",     # dataset name
    "quota_changed",       # (region_kato, year)
    "settings_changed",    # key
)
_PENDING = "pending_changes"
_COMMITTED = "committed_changes"


@dataclass(frozen=True)
class Changes:
    """Events in the order they happened, each once: (kind, payload)."""

    events: tuple[tuple[str, Any], ...] = ()

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.events + tuple(e for e in other.events if e not in self.events))

    def __bool__(self) -> bool:
        return bool(self.events)

    def of(self, kind: str) -> list[Any]:
        return [payload for name, payload in self.events if name == kind]

    @property
    def case_ids(self) -> list[str]:
        return [str(p) for p in self.of("case_changed") if p]

    @property
    def datasets(self) -> list[str]:
        return [str(p) for p in self.of("refdata_changed")]

    @property
    def cases_reset(self) -> bool:
        return bool(self.of("cases_reset"))


def record(session: Any, kind: str, payload: Any = None) -> None:
    """Note a change of this session's transaction; it counts once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r}")
    pending: list[tuple[str, Any]] = session.info.setdefault(_PENDING, [])
    if (kind, payload) not in pending:
        pending.append((kind, payload))


def committed(session: Any) -> None:
    """The transaction committed: what it recorded now counts (storage.db.StoreSession.commit)."""
    done = session.info.pop(_PENDING, [])
    if done:
        session.info[_COMMITTED] = session.info.get(_COMMITTED, Changes()) | Changes(tuple(done))


def rolled_back(session: Any) -> None:
    session.info.pop(_PENDING, None)


def take(session: Any) -> Changes:
    """What the session's committed transactions changed, taken once (by the unit of work)."""
    taken: Changes = session.info.pop(_COMMITTED, Changes())
    return taken
