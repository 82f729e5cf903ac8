"""What every widget gets from app.py: the database, settings, the signal hub, who is working,
and the operation runner for long jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ..db import session_scope
from ..settings import Settings
from .hub import QtHub
from .operations import OperationRunner


@dataclass
class AppContext:
    engine: Engine
    settings: Settings
    hub: QtHub
    office_code: str
    role: str = "district"  # district | oblast
    user: str = field(default="")
    ops: OperationRunner = field(default_factory=OperationRunner)  # every long job of the window

    @property
    def actor(self) -> str:
        return self.user or self.settings.get("clerk_name") or "clerk"

    def may(self, action: str) -> bool:
        """Whether the working account may do ``action`` here: the permissions table decides
        (services/permissions.py); each control that performs an action is shown or enabled by it."""
        from ..services import permissions

        with self.session() as s:
            return permissions.may(action, s)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work on the GUI thread: short reads and single-case writes only."""
        with session_scope(self.engine, actor=self.actor) as s:
            yield s
