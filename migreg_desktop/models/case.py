"""A case: one application (kandas, resettler or intra-oblast move) with its family and papers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from migreg_desktop.ids import uuid7
from migreg_desktop.models.base import IdKey, utcnow
from migreg_desktop.vocabulary import CASE_KINDS
from migreg_desktop.vocabulary import CHANNELS as CHANNELS
from migreg_desktop.vocabulary import (
    HOUSING as HOUSING,  # vocabulary.py holds them; this is their old address
)
from migreg_desktop.vocabulary import RELATIONS as RELATIONS

KINDS = CASE_KINDS


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    # Every index here is read by a query (plans: docs/storage.md "Indexes and their query plans").
    __table_args__ = (# monitoring's GROUP BYs read only this index (migration 0510; issue 16 §1)
                      Index("ix_cases_monitoring", "quota_year", "office_code", "kind", "status", "destination_kato",
                            "family_size", "created_at"),
                      Index("ix_cases_year_created", "quota_year", "created_at", "office_code", "kind", "family_size"))

    id: str = Field(default_factory=uuid7, primary_key=True, sa_type=IdKey)
    number: str = Field(unique=True, index=True)
    office_code: str = Field(foreign_key="office.code", index=True)
    kind: str = Field(index=True)
    status: str = Field(default="draft", index=True)
    applicant_id: str = Field(foreign_key="person.id", index=True, sa_type=IdKey)
    origin_kato: str | None = Field(default=None, foreign_key="territory.kato")
    destination_kato: str | None = Field(default=None, foreign_key="territory.kato", index=True)
    quota_year: int  # no index of its own: ix_cases_monitoring, ix_cases_year_created start with it (0800)
    channel: str = "in_person"
    employer: str | None = None
    has_job_offer: bool = False
    has_business_plan: bool = False
    housing: str | None = None
    notes: str | None = None
    # Issue 14: an applicant under 18 applies through a legal representative (rule applicant_of_age).
    legal_representative: str | None = None  # full name
    representative_basis: str | None = None  # the paper: birth certificate, guardianship decision …
    clerk: str | None = None
    # Denormalised from the applicant for a fast list (sort/filter in SQL over 100,000 rows).
    applicant_iin: str | None = Field(default=None, index=True)
    applicant_name: str = ""  # unindexed: the list sorts it COLLATE NOCASE (0800_lean_bytes)
    family_size: int = 1  # applicant + family members
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    owner_office: str | None = None
    version: int = 1
    base_version: int = 0


class FamilyMember(SQLModel, table=True):
    __tablename__ = "family_member"

    id: str = Field(default_factory=uuid7, primary_key=True, sa_type=IdKey)
    case_id: str = Field(foreign_key="cases.id", index=True, ondelete="CASCADE", sa_type=IdKey)
    person_id: str = Field(foreign_key="person.id", index=True, sa_type=IdKey)
    relation: str
    position: int = 0
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: str = Field(default_factory=uuid7, primary_key=True, sa_type=IdKey)
    case_id: str = Field(foreign_key="cases.id", index=True, ondelete="CASCADE", sa_type=IdKey)
    person_id: str | None = Field(default=None, foreign_key="person.id", sa_type=IdKey)
    doc_type: str
    number: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    note: str | None = None
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class StatusChange(SQLModel, table=True):
    __tablename__ = "status_change"

    id: str = Field(default_factory=uuid7, primary_key=True, sa_type=IdKey)
    case_id: str = Field(foreign_key="cases.id", index=True, ondelete="CASCADE", sa_type=IdKey)
    from_status: str | None = None
    to_status: str
    at: datetime = Field(default_factory=utcnow)
    by_user: str
    comment: str | None = None


class CaseCounter(SQLModel, table=True):
    """Human case numbers per office and year: ALM-KNV-2026-000123."""

    __tablename__ = "case_counter"

    office_code: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0
