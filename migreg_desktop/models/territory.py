"""Reference territories (KATO) and the offices that use the program."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

# Levels and significance as in resources/refdata/territories.json
LEVELS = ("region", "district", "city", "rural_okrug", "settlement")


class Territory(SQLModel, table=True):
    __tablename__ = "territory"

    kato: str = Field(primary_key=True, max_length=9)
    name_kk: str
    name_ru: str
    level: str = Field(index=True)
    parent_kato: str | None = Field(default=None, foreign_key="territory.kato", index=True)
    significance: str | None = None  # republic | oblast | district
    settlement_type: str | None = None  # city | town | village
    old_names: str = "[]"  # JSON list, kept searchable after renamings
    search_text: str = ""  # normalised kk/ru/latin names for the picker
    confirmed: bool = True

    def name(self, lang: str) -> str:
        return self.name_kk if lang == "kk" else self.name_ru


class Office(SQLModel, table=True):
    __tablename__ = "office"

    code: str = Field(primary_key=True, max_length=16)
    kind: str  # district | city | oblast
    name_kk: str
    name_ru: str
    kato: str = Field(foreign_key="territory.kato")

    def name(self, lang: str) -> str:
        return self.name_kk if lang == "kk" else self.name_ru
