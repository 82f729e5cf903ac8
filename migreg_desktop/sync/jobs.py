"""Whole import and export jobs for the CLI and the window's worker: one lock, one transaction,
commit or roll back, and every failure turned into a clear ``rejected`` answer.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from migreg_desktop import changes, paths
from migreg_desktop.errors import AccessDenied, MigregError
from migreg_desktop.i18n import N_, _
from migreg_desktop.storage.db import INTEGRITY_ERRORS, OPERATIONAL_ERRORS, new_session
from migreg_desktop.storage.unit_of_work import UnitOfWork
from migreg_desktop.sync import container, export, importer
from migreg_desktop.sync.container import Rejected

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
LOCK_WAIT_S = 600


@contextlib.contextmanager
def office_lock(name: str = "sync.lock", wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """One import or export at a time per data dir (a second one waits, then sees the first's work)."""
    path = paths.data_dir() / name
    fh = path.open("a+b")
    deadline = time.monotonic() + wait_s
    try:
        while not _try_lock(fh):
            if time.monotonic() > deadline:
                raise Rejected("busy", N_("Another import or export is running; try again when it ends."))
            time.sleep(0.1)
        yield
    finally:
        _unlock(fh)
        fh.close()


def _try_lock(fh: Any) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fh: Any) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _failure(exc: BaseException) -> tuple[str, str]:
    text = str(getattr(exc, "orig", exc))
    if "full" in text.lower():
        return "disk_full", _("The disk is full: the import was undone and nothing was changed. "
                              "Free some space and import again.")
    if "FOREIGN KEY" in text.upper():
        return "incomplete", _("The package refers to records it does not contain; nothing was changed.")
    return "database_error", _("The database refused the import ({error}); nothing was changed.").format(error=text)


def _header_or_empty(path: Path) -> dict[str, Any]:
    try:
        return container.read_header(path)[0]
    except Rejected:
        return {}


def import_once(work: UnitOfWork, path: Path, *, dry_run: bool = False,
                progress: Progress | None = None, cancel: Cancel | None = None,
                accept_gap: bool = False) -> dict[str, Any]:
    """One package in one transaction; what it changed goes to the unit of work's follow-ups."""
    try:
        with new_session(work.engine, work.who()) as session:
            try:
                doc = importer.import_package(path, session=session, dry_run=dry_run, progress=progress,
                                              cancel=cancel, accept_gap=accept_gap)
                if dry_run or doc["status"] != "applied":
                    session.rollback()
                else:
                    session.commit()
            except BaseException:
                session.rollback()
                raise
            work.apply(changes.take(session))
    except Rejected as exc:
        header = getattr(exc, "header", None)
        return importer.result("rejected", _header_or_empty(path) if header is None else header, reason=exc.message(),
                               reason_code=exc.reason_code)
    except AccessDenied:
        raise  # who is asking, not the package: the same refusal as every other door
    except MigregError as exc:  # no keys, damaged key file …: the clerk can fix it
        return importer.result("rejected", _header_or_empty(path), reason=exc.message(), reason_code="setup")
    except (*OPERATIONAL_ERRORS, *INTEGRITY_ERRORS) as exc:
        code, reason = _failure(exc)
        return importer.result("rejected", _header_or_empty(path), reason=reason, reason_code=code)
    doc["dry_run"] = dry_run
    return doc


def run_import(work: UnitOfWork, path: Path, *, dry_run: bool = False,
               progress: Progress | None = None, cancel: Cancel | None = None,
               accept_gap: bool = False) -> dict[str, Any]:
    """Import one file; after an applied package, held successors from the same sender follow."""
    if not path.is_file():
        return importer.result("rejected", reason=_("cannot read {path}: {error}").format(
            path=str(path), error=_("no such file")), reason_code="unreadable")
    with office_lock():
        if not dry_run:
            from migreg_desktop.storage import backup

            backup.before_import()  # issue 7 §3: a copy to return to before any import writes
        doc = import_once(work, path, dry_run=dry_run, progress=progress, cancel=cancel, accept_gap=accept_gap)
        if doc["status"] == "applied" and not dry_run and doc.get("sender"):
            doc["released"] = release_held(work, doc["sender"])
    return doc


def release_held(work: UnitOfWork, sender: str) -> list[dict[str, Any]]:
    """Apply held packages of ``sender`` now in sequence; each in its own transaction."""
    released = []
    progress_made = True
    while progress_made:
        progress_made = False
        for held in importer.held_files(sender):
            doc = import_once(work, held)
            if doc["status"] in ("applied", "already_imported", "rejected"):
                held.unlink(missing_ok=True)
            if doc["status"] == "applied":
                released.append({"sequence": doc["sequence"], "counts": doc["counts"], "conflicts": doc["conflicts"]})
                progress_made = True
    return released


def run_export(work: UnitOfWork, receiver: str, out: Path, *, progress: Progress | None = None,
               cancel: Cancel | None = None) -> dict[str, Any]:
    """Write the package, commit what was sent, then give the file its name."""
    with office_lock():
        with work.session() as session:
            try:
                written = export.export_data(receiver, out, session=session, progress=progress, cancel=cancel)
                session.commit()
            except BaseException:
                part = out.with_name(out.name + ".part")
                part.unlink(missing_ok=True)
                raise
        return written.finish()
