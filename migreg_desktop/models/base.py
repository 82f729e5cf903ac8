"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC, whole seconds (sqlmodel stores UTC; the window shows local time)."""
    return datetime.now(UTC).replace(microsecond=0)
