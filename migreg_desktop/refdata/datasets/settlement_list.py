"""Loader: the oblast's settlement list of the year (Rules §6–8), shipped or from a package."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session


def load_settlement_list(data: dict[str, Any], session: Session) -> int:
    from migreg_desktop.refdata.settlements import apply_rows, validate_rows

    rows, errors = validate_rows(data.get("entries") or [], session=session)
    if errors:
        from migreg_desktop.errors import UserError

        raise UserError("settlement list {version}: {error}", version=str(data.get("version")),
                        error=errors[0]["message"])
    apply_rows(rows, sample=bool(data.get("sample")), session=session)
    return len(rows)
