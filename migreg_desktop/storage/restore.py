"""Restore a backup (issue 7 §3): verify, keep the current database aside, swap with a rename.

The backup is first staged (unpacked, or copied for a backup older than format 2) into the data
dir: a format-2 file (storage/backup_format) whose stream does not authenticate — one changed byte,
a cut file, a wrong passphrase — is refused there with its reason. Then it is checked: it must
be a whole SQLite file of this program, pass ``integrity_check``, belong to the same office, not
come from a newer program version, hold exactly the schema objects this program's migrations
create at its revision (issue 12 §5: no extra trigger, view, table or index, no changed
definition; services/integrity_schema) and still have the accounts it once had (issue 12 §6).
Only then is the current file copied aside and replaced; a refused file leaves the current
database untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import struct
from pathlib import Path
from typing import Any

from migreg_desktop import paths
from migreg_desktop.accounts import accounts_history, audit, audit_chain, permissions
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models.base import utcnow
from migreg_desktop.storage import (
    backup_format,
    backup_legacy,
    checkpoint,
    db,
    integrity,
    integrity_schema,
    schema_version,
)
from migreg_desktop.storage.db import session_scope
from migreg_desktop.storage.integrity import connect_read_only

SQLITE_MAGIC = b"SQLite format 3\x00"


def _sha256_copy(src: Path, dst: Path) -> str:
    digest = hashlib.sha256()
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(src, "rb") as fin, os.fdopen(fd, "wb") as fout:
        for block in iter(lambda: fin.read(1 << 20), b""):
            digest.update(block)
            fout.write(block)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stage(file: Path, staged: Path, passphrase: str | None) -> str:
    if not file.is_file():
        raise UserError(N_("cannot read {path}"), field="file", path=str(file))
    legacy = not backup_format.is_backup(file)
    if legacy and not backup_legacy.is_encrypted(file):
        return _sha256_copy(file, staged)  # a plain SQLite copy (before format 2), or not ours
    if legacy and not passphrase:  # the old encrypted format (before format 2)
        raise UserError(N_("{path} is encrypted: give its passphrase"), field="passphrase", path=file.name)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        if legacy:
            backup_legacy.decrypt_file(file, out, passphrase or "")
        else:
            backup_format.read(file, out, passphrase)
    return _sha256(file)


def _not_ours(name: str) -> UserError:
    return UserError(N_("{path} is not a backup of this program"), field="file", path=name)


def verify_backup(staged: Path, name: str) -> dict[str, Any]:
    """Refuse foreign, truncated, damaged or newer files; return the backup's office and schema."""
    data = staged.read_bytes()[:100] if staged.stat().st_size >= 100 else b""
    if not data.startswith(SQLITE_MAGIC):
        raise _not_ours(name)
    page_size = struct.unpack(">H", data[16:18])[0] or 65536
    page_size = 65536 if page_size == 1 else page_size
    pages, valid_for, change = (struct.unpack(">I", data[o:o + 4])[0] for o in (28, 92, 24))
    if valid_for == change and staged.stat().st_size != pages * page_size:
        raise UserError(N_("{path} is cut short (truncated backup)"), field="file", path=name)
    con = sqlite3.connect(staged)
    try:
        try:
            check = [r[0] for r in con.execute("PRAGMA integrity_check(10)")]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise UserError(N_("{path} is damaged: {error}"), field="file", path=name, error=str(exc)) from exc
        if check != ["ok"]:
            raise UserError(N_("{path} is damaged: {error}"), field="file", path=name, error="; ".join(check))
        if not {"alembic_version", "meta", "audit_entry", "cases"} <= tables:
            raise _not_ours(name)
        office = con.execute("SELECT value FROM meta WHERE key='office_code'").fetchone()
        unreadable = integrity.unreadable_values(con)
        if unreadable:  # a value this program did not write: reading it would fail later
            raise UserError(N_("{path} holds stored values this program did not write ({count}, in {table}). "
                               "It was not restored."), field="file", path=name, count=len(unreadable),
                            table=unreadable[0]["table"])
        foreign = integrity_schema.differences(con.execute)
        if foreign:  # code we never wrote would run in the restored database
            raise UserError(N_("{path} holds database objects this program does not create: "
                               "{objects}. It was not restored."), field="file", path=name,
                            objects=integrity_schema.describe(foreign))
        if accounts_history.state(con.execute) == "wiped":
            raise UserError(N_("{path}: the accounts of this backup were removed. It was not restored."),
                            field="file", path=name)
        chain = audit_chain.verify_connection(con.execute) if "hash" in _columns(con) else None
    finally:
        con.close()
    if office is None:
        raise _not_ours(name)
    schema = schema_version.check_not_newer(staged)
    return {"office": office[0], "schema": sorted(schema), "audit_ok": chain.ok if chain else None}


