"""Backups and restore of the office database (issue 7 §3).

- ``create_backup``: SQLite online backup API (consistent while the window runs; db.backup_copy)
  into a temp file, then compressed and sealed (storage/backup_format: zstd in a secretstream,
  optionally under a passphrase) into a file renamed at the end (issue 13 §4, issue 17 §2).
- automatic: ``end_of_day_backup`` (the app calls it on quit and hourly), before every migration
  (db.upgrade), before every import (``before_import``), then ``rotate`` (7 daily, 4 weekly,
  12 monthly by default: settings ``backup_keep_*``).
- ``restore_backup``: verify a staged copy (format, integrity, schema not newer, same office),
  keep the current database aside, then swap it in with a rename.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from migreg_desktop import paths
from migreg_desktop.accounts import permissions
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models.base import utcnow
from migreg_desktop.settings import Settings, declare
from migreg_desktop.storage import backup_format, backup_legacy, db, privacy

Progress = Callable[[int, int], None]
# .mgbak: format 2; .sqlite3 / .sqlite3.enc: copies made before it (still listed and restored)
NAME_RE = re.compile(r"^migreg-(?P<kind>[a-z-]+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?"
                     r"(?:\.mgbak|\.sqlite3(?P<enc>\.enc)?)$")
SUFFIX = ".mgbak"
TIMED = ("daily", "manual")  # rotated grandfather-father-son; event backups keep the newest N
PARTIAL_RE = re.compile(r"\.(\d+)\.partial(?:-journal|-wal|-shm)?$")

# Retention is the office's safety net: only an admin changes it (permissions table, issue 15).
OFFICE = "settings.office"
declare("backup_keep_daily", int, 7, N_("Daily backups kept"), N_("How many days keep their backup"),
        action=OFFICE, minimum=1, maximum=366)
declare("backup_keep_weekly", int, 4, N_("Weekly backups kept"), N_("How many weeks keep one backup"),
        action=OFFICE, minimum=1, maximum=104)
declare("backup_keep_monthly", int, 12, N_("Monthly backups kept"),
        N_("How many months keep one backup"), action=OFFICE, minimum=1, maximum=120)
declare("backup_keep_events", int, 10, N_("Backups before upgrades, imports and restores kept"),
        N_("How many of each such backup are kept"), action=OFFICE, minimum=1, maximum=100)
declare("backup_end_of_day_hour", int, 18, N_("End of the working day (hour)"),
        N_("From this hour the day's backup is made automatically"), action=OFFICE, minimum=0, maximum=23)


@dataclass
class BackupFile:
    path: Path
    kind: str
    created_at: datetime
    size: int
    encrypted: bool

    def as_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "kind": self.kind, "created_at": self.created_at,
                "size": self.size, "encrypted": self.encrypted}


def _stamp(now: datetime | None = None) -> str:
    return (now or utcnow()).astimezone(UTC).strftime("%Y%m%d-%H%M%S")


def _new_name(kind: str, now: datetime | None = None) -> Path:
    folder = paths.backups_dir()
    base, n = f"migreg-{kind}-{_stamp(now)}", 0
    while True:
        name = f"{base}{f'-{n}' if n else ''}{SUFFIX}"
        if not (folder / name).exists():
            return folder / name
        n += 1


def cleanup_partials(folder: Path | None = None) -> list[Path]:
    """Remove temp files left by a killed backup or restore (never a finished backup); without
    ``folder`` also the temp folders of killed processes (services/privacy.sweep_temp)."""
    removed = [] if folder else privacy.sweep_temp()
    for folder_ in ([folder] if folder else [paths.backups_dir(), paths.data_dir()]):
        for path in folder_.glob(".*.partial*"):
            match = PARTIAL_RE.search(path.name)
            if match is None:
                continue
            pid = int(match[1])
            if _alive(pid, path):
                continue  # another program is writing it right now
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int, path: Path) -> bool:
    return pid != os.getpid() and privacy.process_alive(pid, path)


def create_backup(out: Path | None = None, *, kind: str = "manual", passphrase: str | None = None,
                  db_file: Path | None = None, progress: Progress | None = None,
                  pages: int = 4096, actor: Any = None) -> BackupFile:
    """``actor``: who asked (a name or a permissions.Actor), checked against ``backup.create``;
    None for the program's own copies (before an import, the end-of-day backup)."""
    source = db_file or paths.db_path()
    if actor is not None:
        permissions.require_on_file("backup.create", actor, source)
    if not source.exists():
        raise UserError(N_("No database in {path}."), path=str(source.parent))
    target = Path(out) if out else _new_name(kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    cleanup_partials(target.parent)
    plain = db.backup_copy(source, kind, progress=_half(progress, 0), pages=pages,
                           target=target.with_name(f".{target.name}.plain.{os.getpid()}.partial"))
    try:
        backup_format.write_file(plain, target, passphrase or None, progress=_half(progress, 1))
    finally:
        plain.unlink(missing_ok=True)
    return describe(target, kind)


def _half(progress: Progress | None, which: int) -> Progress | None:
    """The copy is the first half of the bar, the compression the second (both cancellable)."""
    if progress is None:
        return None
    return lambda done, total: progress(500 * which + (500 * done // total if total else 500), 1000)


def audit_copy(made: BackupFile, *, session: Any) -> None:
    """A copy of the database to a file of the admin's choice leaves the office's control:
    audited as an export (issue 7 §2). The automatic backups in the data dir are not."""
    from migreg_desktop.accounts import audit

    audit.record("export", "database", None, {"file": [None, made.path.name],
                                              "encrypted": [None, made.encrypted]}, session=session)


def describe(path: Path, kind: str | None = None) -> BackupFile:
    match = NAME_RE.match(path.name)
    created = (datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC) if match
               else datetime.fromtimestamp(path.stat().st_mtime, UTC))
    return BackupFile(path, kind or (match["kind"] if match else "manual"), created,
                      path.stat().st_size, is_encrypted(path))


def is_encrypted(path: Path) -> bool:
    """Whether restoring ``path`` needs a passphrase (either format)."""
    return backup_format.is_encrypted(path) or backup_legacy.is_encrypted(path)


def list_backups() -> list[BackupFile]:
    found = [describe(p) for p in paths.backups_dir().iterdir() if NAME_RE.match(p.name)]
    return sorted(found, key=lambda b: b.created_at, reverse=True)


# ---- rotation -------------------------------------------------------------------------------

def plan_rotation(stamps: list[datetime], daily: int, weekly: int, monthly: int) -> set[datetime]:
    """Which timed backups to keep: the newest of each of the last ``daily`` days, ``weekly``
    ISO weeks and ``monthly`` months (local time), grandfather-father-son."""
    keep: set[datetime] = set()
    for count, key in ((daily, lambda d: d.date()), (weekly, lambda d: d.isocalendar()[:2]),
                       (monthly, lambda d: (d.year, d.month))):
        seen: set[Any] = set()
        for stamp in sorted(stamps, reverse=True):
            period = key(stamp.astimezone())
            if period not in seen and len(seen) < count:
                seen.add(period)
                keep.add(stamp)
    return keep


def rotate(settings: Settings | None = None) -> list[Path]:
    settings = settings or Settings()
    backups = list_backups()
    timed = [b for b in backups if b.kind in TIMED]
    keep = plan_rotation([b.created_at for b in timed], settings.get("backup_keep_daily"),
                         settings.get("backup_keep_weekly"), settings.get("backup_keep_monthly"))
    doomed = [b.path for b in timed if b.created_at not in keep]
    per_kind: dict[str, int] = {}
    for b in backups:  # newest first
        if b.kind not in TIMED:
            per_kind[b.kind] = per_kind.get(b.kind, 0) + 1
            if per_kind[b.kind] > settings.get("backup_keep_events"):
                doomed.append(b.path)
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# ---- automatic backups ----------------------------------------------------------------------

def _last_change(db_file: Path) -> float:
    files = [db_file, db_file.with_name(db_file.name + "-wal")]
    return max((f.stat().st_mtime for f in files if f.exists()), default=0.0)


def end_of_day_backup(*, force: bool = False, now: datetime | None = None,
                      settings: Settings | None = None) -> BackupFile | None:
    """The day's backup, once the working day ends (or ``force``, on quit), if anything changed
    since the last daily backup. Also catches up a day whose program was killed before quitting."""
    db_file = paths.db_path()
    if not db_file.exists():
        return None
    settings = settings or Settings()
    now = now or utcnow()
    dailies = [b for b in list_backups() if b.kind == "daily"]
    changed_at = _last_change(db_file)
    if dailies and changed_at <= dailies[0].path.stat().st_mtime:
        return None  # nothing changed since the last daily backup
    today = now.astimezone().date()
    late = now.astimezone().hour >= settings.get("backup_end_of_day_hour")
    missed = datetime.fromtimestamp(changed_at).date() < today  # a day ended without its backup
    if not (force or late or missed):
        return None
    made = create_backup(kind="daily")
    rotate(settings)
    return made


def before_import() -> BackupFile | None:
    """Called by the import (sync) before it writes: a backup to return to (issue 7 §3)."""
    if not paths.db_path().exists():
        return None
    made = create_backup(kind="pre-import")
    rotate()
    return made
