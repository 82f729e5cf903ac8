"""What every widget gets from app.py: the database, settings, the signal hub, who is working,
and the operation runner for long jobs.

The engine may come a moment after the context (issue 15: the first screen, a filled case list,
does not wait for SQLAlchemy): until ``set_engine``, reads go through ``reading`` on a read-only
connection (storage/reader.py) and the permissions are answered from plain reads
(accounts/at_start.py); ``hub.databaseOpened`` says when writes and the other pages can start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from migreg_desktop.settings import Settings
from migreg_desktop.ui.hub import QtHub
from migreg_desktop.ui.operations import OperationRunner

if TYPE_CHECKING:  # the database layers load after the first screen (app.py)
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from migreg_desktop.accounts.permissions import Actor
    from migreg_desktop.storage.reader import Rows
    from migreg_desktop.storage.unit_of_work import UnitOfWork


class DatabaseNotOpen(RuntimeError):
    """A write (or an ORM read) asked for before the engine was set: a bug in the start-up order."""


class AppContext:
    def __init__(self, *, engine: Engine | None, settings: Settings, hub: QtHub, office_code: str,
                 role: str = "district", user: str = "", ops: OperationRunner | None = None,
                 db_file: Path | None = None) -> None:
        self.settings = settings
        self.hub = hub
        self.office_code = office_code
        self.role = role  # district | oblast
        self.user = user
        self.ops = ops if ops is not None else OperationRunner()  # every long job of the window
        self.db_file = db_file  # read by ``reading`` until the engine is set (None: paths.db_path())
        self._engine: Engine | None = None
        self._work: UnitOfWork | None = None
        # Set by app.py while the engine opens on a worker: blocks until it is there (something
        # clicked in the first half second waits for it instead of failing).
        self.await_engine: Callable[[], Engine] | None = None
        if engine is not None:
            self.set_engine(engine)

    def set_engine(self, engine: Engine) -> None:
        """The database is open: every write goes through one unit of work (eligibility.watch)."""
        from migreg_desktop.eligibility.watch import unit_of_work

        self._engine = engine
        self._work = unit_of_work(engine, lambda: self.actor, notify=self.hub.apply)

    @property
    def opened(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.await_engine is None:
                raise DatabaseNotOpen("the database is not open yet")
            self.set_engine(self.await_engine())
        assert self._engine is not None
        return self._engine

    @property
    def work(self) -> UnitOfWork:
        if self._work is None:
            self.engine  # noqa: B018  (waits for it, and builds the unit of work)
        assert self._work is not None
        return self._work

    @work.setter
    def work(self, value: UnitOfWork) -> None:
        self._work = value

    @property
    def actor(self) -> str:
        return self.user or self.settings.get("clerk_name") or "clerk"

    def may(self, action: str) -> bool:
        """Whether the working account may do ``action`` here: the permissions table decides
        (services/permissions.py); each control that performs an action is shown or enabled by it."""
        return self.may_now()(action)

    def may_now(self) -> Callable[[str], bool]:
        """``may`` for several actions at once (the navigation, Preferences): the same table,
        who is acting looked up once instead of once per action (start-up, issue 15)."""
        from migreg_desktop.accounts import permissions

        acting = self.acting()
        return lambda action: permissions.allowed(action, acting)

    def acting(self) -> Actor:
        if self._engine is None:
            from migreg_desktop.accounts import at_start
            from migreg_desktop.storage.reader import reading

            with reading(self.db_file) as db:
                return at_start.actor(self.actor, db)
        from migreg_desktop.accounts import permissions

        with self.session() as s:
            return permissions.actor_of(s)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits at the end, then re-checks what changed and tells the hub.
        On the GUI thread: short reads and single-case writes only; long work goes to ``ops``."""
        with self.work.session() as s:
            yield s

    @contextmanager
    def reading(self) -> Iterator[Rows | Session]:
        """For a read only: the session once the database is open, a read-only connection
        before (the first screen)."""
        if self._engine is not None:
            with self.session() as s:
                yield s
            return
        from migreg_desktop.storage.reader import reading

        with reading(self.db_file) as db:
            yield db
