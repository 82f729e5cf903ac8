"""High-water marks that a restore cannot lower (issue 12 §5).

Numbers this office has handed out — the sync sequence per receiver, the case number counter per
office and year, the reference package sequence — must never be handed out twice: a partner
answers a reused sequence with ``already_imported`` (the package is silently dropped) and a
reused case number names two cases. The database alone cannot promise that, because ``restore``
puts an older database back. So the highest number given is also kept *outside* the database,
in ``<data dir>/high-water.json`` (0600, written atomically and fsynced), and the next number is
``max(database, file) + 1``.

The file is written after the transaction that used the number commits (a rolled-back export
leaves no gap in the sequence); it only ever grows (merged by maximum under a lock).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session as OrmSession

from migreg_desktop import paths

FILE = "high-water.json"
SEQUENCE = "sync_sequence"  # key: "<our office>><receiver>"
CASE_NUMBER = "case_number"  # key: "<office>/<year>"
REFDATA = "refdata_sequence"  # key: the oblast office
_PENDING = "high_water_pending"


def path() -> Path:
    return paths.data_dir() / FILE


def read() -> dict[str, dict[str, int]]:
    try:
        doc = json.loads(path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # unreadable: the database's own counters still hold (never lower than those)
    return doc if isinstance(doc, dict) else {}


def floor(kind: str, key: str) -> int:
    """The highest number of this kind already handed out (0: none known)."""
    value = read().get(kind, {}).get(key, 0)
    return value if isinstance(value, int) else 0


def raise_after_commit(session: OrmSession, kind: str, key: str, value: int) -> None:
    """Record ``value`` as handed out once the session's transaction commits."""
    pending: dict[tuple[str, str], int] = session.info.setdefault(_PENDING, {})
    pending[(kind, key)] = max(value, pending.get((kind, key), 0))


def raise_now(marks: dict[tuple[str, str], int]) -> None:
    with _locked():
        doc: dict[str, Any] = read()
        changed = False
        for (kind, key), value in marks.items():
            group = doc.setdefault(kind, {})
            if value > int(group.get(key, 0) or 0):
                group[key], changed = value, True
        if changed:
            _write_atomic(path(), json.dumps(doc, sort_keys=True, indent=1).encode("utf-8"))


def _write_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    if os.name != "nt":  # the rename itself survives a power cut
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    with (paths.data_dir() / (FILE + ".lock")).open("a+b") as fh:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
            yield
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def flush(session: OrmSession) -> None:
    """The transaction committed: the numbers it handed out are now the floor (StoreSession)."""
    marks = session.info.pop(_PENDING, None)
    if marks:
        raise_now(marks)


def drop(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
