"""The oblast's settlement list of the year (Rules §6–8)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

# Rules §6: what the list is built from.
SETTLEMENT_KINDS = ("rural_settlement", "small_town", "single_industry_town", "city_district",
                    "city_oblast", "growth_centre")
POTENTIALS = ("low", "medium", "high")


class SettlementListEntry(SQLModel, table=True):
    __tablename__ = "settlement_list_entry"

    year: int = Field(primary_key=True)
    kato: str = Field(primary_key=True, foreign_key="territory.kato")
    kind: str
    potential: str
    fixed_on: date | None = None
    source: str = ""
    sample: bool = False
