"""The Department's desk (issue 16): the settlement list's fixing and its recipients (Rules §6–8),
adaptation measures of kandases (§9–10), official statistics (§3, §9), proposal drafts (§4).
Tables made by migration 0500_department_desk."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from migreg_desktop.ids import uuid7
from migreg_desktop.models.base import IdKey, utcnow

ADAPTATION_KINDS = ("language_course", "vocational_training", "retraining", "job_placement",
                    "adaptation_centre")
ADAPTATION_OUTCOMES = ("ongoing", "completed", "employed", "dropped_out")


class SettlementListState(SQLModel, table=True):
    """A year's list is ``fixed`` (Rules §7) or ``open`` again after an admin's reopening."""

    __tablename__ = "settlement_list_state"

    year: int = Field(primary_key=True)
    status: str
    fixed_on: date | None = None
    changed_by: str
    changed_at: datetime = Field(default_factory=utcnow)


class SettlementListRecipient(SQLModel, table=True):
    """Rules §8: who was sent the fixed list, and when (``recipient`` is a key of services/recipients)."""

    __tablename__ = "settlement_list_recipient"

    year: int = Field(primary_key=True)
    recipient: str = Field(primary_key=True)
    sent_on: date
    recorded_by: str
    recorded_at: datetime = Field(default_factory=utcnow)


class AdaptationMeasure(SQLModel, table=True):
    __tablename__ = "adaptation_measure"

    id: str = Field(default_factory=uuid7, primary_key=True, sa_type=IdKey)
    case_id: str = Field(foreign_key="cases.id", index=True, ondelete="CASCADE", sa_type=IdKey)
    person_id: str | None = Field(default=None, foreign_key="person.id", sa_type=IdKey)  # None: the applicant
    kind: str
    started_on: date
    ended_on: date | None = None
    outcome: str
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class OfficialStat(SQLModel, table=True):
    """One district's (or city's) official figures of a year, from `stats import`."""

    __tablename__ = "official_stat"

    year: int = Field(primary_key=True)
    kato: str = Field(primary_key=True, foreign_key="territory.kato")
    population: int
    arrivals: int
    departures: int
    births: int | None = None
    deaths: int | None = None


class ProposalDraft(SQLModel, table=True):
    """Rules §4: the editable paragraphs of the Department's letter to the Ministry."""

    __tablename__ = "proposal_draft"

    year: int = Field(primary_key=True)
    paragraphs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_by: str
    updated_at: datetime = Field(default_factory=utcnow)
