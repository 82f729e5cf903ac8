"""Which schema a database file has and which the program expects, read with plain sqlite3 and
the migration files' own text: no SQLAlchemy or Alembic import (issue 17 §5, issue 15: a command
or the first screen that only reads must not pay for them)."""

from __future__ import annotations

import ast
import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

from migreg_desktop.errors import IntegrityError, SchemaTooNew

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@cache
def _revision_graph() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads), read from the migration files' own ``revision`` and
    ``down_revision`` assignments: opening a database that is already current then needs no
    Alembic import at all (issue 17 §5: a command should answer at once)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        values = _assignments(path.read_text(encoding="utf-8"))
        if "revision" not in values:
            continue
        revisions.add(values["revision"])
        down = values.get("down_revision")
        parents.update((down,) if isinstance(down, str) else down or ())
    return frozenset(revisions), frozenset(revisions - parents)


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


def _assignments(source: str) -> dict[str, Any]:
    """The module-level ``revision`` / ``down_revision`` literals. A line scan, not ``ast.parse``
    of ~30 files (20 ms on every start); a value split over lines falls back to the parser."""
    values: dict[str, Any] = {}
    for name, text in _ASSIGNMENT.findall(source):
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):  # e.g. a tuple over several lines
            return _parsed(source)
    return values


def _parsed(source: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ("revision", "down_revision")):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@cache
def _parents() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        values = _assignments(path.read_text(encoding="utf-8"))
        if "revision" in values:
            down = values.get("down_revision")
            found[values["revision"]] = (down,) if isinstance(down, str) else tuple(down or ())
    return found


def applied(current: set[str]) -> set[str]:
    """The revisions a database at ``current`` has been through (``current`` and their ancestors)."""
    parents, seen, todo = _parents(), set[str](), list(current)
    while todo:
        rev = todo.pop()
        if rev not in seen:
            seen.add(rev)
            todo.extend(parents.get(rev, ()))
    return seen


def script_heads() -> set[str]:
    return set(_revision_graph()[1])


def known_revisions() -> set[str]:
    return set(_revision_graph()[0])


def db_revisions(db_file: Path) -> set[str]:
    if not db_file.exists():
        return set()
    con = sqlite3.connect(db_file)
    try:
        rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):
            return set()
        raise IntegrityError("The database file cannot be read: {error}", error=str(exc)) from exc
    finally:
        con.close()
    return {r[0] for r in rows}


def check_not_newer(db_file: Path) -> set[str]:
    current = db_revisions(db_file)
    unknown = current - known_revisions()
    if unknown:
        raise SchemaTooNew(
            "This database was made by a newer version of the program ({revision}). "
            "Install the newer version; the database was not changed.",
            revision=", ".join(sorted(unknown)),
        )
    return current


def is_current(db_file: Path) -> bool:
    """The file exists and has exactly the program's schema (nothing to migrate)."""
    try:
        return db_file.exists() and check_not_newer(db_file) == script_heads()
    except (IntegrityError, SchemaTooNew, sqlite3.Error):
        return False
