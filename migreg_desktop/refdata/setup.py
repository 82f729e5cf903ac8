"""Creating and opening an office's database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from migreg_desktop import paths
from migreg_desktop.accounts import permissions
from migreg_desktop.refdata import shipped
from migreg_desktop.storage import db
from migreg_desktop.storage.db import session_scope


def init_database(office_code: str, db_file: Path | None = None, *,
                  actor: Any = None) -> tuple[Engine, list[str]]:
    """Create (or reopen) the database, load shipped reference data, bind it to an office.
    ``actor``: who asked (checked against ``office.init`` on an existing database)."""
    path = db_file or paths.db_path()
    fresh = not path.exists()
    if actor is not None and not fresh:
        permissions.require_on_file("office.init", actor, path)
    from migreg_desktop.accounts.office import assign_office
    from migreg_desktop.refdata import refdata

    engine = None
    try:
        engine = db.open_database(path, create=True)
        with session_scope(engine, actor="system") as session:
            loaded = refdata.load_shipped(session=session)
            assign_office(office_code, session=session)
    except BaseException:
        # A failed init (unknown office code …) must not leave an office-less database behind:
        # every later command would refuse it. Only a file this call created is removed.
        if engine is not None:
            engine.dispose()
        if fresh:
            _remove_database(path)
        raise
    return engine, loaded


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def open_existing(db_file: Path | None = None, actor: str | None = None, stage: db.Stage | None = None) -> Engine:
    """Open an initialised database; load shipped reference data newer than the stored one.
    ``stage``: told what takes long on the way (storage/db.open_database)."""
    engine = db.open_database(db_file, stage=stage)
    with session_scope(engine, actor=actor or "system") as session:
        if not shipped.all_loaded(session):  # a program update ships newer data; else no models needed
            from migreg_desktop.refdata import refdata

            refdata.load_shipped(session=session)
        if shipped.office_code(session) is None:
            from migreg_desktop.errors import UserError

            raise UserError("This database has no office yet. Run 'migreg init --office CODE'.")
    return engine
