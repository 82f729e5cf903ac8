"""Regional quotas: the Minister's orders as reference data (Rules §2.4, §2.6).

A quota (year, region, kind) has a limit counted in persons or in persons with family members.
Shipped orders and reference packages load through ``set_quota(keep_local=True)``; the oblast
changes one with `quota set`. What is reserved against a quota is the quota ledger's business
(``eligibility/quotas``).
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Territory
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.quota import QuotaAllotment, RegionalQuota
from migreg_desktop.vocabulary import CASE_KINDS as QUOTA_KINDS
from migreg_desktop.vocabulary import COUNTING


def _check_year(year: int) -> int:
    if not isinstance(year, int) or not 2020 <= year <= 2100:
        raise UserError(N_("{value} is not a year between 2020 and 2100"), field="year", value=str(year))
    return year


def _quota_region(region: str, kind: str, *, session: Session) -> Territory:
    t = session.get(Territory, str(region).strip())
    if t is None:
        raise UserError(N_("unknown region {kato}"), field="region", kato=region)
    if kind != "intra_oblast" and t.level != "region":
        raise UserError(N_("{kato} is not a region: a quota of kandases or resettlers belongs to a region"),
                        field="region", kato=region)
    return t


def set_quota(year: int, region: str, kind: str, limit: int, counting: str = "persons", *,
              session: Session, source: str = "local", audit_it: bool = True,
              keep_local: bool = False) -> RegionalQuota:
    """Create or change a quota. ``keep_local``: a shipped order does not override an admin's figure."""
    permissions.require('quota.set', session)
    _check_year(year)
    if kind not in QUOTA_KINDS:
        raise UserError(N_("{value} is not one of: {choices}"), field="kind", value=kind, choices=", ".join(QUOTA_KINDS))
    if counting not in COUNTING:
        raise UserError(N_("{value} is not one of: {choices}"), field="counting", value=counting,
                        choices=", ".join(COUNTING))
    if not isinstance(limit, int) or limit < 0:
        raise UserError(N_("the limit must be a whole number ≥ 0, not {value}"), field="limit", value=str(limit))
    territory = _quota_region(region, kind, session=session)
    quota = find_quota(year, territory.kato, kind, session=session)
    if quota is not None and keep_local and quota.source == "local":
        return quota
    allotted = allotted_total(quota.id, session=session) if quota else 0
    if limit < allotted:
        raise UserError(N_("the limit {limit} is below the {allotted} places already allotted to offices"),
                        field="limit", limit=limit, allotted=allotted)
    old = {"limit": quota.limit, "counting": quota.counting} if quota else {}
    quota = quota or RegionalQuota(year=year, region_kato=territory.kato, kind=kind, limit=limit)
    quota.limit, quota.counting, quota.source, quota.updated_at = limit, counting, source, utcnow()
    session.add(quota)
    session.flush()
    if audit_it:
        audit.record("update" if old else "create", "regional_quota", str(quota.id),
                     audit.diff(old, {"limit": limit, "counting": counting}), session=session)
    record_change(session, "quota_changed", (territory.kato, year))
    record_change(session, "refdata_changed", "quotas")  # the oblast's decision: re-check open cases
    return quota


def find_quota(year: int, region: str, kind: str, *, session: Session) -> RegionalQuota | None:
    return session.exec(select(RegionalQuota).where(
        RegionalQuota.year == year, RegionalQuota.region_kato == region, RegionalQuota.kind == kind)).first()


def get_quota(year: int, region: str, kind: str, *, session: Session) -> RegionalQuota:
    _check_year(year)
    _quota_region(region, kind, session=session)
    quota = find_quota(year, region, kind, session=session)
    if quota is None:
        raise NotFound(N_("no {kind} quota for {kato} in {year}; set it first with 'quota set'"),
                       field="region", kind=kind, kato=region, year=year)
    return quota


def allotted_total(quota_id: int | None, *, session: Session, exclude_office: str | None = None) -> int:
    stmt = select(func.coalesce(func.sum(QuotaAllotment.slots), 0)).where(QuotaAllotment.quota_id == quota_id)
    if exclude_office:
        stmt = stmt.where(QuotaAllotment.office_code != exclude_office)
    return int(session.exec(stmt).one())
