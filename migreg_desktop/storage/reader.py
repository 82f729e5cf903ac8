"""Reads without SQLAlchemy: the first screen of the window and the CLI's lookups (issue 15: a
filled case list within 0.5 s of a cold start; issue 17 §5: `case list --limit 1` within 0.35 s).

Importing SQLAlchemy, SQLModel and the table classes costs about 0.5 s; a read of the case list
costs milliseconds. So the read-only queries of the case list are written for a DB-API connection
(``Rows``): before the engine exists they run on a read-only connection opened here; once it
exists, on the session's own connection (``rows``), inside the session's transaction.

Only a database whose schema is already current is read this way: one that needs a migration
(or is damaged, or newer) goes the full way through ``storage.db.open_database``, which upgrades,
backs up and refuses. SQL written for ``Rows`` uses named ``:param`` placeholders; a PostgreSQL
port translates them here, in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import quote

from migreg_desktop import ids, paths
from migreg_desktop.storage.schema_version import is_current

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Rows(Protocol):
    """What a read needs of a connection: ``execute`` returning a DB-API cursor."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


def rows(source: Rows | Session) -> Rows:
    """The DB-API connection to run a read on: a session's own (same transaction, sees what it
    wrote), or ``source`` itself when it already is one (``reading``)."""
    connection = getattr(source, "connection", None)
    if callable(connection):  # a SQLAlchemy session
        return cast(Rows, connection().connection.driver_connection)
    return cast(Rows, source)


def can_read(db_file: Path | None = None) -> bool:
    """Whether ``reading`` may be used: the file is there with the program's own schema."""
    return is_current(db_file or paths.db_path())


def read_only_uri(path: PurePath) -> str:
    """SQLite's URI for ``path``, read-only. A Windows share (\\\\server\\share\\…) keeps its host
    in the path ("file:////server/share/…"): SQLite refuses a URI authority other than localhost."""
    if isinstance(path, PureWindowsPath) and str(path).startswith("\\\\"):
        return "file:" + quote("////" + path.as_posix().lstrip("/"), safe="/:") + "?mode=ro"
    return f"{path.as_uri()}?mode=ro"


@contextmanager
def reading(db_file: Path | None = None) -> Iterator[Rows]:
    """A read-only connection (SQLite's ``mode=ro``: a bug cannot write through it), closed at the
    end. Each statement sees what was committed when it started (WAL readers never block)."""
    con = connect_read_only(db_file or paths.db_path())
    try:
        yield con
    finally:
        con.close()


def connect_read_only(db_file: Path) -> sqlite3.Connection:
    """``reading``'s connection, kept by its caller (a worker process's for its whole life)."""
    con = sqlite3.connect(read_only_uri(db_file.resolve()), uri=True, check_same_thread=False)
    con.execute("PRAGMA busy_timeout=10000")
    con.execute("PRAGMA query_only=ON")
    ids.register_sql(con)
    return con


@contextmanager
def page_cache(con: Rows, kib: int) -> Iterator[None]:
    """SQLite's page cache of ``con`` at ``kib`` KiB while the block runs, then as it was. A long
    write that overflows the cache spills pages to the WAL in the middle of its transaction and
    reads evicted pages again (issue 17 §4: a quarter of `check --all`'s writing)."""
    before = con.execute("PRAGMA cache_size").fetchone()[0]
    con.execute(f"PRAGMA cache_size = {-abs(int(kib))}")
    try:
        yield
    finally:
        con.execute(f"PRAGMA cache_size = {int(before)}")


IN_LIST = 500  # values in one ``IN (…)``: SQLite's bound-parameter limit is generous, but keep them short


def in_lists(values: list[Any], size: int = IN_LIST) -> Iterator[list[Any]]:
    """``values`` in runs of at most ``size``, one ``IN (…)`` list each."""
    for i in range(0, len(values), size):
        yield values[i:i + size]
