"""Privacy helpers (issue 7 §5): owner-only files and folders, no personal data in logs.

The data dir is created owner-only by paths.make_private_dir; ``tighten_data_dir`` also narrows
files SQLite created with the process umask. Key files (sync keys) go through
``write_private_file``. Log records pass ``RedactingFilter``: IINs, phone numbers and anything
looking like them never reach a log file.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from .. import paths
from ..i18n import N_
from ..settings import declare

declare("lock_after_minutes", int, 10, N_("Lock the window after (minutes)"),
        N_("After this many minutes without typing or clicking the window hides the data and "
           "asks for the password again; 0 never locks"))

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


def tighten_data_dir(folder: Path | None = None) -> None:
    folder = folder or paths.data_dir()
    paths.make_private_dir(folder)
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
