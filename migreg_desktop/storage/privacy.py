"""Privacy helpers (issue 7 §5): owner-only files and folders, no personal data in logs.

The data dir is created owner-only by paths.make_private_dir; ``tighten_data_dir`` also narrows
files SQLite created with the process umask. Key files (sync keys) go through
``write_private_file``. Log records pass ``RedactingFilter``: IINs, phone numbers and anything
looking like them never reach a log file.

Temporary files with personal data (issue 12 §8: decrypted package members, print previews) are
handed out by ``temp_path`` / ``temp_file`` / ``temp_directory`` only, all inside one folder per
process, ``<data dir>/tmp/<pid>-<random>/`` (0700): removed at exit (atexit, and each file when
its user is done) and, after a kill, swept by the next start (``sweep_temp``: folders of
processes that are gone). Exports leave the office's control with owner-only modes
(``private_output``, ``open_private``: 0600).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from migreg_desktop import paths
from migreg_desktop.i18n import N_
from migreg_desktop.settings import declare

declare("lock_after_minutes", int, 10, N_("Lock the window after (minutes)"),
        N_("After this many minutes without typing or clicking the window hides the data and "
           "asks for the password again; 0 never locks"),
        action="settings.office", minimum=0, maximum=240)  # a clerk may not switch the lock off (issue 15)

IIN_RE = re.compile(r"(?<!\d)\d{12}(?!\d)")
PHONE_RE = re.compile(r"(?:\+?[78])[\s\-()]*\d{3}[\s\-()]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}")


def write_private_file(path: Path, data: bytes) -> Path:
    """Write a secret (a key) readable by its owner only, replaced atomically."""
    paths.make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """Open a file for writing that only its owner can read (0600), even if it existed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with suppress(OSError, AttributeError):  # Windows: the folder's ACL protects it
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode, **kwargs)


@contextmanager
def private_output(out: Path) -> Iterator[Path]:
    """An export (personal data leaving the data dir): written next to ``out`` as an owner-only
    partial file, renamed over ``out`` when complete, removed on failure."""
    out = Path(out)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    open_private(partial).close()
    try:
        yield partial
        partial.chmod(0o600)  # a writer that replaced the file (openpyxl) keeps owner-only
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# ---- the process's private temp folder ----------------------------------------------------

TEMP = "tmp"
_temp: dict[str, Path] = {}  # data dir → this process's folder in it


def temp_root(create: bool = True) -> Path:
    root = paths.data_dir(create=create) / TEMP
    if create:
        paths.make_private_dir(root)
    return root


def temp_dir() -> Path:
    """This process's folder for plain personal data (0700, removed at exit)."""
    root = temp_root()
    folder = _temp.get(str(root))
    if folder is None or not folder.is_dir():
        sweep_temp()  # the first use after a start: what killed processes left
        folder = root / f"{os.getpid()}-{secrets.token_hex(6)}"
        folder.mkdir(mode=0o700)
        _temp[str(root)] = folder
        atexit.register(shutil.rmtree, folder, True)
    return folder


def temp_path(suffix: str = "", prefix: str = "") -> Path:
    """A new empty owner-only file in the process's temp folder; the caller removes it."""
    fd, name = tempfile.mkstemp(suffix=suffix, prefix=prefix, dir=temp_dir())
    os.close(fd)
    return Path(name)


@contextmanager
def temp_file(suffix: str = "", prefix: str = "") -> Iterator[Path]:
    path = temp_path(suffix, prefix)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def temp_directory(prefix: str = "") -> tempfile.TemporaryDirectory[str]:
    """Like ``tempfile.TemporaryDirectory`` (``.name``, ``cleanup()``, a context manager), inside
    the process's temp folder instead of the system's shared one. A render still running when
    its window closes may hold a file in it: cleaning up never fails on that (the folder goes
    with the process's temp folder at exit, or the next start's sweep)."""
    return tempfile.TemporaryDirectory(prefix=prefix, dir=temp_dir(), ignore_cleanup_errors=True)


def process_alive(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there: judge by age instead
        return time.time() - path.stat().st_mtime < 3600
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError, OSError):
        return False
    return True


def sweep_temp() -> list[Path]:
    """Remove what dead processes left in ``tmp/`` (and loose files of older versions)."""
    root = temp_root(create=False)
    if not root.is_dir():
        return []
    removed = []
    for path in root.iterdir():
        head = path.name.split("-", 1)[0]
        with suppress(OSError):
            if path.is_dir() and head.isdigit() and process_alive(int(head), path):
                continue
            if not path.is_dir() and time.time() - path.stat().st_mtime < 3600:
                continue  # a loose file: written by an older version, perhaps still running
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def tighten_data_dir(folder: Path | None = None) -> None:
    folder = folder or paths.data_dir()
    paths.make_private_dir(folder)
    sweep_temp()
    for path in folder.iterdir():
        try:
            if path.is_dir():
                path.chmod(0o700)
            elif path.name.startswith("migreg.sqlite3") or path.suffix in (".key", ".sqlite3"):
                path.chmod(0o600)
        except OSError:  # Windows: the profile's ACL already limits access
            pass


def redact(text: str) -> str:
    return PHONE_RE.sub("[phone]", IIN_RE.sub("[IIN]", text))


# SQLAlchemy quotes the row it failed to write ("[parameters: ('Иванов', …)]"): names, addresses.
_SQL_PARAMETERS = re.compile(r"^\[parameters: .*$", re.MULTILINE)


def redact_report(text: str) -> str:
    """A crash report as it may be kept and sent: no IIN, phone or row of personal data."""
    return _SQL_PARAMETERS.sub("[parameters: not logged]", redact(text))


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Attach the filter to the given logger's handlers and the logger itself (app.py: root)."""
    logger = logger or logging.getLogger()
    filt = RedactingFilter()
    logger.addFilter(filt)
    for handler in logger.handlers:
        handler.addFilter(filt)
