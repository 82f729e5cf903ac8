"""Where the case goes: designated regions, the settlement list, intra-oblast conditions."""

from __future__ import annotations

from datetime import date
from typing import Any

from migreg_desktop.i18n import N_
from migreg_desktop.rules.base import (
    FAIL,
    NEEDS_CHECK,
    OK,
    CaseFacts,
    Params,
    Place,
    RuleResult,
    msg,
    not_applicable,
    short_date,
)

REF_DECREE_83 = N_("Gov decree No. 83 (2016, as amended)")
REF_LIST = N_("Rules §5.2, §7")
REF_INTRA = N_("Rules §2.7")
KIND_NAMES = {"kandas": N_("kandases"), "resettler": N_("resettlers")}


def _name(place: Place | None) -> dict[str, str] | str:
    if place is None:
        return ""
    return place.names or place.kato


def region_designated(f: CaseFacts, p: Params) -> RuleResult:
    """Gov decree No. 83: the destination region must be on the list for this kind of case."""
    rule = "region_designated"
    if f.kind not in KIND_NAMES:
        return not_applicable(rule, REF_DECREE_83)
    if f.destination is None or f.destination.region is None:
        return RuleResult(rule, FAIL, N_("no destination region recorded"), REF_DECREE_83)
    regions = p.designated.get(f.kind)
    if regions is None:
        return RuleResult(rule, NEEDS_CHECK, N_("no list of designated regions for {year} in the reference data"),
                          REF_DECREE_83, {"year": f.quota_year})
    region = f.destination.region
    params = {"region": _region_name(f), "who": msg(KIND_NAMES[f.kind]), "year": f.quota_year}
    if region in regions:
        return RuleResult(rule, OK, N_("{region} is designated for {who} in {year}"), REF_DECREE_83, params)
    if region == p.home_region:
        # Almaty oblast is a labour-surplus region: on neither list (reference.md).
        text = (N_("Almaty oblast is not designated for kandases: quota support only when moving on to a designated region")
                if f.kind == "kandas" else
                N_("resettlers leave Almaty oblast for a designated region; a move inside the oblast is an intra-oblast case"))
        return RuleResult(rule, FAIL, text, REF_DECREE_83, params)
    return RuleResult(rule, FAIL, N_("{region} is not designated for {who} in {year}"), REF_DECREE_83, params)


def _region_name(f: CaseFacts) -> dict[str, str] | str:
    dest = f.destination
    if dest is None:
        return ""
    return dest.region_names or dest.names or dest.region or ""


def settlement_listed(f: CaseFacts, p: Params) -> RuleResult:
    """Rules §5.2, §7: intra-oblast moves and destinations inside the oblast use the year's list."""
    rule = "settlement_listed"
    dest = f.destination
    inside = dest is not None and dest.region == p.home_region
    if f.kind != "intra_oblast" and not inside:
        return not_applicable(rule, REF_LIST)
    if dest is None:
        return RuleResult(rule, FAIL, N_("no destination settlement recorded"), REF_LIST)
    if not f.list_exists:
        return RuleResult(rule, NEEDS_CHECK, N_("no settlement list for {year} has been loaded"), REF_LIST,
                          {"year": f.quota_year})
    if dest.level in ("region", "district", "rural_okrug"):
        return RuleResult(rule, NEEDS_CHECK, N_("choose the destination settlement, not {place}"), REF_LIST,
                          {"place": _name(dest)})
    if f.listed is None:
        return RuleResult(rule, FAIL, N_("{place} is not on the settlement list of {year}"), REF_LIST,
                          {"place": _name(dest), "year": f.quota_year})
    late = list_warning(f.quota_year, f.list_fixed_on, f.today, p)
    if late is not None:
        return RuleResult(rule, NEEDS_CHECK, late[0], REF_LIST, late[1])
    return RuleResult(rule, OK, N_("{place} is on the settlement list of {year}"), REF_LIST,
                      {"place": _name(dest), "year": f.quota_year})


def list_warning(year: int, fixed_on: date | None, today: date, p: Params | None = None) -> tuple[str, dict[str, Any]] | None:
    """Rules §7: a list is fixed by 15 December for the next year and is valid for that year only."""
    if today.year > year:
        return N_("the settlement list of {year} is used after its year"), {"year": year}
    month, day = (int(x) for x in str((p.get("list_fixed_by") if p else None) or "12-15").split("-"))
    deadline = date(year - 1, month, day)
    if fixed_on is not None and fixed_on > deadline:
        return (N_("the settlement list of {year} was fixed on {date}, after the deadline {deadline}"),
                {"year": year, "date": short_date(fixed_on), "deadline": short_date(deadline)})
    return None


