"""A person: an applicant or a family member who moves with them."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from migreg_desktop.ids import uuid7
from migreg_desktop.models.base import IdKey, utcnow
from migreg_desktop.vocabulary import CITIZENSHIPS as CITIZENSHIPS
from migreg_desktop.vocabulary import EMPLOYMENT as EMPLOYMENT
from migreg_desktop.vocabulary import (
    SEXES as SEXES,  # vocabulary.py holds them; this is their old address
)

# Fields a clerk types for every person (the JSON keys of `case add` too).
PERSON_FIELDS = (
    "iin", "surname", "name", "patronymic", "name_latin", "birth_date", "sex", "citizenship",
    "phone", "address", "registered_since", "employment_status", "jobseeker_since", "education",
    "profession", "kandas_certificate_no", "kandas_certificate_date",
    # Issue 14: where a kandas comes from (the kandas application form prints them).
    "origin_country", "former_citizenship", "nationality",
)


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: str = Field(default_factory=uuid7, primary_key=True, sa_type=IdKey)
    iin: str | None = Field(default=None, index=True, max_length=12)
    surname: str
    name: str
    patronymic: str | None = None
    name_latin: str | None = None
    birth_date: date | None = None
    sex: str | None = Field(default=None, max_length=1)
    citizenship: str = "citizen"
    phone: str | None = None
    address: str | None = None
    registered_since: date | None = None  # permanent registration at the current address
    employment_status: str | None = None
    jobseeker_since: date | None = None
    education: str | None = None
    profession: str | None = None
    kandas_certificate_no: str | None = None
    kandas_certificate_date: date | None = None
    origin_country: str | None = None  # the country the kandas arrives from
    former_citizenship: str | None = None  # citizenship held before (a country, or "stateless")
    nationality: str | None = None  # ethnicity as recorded (e.g. "қазақ / казах")
    owner_office: str | None = None
    version: int = 1
    base_version: int = 0
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)