def _columns(con: sqlite3.Connection) -> set[str]:
    return {r[1] for r in con.execute("PRAGMA table_info(audit_entry)")}


def current_office(db_file: Path) -> str | None:
    try:
        con = connect_read_only(db_file)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='office_code'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None  # a damaged or missing database: nothing to compare with
    return row[0] if row else None


def set_aside(db_file: Path) -> Path | None:
    """Keep the current database (with what its WAL holds) in ``aside/`` before replacing it."""
    if not db_file.exists():
        return None
    folder = paths.data_dir() / "aside"
    paths.make_private_dir(folder)
    target = folder / f"migreg-before-restore-{utcnow().strftime('%Y%m%d-%H%M%S')}.sqlite3"
    try:
        return db.backup_copy(db_file, "before-restore", target=target)
    except sqlite3.DatabaseError:  # too damaged for SQLite: copy the files as they are
        for suffix in ("", "-wal"):
            src = db_file.with_name(db_file.name + suffix)
            if src.exists():
                shutil.copy2(src, target.with_name(target.name + suffix))
        return target


def install(staged: Path, db_file: Path) -> None:
    # A copy of the WAL still running (storage/checkpoint.py) ends first: its connection must not
    # outlive the old file's WAL under the name the restored file's WAL will take.
    checkpoint.wait()
    # The old WAL belongs to the old file: replayed onto the restored one it would corrupt it.
    for suffix in ("-wal", "-shm", "-journal"):
        db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
    os.replace(staged, db_file)
    db_file.chmod(0o600)
    if db_file.resolve() == paths.db_path().resolve():
        integrity.mark_file().unlink(missing_ok=True)  # a verified backup replaced the damaged file


def restore_backup(file: Path, *, passphrase: str | None = None, db_file: Path | None = None,
                   actor: Any = permissions.SYSTEM, force_office: bool = False) -> dict[str, Any]:
    """Close every engine on ``db_file`` first (the window restarts afterwards). ``actor``: the
    account asking (a name or a permissions.Actor), checked against ``backup.restore``."""
    db_file = db_file or paths.db_path()
    permissions.require_on_file("backup.restore", actor, db_file)
    actor = actor if isinstance(actor, str) else actor.name
    file = Path(file)
    staged = db_file.with_name(f".restore.{os.getpid()}.partial")
    try:
        sha = stage(file, staged, passphrase)
        info = verify_backup(staged, file.name)
        mine = current_office(db_file)
        if mine and mine != info["office"] and not force_office:
            raise UserError(N_("{path} is a backup of office {other}, this database is {office}"),
                            field="file", path=file.name, other=info["office"], office=mine)
        aside = set_aside(db_file)
        install(staged, db_file)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            staged.with_name(staged.name + suffix).unlink(missing_ok=True)
    engine = db.open_database(db_file)  # an older backup is upgraded (with its own backup first)
    try:
        with session_scope(engine, actor=actor) as session:
            audit.record("restore", "database", None, {"file": [None, file.name], "sha256": [None, sha]},
                         session=session)
    finally:
        engine.dispose()
    return {"restored": str(file), "sha256": sha, "office": info["office"], "schema": info["schema"],
            "audit_ok": info["audit_ok"], "aside": str(aside) if aside else None}
