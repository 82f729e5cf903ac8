"""Loaders: designated regions, rule parameters, MCI and support measures (year-versioned)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.refdata.refvalues import replace_years

KINDS = ("kandas", "resettler")


def load_designated_regions(data: dict[str, Any], session: Session) -> int:
    """Gov decree No. 83: region KATOs designated for kandases and for resettlers, per year."""
    from migreg_desktop.models import Territory

    years = data.get("years") or {}
    for year, lists in years.items():
        for kind in KINDS:
            for kato in lists.get(kind, []):
                t = session.get(Territory, kato)
                if t is None or t.level != "region":
                    raise UserError("designated regions {year}: {kato} is not a region", year=year, kato=kato)
    return replace_years("designated_regions", years, session=session)


def load_rule_parameters(data: dict[str, Any], session: Session) -> int:
    years = data.get("years") or {}
    for year, values in years.items():
        mry = values.get("min_registration_years", 1)
        if not isinstance(mry, int) or mry < 0:
            raise UserError("rule parameters {year}: min_registration_years must be a whole number ≥ 0", year=year)
    return replace_years("rule_parameters", years, session=session)


def load_mci(data: dict[str, Any], session: Session) -> int:
    years = data.get("years") or {}
    for year, amount in years.items():
        if not isinstance(amount, int) or amount <= 0:
            raise UserError("MCI of {year} must be a positive whole number of tenge", year=year)
    return replace_years("mci", {y: {"mci": v} for y, v in years.items()}, session=session)


def _measure_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(m, dict) and m.get("id") for m in value)


def load_support_measures(data: dict[str, Any], session: Session) -> int:
    """Per year either a list (the quota measures, the format before issue 14) or
    {"measures": [...], "intra_oblast": [...]}: what the oblast gives intra-oblast movers (⚠, none
    by default: the Rules grant them no quota measures)."""
    years = data.get("years") or {}
    stored: dict[str, dict[str, Any]] = {}
    for year, spec in years.items():
        if isinstance(spec, list):
            spec = {"measures": spec}
        if not isinstance(spec, dict) or not _measure_list(spec.get("measures")) \
                or not _measure_list(spec.get("intra_oblast", [])):
            raise UserError("support measures {year}: a list of measures with ids is expected", year=year)
        stored[year] = {"measures": spec["measures"], "intra_oblast_measures": spec.get("intra_oblast", [])}
    return replace_years("support_measures", stored, session=session)


POTENTIALS = ("low", "medium", "high")


def load_settlement_potential(data: dict[str, Any], session: Session) -> int:
    """Rules §2.7: the economic potential of rural settlements per year (the oblast's assessment;
    the shipped file is a sample). Stored per KATO; ``_sample`` marks a sample for the admin."""
    from migreg_desktop.models import Territory

    years = data.get("years") or {}
    stored: dict[str, dict[str, Any]] = {}
    for year, rated in years.items():
        if not isinstance(rated, dict):
            raise UserError("settlement potential {year}: KATO → low | medium | high expected", year=year)
        for kato, potential in rated.items():
            if potential not in POTENTIALS:
                raise UserError("settlement potential {year}: {kato}: {value} is not low, medium or high",
                                year=year, kato=kato, value=str(potential))
            if session.get(Territory, str(kato)) is None:
                raise UserError("settlement potential {year}: unknown KATO code {kato}", year=year, kato=kato)
        stored[year] = {**rated, "_sample": bool(data.get("sample"))}
    return replace_years("settlement_potential", stored, session=session)
