"""Loaders: designated regions, rule parameters, MCI and support measures (year-versioned)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ...errors import UserError
from .. import refdata
from ..refvalues import replace_years

KINDS = ("kandas", "resettler")


@refdata.loader("designated_regions")
def load_designated_regions(data: dict[str, Any], session: Session) -> int:
    """Gov decree No. 83: region KATOs designated for kandases and for resettlers, per year."""
    from ...models import Territory

    years = data.get("years") or {}
    for year, lists in years.items():
        for kind in KINDS:
            for kato in lists.get(kind, []):
                t = session.get(Territory, kato)
                if t is None or t.level != "region":
                    raise UserError("designated regions {year}: {kato} is not a region", year=year, kato=kato)
    return replace_years("designated_regions", years, session=session)


@refdata.loader("rule_parameters")
def load_rule_parameters(data: dict[str, Any], session: Session) -> int:
    years = data.get("years") or {}
    for year, values in years.items():
        mry = values.get("min_registration_years", 1)
        if not isinstance(mry, int) or mry < 0:
            raise UserError("rule parameters {year}: min_registration_years must be a whole number ≥ 0", year=year)
    return replace_years("rule_parameters", years, session=session)


@refdata.loader("mci")
def load_mci(data: dict[str, Any], session: Session) -> int:
    years = data.get("years") or {}
    for year, amount in years.items():
        if not isinstance(amount, int) or amount <= 0:
            raise UserError("MCI of {year} must be a positive whole number of tenge", year=year)
    return replace_years("mci", {y: {"mci": v} for y, v in years.items()}, session=session)


@refdata.loader("support_measures")
def load_support_measures(data: dict[str, Any], session: Session) -> int:
    years = data.get("years") or {}
    for year, measures in years.items():
        if not isinstance(measures, list) or not all(isinstance(m, dict) and m.get("id") for m in measures):
            raise UserError("support measures {year}: a list of measures with ids is expected", year=year)
    return replace_years("support_measures", {y: {"measures": v} for y, v in years.items()}, session=session)


# Keep decisions current in every process that opens a database (see eligibility_watch).
from .. import eligibility_watch as _watch  # noqa: E402

_watch.install()
