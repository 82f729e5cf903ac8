"""What every widget gets from app.py: the database, settings, the signal hub, who is working,
and the operation runner for long jobs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from migreg_desktop.eligibility.watch import unit_of_work
from migreg_desktop.settings import Settings
from migreg_desktop.storage.unit_of_work import UnitOfWork
from migreg_desktop.ui.hub import QtHub
from migreg_desktop.ui.operations import OperationRunner


@dataclass
class AppContext:
    engine: Engine
    settings: Settings
    hub: QtHub
    office_code: str
    role: str = "district"  # district | oblast
    user: str = field(default="")
    ops: OperationRunner = field(default_factory=OperationRunner)  # every long job of the window
    work: UnitOfWork = field(init=False)  # every write (eligibility.watch.unit_of_work)

    def __post_init__(self) -> None:
        # The same unit of work as app.py's, also in a context made by hand (tests).
        self.work = unit_of_work(self.engine, lambda: self.actor, notify=self.hub.apply)

    @property
    def actor(self) -> str:
        return self.user or self.settings.get("clerk_name") or "clerk"

    def may(self, action: str) -> bool:
        """Whether the working account may do ``action`` here: the permissions table decides
        (services/permissions.py); each control that performs an action is shown or enabled by it."""
        from migreg_desktop.accounts import permissions

        with self.session() as s:
            return permissions.may(action, s)

    def may_now(self) -> Callable[[str], bool]:
        """``may`` for several actions at once (the navigation, Preferences): the same table,
        who is acting looked up once instead of once per action (start-up, issue 15)."""
        from migreg_desktop.accounts import permissions

        with self.session() as s:
            actor = permissions.actor_of(s)
        return lambda action: permissions.allowed(action, actor)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits at the end, then re-checks what changed and tells the hub.
        On the GUI thread: short reads and single-case writes only; long work goes to ``ops``."""
        with self.work.session() as s:
            yield s
