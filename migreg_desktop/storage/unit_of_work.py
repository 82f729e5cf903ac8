"""The unit of work every door writes through (issue 13 §1).

``with work.session() as s: service(..., session=s)`` commits at the end (or rolls back on an
error); then the follow-ups run on what the transaction changed — the one re-check policy,
``eligibility.watch.on_changes`` — and what they changed in turn is added; last, ``notify``
hands the whole ``Changes`` to the window's hub (or to the CLI, which re-checks every open case
after new reference data). The window (``app.py``) and the CLI (``cli/context.py``) build it the
same way: ``eligibility.watch.unit_of_work``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from migreg_desktop import changes as changes_
from migreg_desktop.changes import Changes
from migreg_desktop.storage.db import StoreSession, session_scope

T = TypeVar("T")
FollowUp = Callable[[Changes, "UnitOfWork"], Changes]
Notify = Callable[[Changes], None]


@dataclass(frozen=True)
class UnitOfWork:
    engine: Engine
    actor: Any = None  # a name, a permissions.Actor, or a callable giving either (the window's login)
    follow_ups: Sequence[FollowUp] = ()
    notify: Notify | None = None

    def for_actor(self, actor: Any) -> UnitOfWork:
        """The same unit of work for a job that captured who started it."""
        return replace(self, actor=actor)

    def who(self) -> Any:
        return self.actor() if callable(self.actor) else self.actor

    @contextmanager
    def session(self) -> Iterator[StoreSession]:
        with session_scope(self.engine, actor=self.who()) as s:
            yield s
        self.apply(changes_.take(s))

    def run(self, op: Callable[[StoreSession], T]) -> tuple[T, Changes]:
        """``op(session)`` in one transaction; returns its result and what it changed (with the
        follow-ups' changes), as Anki's operations return ``OpChanges``."""
        with session_scope(self.engine, actor=self.who()) as s:
            result = op(s)
        return result, self.apply(changes_.take(s))

    @contextmanager
    def quiet_session(self) -> Iterator[StoreSession]:
        """For the follow-ups themselves: commits, but its changes go back to the caller."""
        with session_scope(self.engine, actor=self.who()) as s:
            yield s

    def apply(self, done: Changes) -> Changes:
        if not done:
            return done
        for follow_up in self.follow_ups:
            done = done | follow_up(done, self)
        if self.notify is not None:
            self.notify(done)
        return done
