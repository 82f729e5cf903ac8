"""The reference datasets shipped with the program, and whether the database already holds them.

Every command opens the database through refdata/setup.open_existing, which loads shipped data
newer than the stored one (a program update). ``all_loaded`` answers that with one Core query
and the small JSON files, so that a command that only reads (``case list``) neither imports the
models nor the loaders (issue 17 §5); refdata/refdata.load_shipped does the loading.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migreg_desktop.errors import UserError
from migreg_desktop.paths import resource

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


def all_loaded(session: Session) -> bool:
    """True if no shipped dataset is newer than the stored one (load_shipped would do nothing)."""
    from sqlalchemy import text

    stored = {name: version for name, version in session.execute(text("SELECT dataset, version FROM refdata_version"))}
    for path in shipped_datasets():
        data = read_dataset(path)
        current = stored.get(data["dataset"])
        if current is None or version_key(str(data["version"])) > version_key(current):
            return False
    return True


def office_code(session: Session) -> str | None:
    from sqlalchemy import text

    return session.execute(text("SELECT value FROM meta WHERE key = 'office_code'")).scalar()
