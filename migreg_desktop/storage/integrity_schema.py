"""The schema a database may have (issue 12 §5): what the migrations create, nothing more.

A restored backup or an opened file may carry objects this program never made: a trigger that
makes a clerk an admin at the next login, a view or index with a changed definition, an extra
table. ``differences`` compares the file's ``sqlite_master`` (type, name, table, SQL with its
whitespace normalised) with a database freshly migrated to the **same revisions** by this
program's migrations, so no list is written by hand and an older backup is compared with what
its own version created. The expected set is built once per revision set and process (a
migration takes ~0.3 s) and kept in memory only: a cache on disk could be edited like the file.

Used by services/restore (a backup that differs is refused, nothing changed) and by
services/integrity.check_database (``doctor``, the window's start-up check: damaged, read-only).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

Execute = Callable[..., Any]
# (type, name) → (table, normalised sql)
Objects = dict[tuple[str, str], tuple[str, str | None]]

# SQLite's own bookkeeping, made on demand (AUTOINCREMENT, ANALYZE): data, no code.
INTERNAL = {("table", "sqlite_sequence"), ("table", "sqlite_stat1"), ("table", "sqlite_stat4")}
LIMIT = 20  # differences reported; one is enough to refuse

_cache: dict[frozenset[str], Objects] = {}
_lock = threading.Lock()  # Alembic's context is global: one scratch migration at a time


def normalise(sql: str | None) -> str | None:
    return " ".join(sql.split()) if sql else None


def objects(execute: Execute) -> Objects:
    rows = execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(t, n): (tbl, normalise(sql)) for t, n, tbl, sql in rows if (t, n) not in INTERNAL}


def revisions(execute: Execute) -> frozenset[str] | None:
    try:
        return frozenset(r[0] for r in execute("SELECT version_num FROM alembic_version").fetchall())
    except sqlite3.DatabaseError:
        return None


def expected(revs: frozenset[str]) -> Objects:
    """What this program's migrations create at ``revs`` (built once per process)."""
    with _lock:
        if revs not in _cache:
            _cache[revs] = _migrated(revs)
        return _cache[revs]


def _migrated(revs: frozenset[str]) -> Objects:
    from alembic import command

    from migreg_desktop.storage import db, privacy, triggers

    try:
        scratch = privacy.temp_directory(prefix="schema-")
    except OSError:  # a read-only data dir (a damaged medium): the schema holds no personal data
        import tempfile

        scratch = tempfile.TemporaryDirectory(prefix="migreg-schema-")
    with scratch as folder:
        path = Path(folder) / "expected.sqlite3"
        engine = db.make_engine(path)
        try:
            cfg = db._alembic_config(engine)
            for rev in sorted(revs):
                command.upgrade(cfg, rev)
        finally:
            engine.dispose()
        con = sqlite3.connect(path)
        try:
            triggers.ensure(con)  # what every open adds (the change-log triggers, sync/triggers.py)
            con.commit()
            return objects(con.execute)
        finally:
            con.close()


def differences(execute: Execute) -> list[dict[str, str]] | None:
    """What differs from a fresh database at the same revisions: ``[{"object": "trigger x",
    "problem": "unexpected" | "missing" | "changed"}]``; None when the revisions are not this
    program's (not ours, or newer: refused elsewhere)."""
    from migreg_desktop.storage.schema_version import known_revisions  # no SQLAlchemy

    revs = revisions(execute)
    if not revs or not revs <= known_revisions():
        return None
    want, have = expected(revs), objects(execute)
    found = [{"object": f"{t} {n}", "problem": "unexpected"} for t, n in sorted(have.keys() - want.keys())]
    found += [{"object": f"{t} {n}", "problem": "changed"} for t, n in sorted(have.keys() & want.keys())
              if have[(t, n)] != want[(t, n)]]
    found += [{"object": f"{t} {n}", "problem": "missing"} for t, n in sorted(want.keys() - have.keys())]
    return found[:LIMIT]


def describe(found: list[dict[str, str]]) -> str:
    return ", ".join(f"{d['object']} ({d['problem']})" for d in found[:5])
