"""Eligibility: rule parameters as reference data, and the decisions stored with each case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from migreg_desktop.ids import uuid7
from migreg_desktop.models.base import IdKey, PackedText, utcnow


class ReferenceValue(SQLModel, table=True):
    """One value of a year-versioned dataset (designated regions, MCI, support, rule parameters)."""

    __tablename__ = "reference_value"

    dataset: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    key: str = Field(primary_key=True)
    value: str = "null"  # JSON


class EligibilityDecision(SQLModel, table=True):
    """One check of a case: every rule result, the verdict, and the versions it used.

    Append-only: a case keeps the whole history of its decisions.
    """

    __tablename__ = "eligibility_decision"
    __table_args__ = (Index("ix_eligibility_decision_case_id_id", "case_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # The key that travels in sync packages (integer ids differ between offices): 0201_sync_uuid_ledger.
    uid: str | None = Field(default_factory=uuid7, unique=True, index=True)
    case_id: str = Field(foreign_key="cases.id", ondelete="CASCADE", sa_type=IdKey)
    checked_at: datetime = Field(default_factory=utcnow)
    checked_on: str = ""  # ISO date the rules were evaluated for
    verdict: str  # eligible | not_eligible | needs_check
    eligible: bool = False
    # JSON: [{"rule", "result", "applies", "msgid", "params", "reference"}]; stored packed (0880)
    results: str = Field(default="[]", sa_type=PackedText)
    rules_version: str
    reference_version: str
    case_version: int = 0
    trigger: str = "manual"  # manual | case_changed | refdata_changed | quota_changed | bulk
    by_user: str = "system"
