"""The reference datasets shipped with the program, and whether the database already holds them.

Every command opens the database through refdata/setup.open_existing, which loads shipped data
newer than the stored one (a program update). ``all_loaded`` answers that with one Core query
and the small JSON files, so that a command that only reads (``case list``) neither imports the
models nor the loaders (issue 17 §5); refdata/refdata.load_shipped does the loading.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migreg_desktop.errors import UserError
from migreg_desktop.paths import resource
from migreg_desktop.storage.reader import Rows, can_read, reading, rows

if TYPE_CHECKING:  # `offices` reads the files only: no SQLAlchemy
    from sqlalchemy.orm import Session


def read_dataset(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError("cannot read reference data {path}: {error}", path=str(path), error=str(exc)) from exc
    if not isinstance(data, dict) or "dataset" not in data or "version" not in data:
        raise UserError("{path} is not a reference dataset (no dataset/version)", path=str(path))
    return data


def version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def shipped_datasets() -> list[Path]:
    folder = resource("refdata")
    return sorted(folder.glob("*.json"))


def all_loaded(db: Rows | Session) -> bool:
    """True if no shipped dataset is newer than the stored one (load_shipped would do nothing)."""
    stored = {name: version for name, version in rows(db).execute("SELECT dataset, version FROM refdata_version")}
    for path in shipped_datasets():
        data = read_dataset(path)
        current = stored.get(data["dataset"])
        if current is None or version_key(str(data["version"])) > version_key(current):
            return False
    return True


def office_code(db: Rows | Session) -> str | None:
    found = rows(db).execute("SELECT value FROM meta WHERE key = 'office_code'").fetchone()
    return None if found is None else str(found[0])


@contextmanager
def read_as_is(db_file: Path | None = None) -> Iterator[Rows | None]:
    """A read-only connection when the database needs nothing before it is read: current schema,
    the shipped data loaded, an office bound (what setup.open_existing would otherwise do);
    None when it does: the caller opens it the full way (issue 17 §5, issue 15's first screen)."""
    if not can_read(db_file):
        yield None
        return
    with reading(db_file) as db:
        yield db if all_loaded(db) and office_code(db) is not None else None
