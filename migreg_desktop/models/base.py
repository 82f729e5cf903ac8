"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from migreg_desktop import ids, packed_text


def utcnow() -> datetime:
    """Aware UTC, whole seconds (sqlmodel stores UTC; the window shows local time)."""
    return datetime.now(UTC).replace(microsecond=0)


class IdKey(TypeDecorator[str]):
    """A UUID id or key column: Python sees the text id, the database holds ``ids.to_db``'s form
    (16 bytes for a canonical UUID; issue 17 §1, migration 0840_blob_ids)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> Any:
        return ids.to_db(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return ids.from_db(value)

    def process_literal_param(self, value: str | None, dialect: Any) -> str:
        stored = ids.to_db(value)
        if isinstance(stored, bytes):
            return f"X'{stored.hex()}'"
        return "NULL" if stored is None else "'" + stored.replace("'", "''") + "'"

    @property
    def python_type(self) -> type[str]:
        return str


class PackedText(TypeDecorator[str]):
    """A long text stored with its fixed wording as codes (packed_text.py, migration 0880): Python
    sees the text, the database holds ``packed_text.pack``'s form."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> Any:
        return packed_text.pack(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return packed_text.unpack(value)  # type: ignore[no-any-return]

    @property
    def python_type(self) -> type[str]:
        return str
