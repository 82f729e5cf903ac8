"""The one string naming every reference-data version in use (stored with decisions and
packages), read on a DB-API connection: without SQLModel, so that a worker process judging cases
(eligibility/bulk_check.py) starts light (issue 17 §4). refdata.refdata reads it in a session."""

from __future__ import annotations

from collections.abc import Iterable

from migreg_desktop.storage.reader import Rows


def reference_version_read(con: Rows) -> str:
    """``refdata.reference_version`` read on a DB-API connection (a worker process's own)."""
    return joined(con.execute("SELECT dataset, version FROM refdata_version").fetchall())


def joined(pairs: Iterable[tuple[str, str]]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(pairs))
