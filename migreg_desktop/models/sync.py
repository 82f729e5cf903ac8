"""Tables of the file exchange between offices (sync by export packages, issue 6).

Kept apart from the shared tables: every row here is keyed by the record's UUID (storage/sync_keys.py), so the shared
``cases``/``person``… tables need no extra columns. ``sync_change`` is fed by SQLite triggers
(see storage/triggers.py) so any edit, by any service, is noticed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from migreg_desktop.models.base import IdKey, utcnow


class SyncChange(SQLModel, table=True):
    """A record changed in this office (local edits only: imports suppress the triggers).

    Keyed by (type code, the record's key as its table stores it): storage/sync_keys.py. One
    b-tree, no secondary index (issue 17 §1; query plans in docs/sync.md "Storage of the change
    log"). Read it as text through the view ``sync_change_view``; the triggers write through it.
    """

    __tablename__ = "sync_change"
    __table_args__ = ({"sqlite_with_rowid": False},)

    kind: int = Field(primary_key=True)  # records.RecordType.code
    # 16 bytes (a canonical UUID in an id column) or text: what the record's key column holds
    key: bytes = Field(primary_key=True, sa_type=LargeBinary)
    version: int = 1  # local change counter of the record
    deleted: bool = False
    owner: str | None = None  # owning office (the district that registered the case); NULL: this office
    route: str | None = None  # office the record is about (the case's district); NULL: this office


class SyncKind(SQLModel, table=True):
    """Record type codes of the bookkeeping tables, by name (for reading them as text)."""

    __tablename__ = "sync_kind"
    __table_args__ = (UniqueConstraint("name"),)

    code: int = Field(primary_key=True)
    name: str


class SyncSuppress(SQLModel, table=True):
    """One row while an import runs in this transaction: triggers then log nothing."""

    __tablename__ = "sync_suppress"

    flag: int = Field(primary_key=True)


class SyncPartner(SQLModel, table=True):
    """A partner office's trusted public keys (`keys trust`)."""

    __tablename__ = "sync_partner"

    office_code: str = Field(primary_key=True)
    sign_key: str  # Ed25519 verify key, base64
    box_key: str  # X25519 public key, base64
    fingerprint: str
    trusted_at: datetime = Field(default_factory=utcnow)


class SyncChannel(SQLModel, table=True):
    """Outgoing sequence numbers per receiver."""

    __tablename__ = "sync_channel"

    receiver: str = Field(primary_key=True)
    last_sequence: int = 0
    last_acked: int = 0


class SyncOutbound(SQLModel, table=True):
    """A package this office wrote (data or ack)."""

    __tablename__ = "sync_outbound"

    receiver: str = Field(primary_key=True)
    sequence: int = Field(primary_key=True)
    kind: str = "data"
    created_at: datetime = Field(default_factory=utcnow)
    file_name: str = ""
    sha256: str = ""
    counts: str = "{}"
    acknowledged_at: datetime | None = None


class SyncDelivery(SQLModel, table=True):
    """What a receiver got of each record: sent version, acknowledged version."""

    __tablename__ = "sync_delivery"
    __table_args__ = ({"sqlite_with_rowid": False},)

    receiver: str = Field(primary_key=True)
    kind: int = Field(primary_key=True)  # the record's key: storage/sync_keys.py
    key: bytes = Field(primary_key=True, sa_type=LargeBinary)
    sent_version: int = 0
    sent_sequence: int = 0
    acked_version: int = 0
    outcome: str | None = None  # applied | unchanged | conflict | rejected (from the ack)
    reason: str | None = None


class SyncInbound(SQLModel, table=True):
    """A package imported from a partner (applied only: rejected ones leave no trace)."""

    __tablename__ = "sync_inbound"

    sender: str = Field(primary_key=True)
    sequence: int = Field(primary_key=True)
    kind: str = "data"
    sha256: str = ""
    created_at: str = ""
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by: str = ""
    counts: str = "{}"
    conflicts: int = 0
    ack_sequence: int | None = None


class SyncRecord(SQLModel, table=True):
    """Where an imported record came from and which of its versions this office holds."""

    __tablename__ = "sync_record"
    __table_args__ = (Index("ix_sync_record_origin_seq", "origin", "sequence"), {"sqlite_with_rowid": False})

    kind: int = Field(primary_key=True)  # the record's key: storage/sync_keys.py
    key: bytes = Field(primary_key=True, sa_type=LargeBinary)
    origin: str
    version: int
    sequence: int
    outcome: str = "applied"


class SyncConflict(SQLModel, table=True):
    """An incoming edit that may not silently overwrite: the clerk accepts or rejects it."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    sender: str
    sequence: int
    record_type: str
    record_id: str = Field(index=True)
    owner: str | None = None
    version: int = 0
    base_version: int = 0
    deleted: bool = False
    incoming: str = "{}"  # JSON of the incoming fields
    local: str = "{}"  # JSON of our fields when the conflict arose
    status: str = "open"  # open | accepted | rejected
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None
    resolved_by: str | None = None


class SyncStaging(SQLModel, table=True):
    """Oblast: every imported person with its match keys (IIN, folded name + birth date)."""

    __tablename__ = "sync_staging"
    __table_args__ = (Index("ix_sync_staging_name", "name_key", "birth_date"),
                      Index("ix_sync_staging_iin", "iin"))

    person_id: str = Field(primary_key=True, sa_type=IdKey)
    sender: str
    sequence: int
    iin: str | None = None
    name_key: str = ""
    birth_date: str | None = None
    match: str = "new"  # new | suspect | same | distinct (after review)
    imported_at: datetime = Field(default_factory=utcnow)


class SyncDuplicate(SQLModel, table=True):
    """A suspected duplicate pair of persons, for review at the oblast."""

    __tablename__ = "sync_duplicate"
    __table_args__ = (UniqueConstraint("person_id", "other_id"), Index("ix_sync_duplicate_status", "status"))

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(sa_type=IdKey)
    other_id: str = Field(sa_type=IdKey)
    match_kind: str  # iin | name_birth
    status: str = "open"  # open | same | different
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None
    resolved_by: str | None = None
