"""Engine, connection pragmas, sessions and schema upgrades (Alembic) for the clerk's database."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from migreg_desktop import changes, ids, paths
from migreg_desktop.accounts import audit_chain
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_
from migreg_desktop.storage import checkpoint, high_water, triggers
from migreg_desktop.storage.schema_version import MIGRATIONS, applied, check_not_newer, script_heads
from migreg_desktop.storage.schema_version import db_revisions as db_revisions  # the tests' address
from migreg_desktop.storage.schema_version import known_revisions as known_revisions

if TYPE_CHECKING:  # alembic is imported only when the schema is checked (start-up time)
    from alembic.config import Config

# What a locked or refused write raises, whether through SQLAlchemy or the driver itself (the
# change-log triggers run on the raw connection): the callers outside storage name these.
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sa_exc.OperationalError, sqlite3.OperationalError)
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sa_exc.IntegrityError, sqlite3.IntegrityError)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sa_exc.DatabaseError, sqlite3.DatabaseError)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-32000")
    cur.close()
    ids.register_sql(dbapi_conn)  # id_db / id_text inside statements (issue 17 §1)


def _owner_only(path: Path) -> None:
    """Personal data (issue 7 §5): the database and its WAL files readable by the owner only.
    SQLite creates them with the process umask, so narrow them once they exist."""
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        try:
            (path.parent / name).chmod(0o600)
        except OSError:  # not there yet, or Windows, where the profile's ACL protects the folder
            pass


def make_engine(db_file: Path | None = None) -> Engine:
    path = db_file or paths.db_path()
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "first_connect", lambda *_a: _owner_only(Path(path)))
    # The sync change log's triggers follow the schema: checked when a connection is handed out
    # (cheap: a schema_version compare), on this engine only.
    event.listen(engine.pool, "checkout", triggers.on_checkout)
    event.listen(engine.pool, "checkin", checkpoint.on_checkin)
    return engine


class StoreSession(Session):
    """A session whose commit and rollback keep the per-transaction bookkeeping (no listeners).

    On commit: the recorded changes count (``changes.committed``) and the high-water marks are
    written, and a big write's WAL is copied in a thread (``checkpoint.later``); on rollback
    all are dropped. Either way the audit chain's cached tail is forgotten (the next transaction
    reads the recorded head again).
    """

    def commit(self) -> None:
        super().commit()
        checkpoint.committed(self)
        changes.committed(self)
        high_water.flush(self)
        self.info.pop(audit_chain.TAIL_KEY, None)

    def rollback(self) -> None:
        super().rollback()
        checkpoint.dropped(self)
        changes.rolled_back(self)
        high_water.drop(self)
        self.info.pop(audit_chain.TAIL_KEY, None)


def new_session(engine: Engine, actor: Any = None) -> StoreSession:
    """A session acting for ``actor``: a name (looked up among the accounts when a service asks
    the permissions table) or an ``accounts.permissions.Actor`` (e.g. ``SYSTEM``)."""
    session = StoreSession(engine, expire_on_commit=False)
    if isinstance(actor, str):
        if actor:
            session.info["actor"] = actor
    elif actor is not None:
        session.info["actor"], session.info["acting"] = actor.name, actor
    return session


@contextmanager
def session_scope(engine: Engine, actor: Any = None) -> Iterator[StoreSession]:
    """A transaction: commit at the end, roll back on any error. The doors write through the unit
    of work (storage/unit_of_work.py), which adds the re-check and the window's signals."""
    with new_session(engine, actor) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def begin_immediate(session: Session) -> None:
    """Take SQLite's write lock now, before reading what the write depends on (no lost update
    between processes). A transaction that has already written holds it already."""
    conn = session.connection()
    if not getattr(conn.connection.dbapi_connection, "in_transaction", False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# ---- schema versions (storage/schema_version.py reads them without SQLAlchemy) ---------------

def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def backup_copy(db_file: Path, reason: str, *, target: Path | None = None,
                progress: Callable[[int, int], None] | None = None, pages: int = 4096) -> Path:
    """A consistent copy through SQLite's online backup API (safe while others read and write).

    Written to a hidden ``.partial`` file next to the target and renamed only when complete and
    flushed, so a crash or SIGKILL never leaves a half backup under a backup's name (a stale
    partial is removed by services/backup.cleanup_partials). The copy is a self-contained file
    (rollback journal, not WAL), readable by any SQLite tool.
    """
    from migreg_desktop.models.base import utcnow

    if target is None:
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        target = paths.backups_dir() / f"{db_file.stem}-{reason}-{stamp}.sqlite3"
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(db_file)
    dst = sqlite3.connect(partial)
    try:
        step = (lambda _status, remaining, total: progress(total - remaining, total)) if progress else None
        src.backup(dst, pages=pages, progress=step)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.commit()
    except BaseException:
        dst.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        dst.close()
        src.close()
    _fsync(partial)
    os.replace(partial, target)
    return target


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
    try:
        path.chmod(0o600)  # personal data: owner only (issue 7 §5)
    except OSError:
        pass


def _pre_upgrade_backup(db_file: Path) -> Path:
    """The automatic backup before a migration, in the backups' format 2 (issue 17 §2)."""
    from migreg_desktop.models.base import utcnow
    from migreg_desktop.storage import backup_format  # zstandard: only when a backup is made

    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir() / f"{db_file.stem}-pre-upgrade-{stamp}.mgbak"
    plain = backup_copy(db_file, "pre-upgrade", target=target.with_name(f".{target.name}.plain.{os.getpid()}.partial"))
    try:
        return backup_format.write_file(plain, target)
    finally:
        plain.unlink(missing_ok=True)


# What opening the database is doing when it takes long, told to ``stage`` (the window's loading
# line, app.EngineOpening): an upgrade of 100,000 cases takes ~20 s (backup, 0880, VACUUM).
UPGRADING = N_("Upgrading the database for this version of the program: a backup first, then the "
               "conversion. On a large database this takes a minute…")
INDEXING = N_("Rebuilding the search index…")
Stage = Callable[[str], None]  # given a msgid


def upgrade(engine: Engine, db_file: Path, stage: Stage | None = None) -> Path | None:
    """Bring the schema to the program's heads; back the file up first if it held data."""
    current = check_not_newer(db_file)
    if current == script_heads():
        return None
    from alembic import command

    if current and stage is not None:
        stage(UPGRADING)

    backup = _pre_upgrade_backup(db_file) if current else None
    command.upgrade(_alembic_config(engine), "heads")
    if current:
        compact_if_sparse(db_file, force=bool(REWRITE_IN_PLACE - applied(current)))
    return backup


# A migration that rewrites tables (0840_blob_ids converts every id) frees their old pages, but the
# file keeps its size until a VACUUM, which SQLite cannot run inside the migration's transaction:
# the clerk would see none of the saving and every read would walk half-empty pages (issue 17 §1).
SPARSE_SHARE = 0.2  # compact when a fifth of the file or more is free pages …
SPARSE_MIN_BYTES = 8 << 20  # … and that is worth a rewrite
# Migrations that shrink rows in place (0880_packed_results: each decision from ~2.2 KB to ~0.3 KB):
# SQLite leaves each row in its page, now mostly empty, and frees no page, so the free-page share
# cannot tell; an upgrade through one compacts the file whatever the share.
REWRITE_IN_PLACE = frozenset({"0880_packed_results"})


def compact_if_sparse(db_file: Path, *, force: bool = False) -> bool:
    """VACUUM the file once if free pages make up much of it, or whatever their share when
    ``force`` (rows shrunk in place); True if it was compacted. Skipped, the database unchanged,
    when another connection holds it or the disk has no room for the copy a VACUUM writes (the
    file is still whole and correct, only larger). A connection of its own, outside any
    transaction, giving way at once: this is optional work."""
    con = sqlite3.connect(db_file, timeout=0.5, isolation_level=None)
    try:
        free, total, size = (con.execute(f"PRAGMA {p}").fetchone()[0]
                             for p in ("freelist_count", "page_count", "page_size"))
        if not force and (not total or free / total < SPARSE_SHARE or free * size < SPARSE_MIN_BYTES):
            return False
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True
    except sqlite3.OperationalError:  # busy, or full disk: VACUUM changed nothing
        return False
    finally:
        con.close()


def open_database(db_file: Path | None = None, *, create: bool = False, stage: Stage | None = None) -> Engine:
    """Open (and migrate) the clerk's database. ``create`` allows a new file; ``stage`` is told
    what takes long on the way (an upgrade, the search index rebuilt)."""
    path = db_file or paths.db_path()
    if not create and not path.exists():
        raise UserError(
            "No database in {path}. Run 'migreg init --office CODE' first.", path=str(path.parent)
        )
    engine = make_engine(path)
    upgrade(engine, path, stage)
    _search_compact_if_needed(engine, stage)
    return engine


def _search_compact_if_needed(engine: Engine, stage: Stage | None = None) -> None:
    """The search index rebuilt on opening when it needs it (``search.needs_compact``): after a
    migration that could not carry the words (0850 downgraded and up again), or when a clerk's
    edits left many dead rows (imports compact after themselves; a district that never imports
    compacts here). Looked at without a lock; the write lock is taken only to compact."""
    from migreg_desktop.storage import search

    raw = engine.raw_connection()
    try:
        con: Any = raw.driver_connection
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_search'").fetchone() is None:
            return
        if search.needs_compact(con):
            if stage is not None:
                stage(INDEXING)
            con.execute("BEGIN IMMEDIATE")
            search.compact_if_needed(con)  # again under the lock: another program may have done it
            con.commit()
    finally:
        raw.close()