def intra_oblast_conditions(f: CaseFacts, p: Params) -> RuleResult:
    """Rules §2.7: from a village with low economic potential to a city of oblast/district
    significance, with housing from the state fund and a permanent job or a business."""
    rule = "intra_oblast_conditions"
    if f.kind != "intra_oblast":
        return not_applicable(rule, REF_INTRA)
    problems = [x for x in (check(f, p) for check in (_origin_problem, _potential_problem, _destination_problem,
                                                       _job_problem, _housing_problem)) if x is not None]
    # A failure outranks an open question: "to be confirmed" never hides a "no".
    problem = next((x for x in problems if x[0] == FAIL), problems[0] if problems else None)
    if problem is not None:
        return RuleResult(rule, problem[0], problem[1], REF_INTRA, problem[2])
    return RuleResult(rule, OK, N_("from a village with low economic potential to {place}, job or business and housing recorded"),
                      REF_INTRA, {"place": _name(f.destination)})


POTENTIAL_NAMES = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


def origin_potential(f: CaseFacts, p: Params) -> str | None:
    """The origin's economic potential: the potential dataset of the year, else the year's list."""
    if f.origin is None:
        return None
    found = p.potential.get(f.origin.kato)
    if found is None and f.origin_listed is not None:
        found = f.origin_listed.potential
    return found if found in POTENTIAL_NAMES else None


def _potential_problem(f: CaseFacts, p: Params) -> tuple[str, str, dict[str, Any]] | None:
    """Rules §2.7: "из сел с низким экономическим потенциалом"."""
    origin = f.origin
    if origin is None or origin.region != p.home_region or origin.is_city or origin.level in ("region", "district"):
        return None  # _origin_problem has said what is wrong
    potential = origin_potential(f, p)
    if potential is None:
        return NEEDS_CHECK, N_("the economic potential of {place} in {year} is not in the reference data: to be confirmed"), \
            {"place": _name(origin), "year": f.quota_year}
    if potential != "low":
        return FAIL, N_("{place} has {potential} economic potential: intra-oblast resettlement is from villages with low potential"), \
            {"place": _name(origin), "potential": msg(POTENTIAL_NAMES[potential])}
    return None


def _origin_problem(f: CaseFacts, p: Params) -> tuple[str, str, dict[str, Any]] | None:
    origin = f.origin
    if origin is None:
        return FAIL, N_("no origin recorded"), {}
    if origin.region != p.home_region:
        return FAIL, N_("the origin {place} is not in Almaty oblast"), {"place": _name(origin)}
    if origin.is_city:
        return FAIL, N_("the origin {place} is a city, not a village"), {"place": _name(origin)}
    village_types = p.get("intra_origin_types", ["village", "kent"])
    if origin.level == "settlement" and origin.settlement_type not in village_types:
        return FAIL, N_("the origin {place} is not a village"), {"place": _name(origin)}
    if origin.level in ("region", "district"):
        return NEEDS_CHECK, N_("choose the village of origin, not {place}"), {"place": _name(origin)}
    return None


def _destination_problem(f: CaseFacts, p: Params) -> tuple[str, str, dict[str, Any]] | None:
    dest = f.destination
    if dest is None:
        return FAIL, N_("no destination recorded"), {}
    if dest.region != p.home_region:
        return FAIL, N_("the destination {place} is not in Almaty oblast"), {"place": _name(dest)}
    if not (dest.is_city and dest.significance in ("oblast", "district")):
        return FAIL, N_("the destination {place} is not a city of oblast or district significance"), {"place": _name(dest)}
    if f.origin is not None and f.origin.kato == dest.kato:
        return FAIL, N_("origin and destination are the same"), {}
    return None


def _job_problem(f: CaseFacts, _p: Params) -> tuple[str, str, dict[str, Any]] | None:
    if not (f.has_job_offer or f.has_business_plan):
        return FAIL, N_("no permanent job offer or business plan recorded"), {}
    return None


def _housing_problem(f: CaseFacts, p: Params) -> tuple[str, str, dict[str, Any]] | None:
    if f.housing not in p.get("intra_housing", ["state_fund"]):
        return NEEDS_CHECK, N_("housing from the state fund is not recorded"), {}
    return None
