"""Database-level facts: key/value meta, reference-data versions, the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from migreg_desktop.models.base import utcnow


class Meta(SQLModel, table=True):
    """``office_code``, ``role`` (district | oblast), ``created_with`` …"""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class RefdataVersion(SQLModel, table=True):
    __tablename__ = "refdata_version"

    dataset: str = Field(primary_key=True)
    version: str
    published: str | None = None
    loaded_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Every create / update / delete: who, when, what, old → new (JSON of field changes)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user: str = Field(index=True)
    office: str | None = None
    action: str = Field(index=True)  # create | update | delete | status | …
    entity: str
    entity_id: str | None = Field(default=None, index=True)
    changes: str = "{}"  # {"field": [old, new]}
    # Hash chain (accounts issue): SHA-256 of the previous entry and of this one, so an edited or
    # removed entry is detected by `migreg audit verify` (services/audit_chain.py).
    prev_hash: str | None = None
    hash: str | None = None
