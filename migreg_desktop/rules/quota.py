"""Room in the quota: the office's allotment, counted by persons or by families."""

from __future__ import annotations

from collections.abc import Callable

from migreg_desktop.i18n import N_
from migreg_desktop.rules.base import FAIL, NEEDS_CHECK, OK, CaseFacts, Params, RuleResult, msg

REF_QUOTA = N_("Rules §2.4, §2.6")
from migreg_desktop.vocabulary import COUNTING_LABELS as COUNTING_NAMES  # noqa: E402

QuotaKey = tuple[int, str, str]  # (year, region or destination KATO, kind)


def quota_key(kind: str, year: int, destination: str | None, region: str | None,
              has_quota: Callable[[QuotaKey], bool]) -> QuotaKey | None:
    """Which quota a case counts against — the one place this is decided (Rules §2.4, §2.6).

    Kandases and resettlers count against the quota of the destination's region. An intra-oblast
    move counts against the oblast's figure for its destination when the oblast set one, else
    against the figure of the destination's region (the whole-oblast fallback).
    """
    if not destination:
        return None
    if kind == "intra_oblast" and has_quota((year, destination, kind)):
        return year, destination, kind
    return (year, region, kind) if region else None


def counted_persons(counting: str, family_size: int) -> int:
    """Rules §2.4, §2.6: a quota counts applicants only, or applicants with family members."""
    return family_size if counting == "family" else 1


def quota_room(f: CaseFacts, p: Params) -> RuleResult:
    rule = "quota_room"
    q = f.quota
    if not q.found:
        if f.kind == "intra_oblast":
            return RuleResult(rule, NEEDS_CHECK, N_("the oblast has set no capacity for this destination in {year}"),
                              REF_QUOTA, {"year": f.quota_year})
        dest = f.destination
        region = dest.region if dest is not None else None
        unknown = (p.get("quota_unknown") or {}).get(f.kind) or []
        if dest is not None and region is not None and region in unknown:
            # Issue 14 §9: a figure the order has not published is unknown, not zero.
            names = dest.region_names or region
            return RuleResult(rule, NEEDS_CHECK, N_("the {year} quota of {region} is not known yet: to be confirmed"),
                              REF_QUOTA, {"year": f.quota_year, "region": names})
        return RuleResult(rule, FAIL, N_("no quota for this region, kind of case and year {year}"), REF_QUOTA,
                          {"year": f.quota_year})
    counted = counted_persons(q.counting, f.family_size)
    base = {"counted": counted, "counting": msg(COUNTING_NAMES.get(q.counting, q.counting)),
            "slots": q.slots, "office": f.office_code}
    if not q.allotted:
        return RuleResult(rule, NEEDS_CHECK, N_("the oblast has allotted no places of this quota to office {office}"),
                          REF_QUOTA, base)
    remaining = q.slots - q.reserved
    base["remaining"] = remaining
    if q.held:
        if q.held >= counted:
            return RuleResult(rule, OK, N_("{held} place(s) reserved for this case ({counting})"), REF_QUOTA,
                              {**base, "held": q.held})
        return RuleResult(rule, NEEDS_CHECK, N_("{held} place(s) reserved, but the case now counts {counted}"),
                          REF_QUOTA, {**base, "held": q.held})
    if counted <= remaining:
        return RuleResult(rule, OK, N_("room for {counted} ({counting}): {remaining} of {slots} places left"),
                          REF_QUOTA, base)
    return RuleResult(rule, FAIL, N_("no room: the case counts {counted} ({counting}), {remaining} of {slots} places left"),
                      REF_QUOTA, base)
