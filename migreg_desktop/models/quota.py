"""Regional quotas, their allotments to district offices, and the append-only quota ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from migreg_desktop.ids import uuid7
from migreg_desktop.models.base import IdKey, utcnow
from migreg_desktop.vocabulary import CASE_KINDS
from migreg_desktop.vocabulary import COUNTING as COUNTING

QUOTA_KINDS = CASE_KINDS  # a quota per case kind (Rules §2.4, §2.6)


class RegionalQuota(SQLModel, table=True):
    __tablename__ = "regional_quota"
    __table_args__ = (UniqueConstraint("year", "region_kato", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    region_kato: str = Field(foreign_key="territory.kato")
    kind: str
    limit: int
    counting: str = "persons"
    source: str = "local"  # order (shipped reference data) | local (set by an admin)
    updated_at: datetime = Field(default_factory=utcnow)


class QuotaAllotment(SQLModel, table=True):
    """The block of a quota the oblast gives one district office (like a reserved id pool)."""

    __tablename__ = "quota_allotment"
    __table_args__ = (UniqueConstraint("quota_id", "office_code"),)

    id: int | None = Field(default=None, primary_key=True)
    quota_id: int = Field(foreign_key="regional_quota.id", index=True)
    office_code: str = Field(foreign_key="office.code")
    slots: int
    updated_at: datetime = Field(default_factory=utcnow)


class QuotaLedgerEntry(SQLModel, table=True):
    """Append-only: a reservation (+persons) or a release (−persons). Never updated or deleted."""

    __tablename__ = "quota_ledger"

    id: int | None = Field(default=None, primary_key=True)
    # The key that travels in sync packages (integer ids differ between offices): 0201_sync_uuid_ledger.
    uid: str | None = Field(default_factory=uuid7, unique=True, index=True)
    allotment_id: int = Field(foreign_key="quota_allotment.id", index=True)
    case_id: str = Field(foreign_key="cases.id", index=True, sa_type=IdKey)
    entry: str  # reserve | release
    persons: int
    at: datetime = Field(default_factory=utcnow)
    by_user: str = "system"
