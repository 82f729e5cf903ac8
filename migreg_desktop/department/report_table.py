"""A report table as the monitoring files, the proposal and the settlement list print it, and the
owner-only writer of those files (the figures are derived from personal data)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INT, TEXT, PERCENT, DECIMAL = "int", "text", "percent", "decimal"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    formats: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""  # shown instead of rows when a table has none yet



def write_private(path: Path, data: bytes) -> Path:
    """Write the file readable by its owner only (0600), replaced atomically; the folder is the
    clerk's choice and keeps its own permissions. Windows: the profile's ACL applies."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if sys.platform != "win32":
            os.chmod(tmp, 0o600)  # the umask cannot widen it, but an existing partial file could be wider
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
