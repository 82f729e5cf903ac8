"""Year-versioned reference values (designated regions, MCI, support amounts, rule parameters).

Stored as JSON per (dataset, year, key) in ``reference_value``; the datasets' loaders
(services/datasets/) replace a dataset's rows when a newer version ships.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from migreg_desktop.errors import UserError
from migreg_desktop.models.eligibility import ReferenceValue


def replace_years(dataset: str, years: dict[str, dict[str, Any]], *, session: Session) -> int:
    """Replace the values of each year in ``years`` ({"2026": {key: value}})."""
    if not isinstance(years, dict) or not years:
        raise UserError("reference dataset {name}: no 'years'", name=dataset)
    count = 0
    for year_text, values in years.items():
        year = _year(dataset, year_text)
        session.exec(delete(ReferenceValue).where(
            col(ReferenceValue.dataset) == dataset, col(ReferenceValue.year) == year))
        for key, value in values.items():
            session.add(ReferenceValue(dataset=dataset, year=year, key=key,
                                       value=json.dumps(value, ensure_ascii=False)))
            count += 1
    session.flush()
    return count


def _year(dataset: str, text: str) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise UserError("reference dataset {name}: {value} is not a year", name=dataset, value=text)
    return year


def year_values(dataset: str, year: int, *, session: Session) -> dict[str, Any] | None:
    rows = session.exec(select(ReferenceValue).where(ReferenceValue.dataset == dataset,
                                                     ReferenceValue.year == year)).all()
    if not rows:
        return None
    return {r.key: json.loads(r.value) for r in rows}


def value(dataset: str, year: int, key: str, *, session: Session, default: Any = None) -> Any:
    row = session.get(ReferenceValue, (dataset, year, key))
    return json.loads(row.value) if row else default


def years(dataset: str, *, session: Session) -> list[int]:
    rows = session.exec(select(ReferenceValue.year).where(ReferenceValue.dataset == dataset).distinct()).all()
    return sorted(int(y) for y in rows)
