"""Monitoring of migration for the Department (Rules §3): the figures of a year over every case
the oblast holds (its own and the districts' imported ones).

Set-based: each table is one SQL ``GROUP BY`` over ``cases``; Python only folds the grouped rows
(a few hundred at most, never one per case). The quota table reuses ``quotas.show`` for the
ledger sums. ``persons`` = applicants plus family members (``cases.family_size``).

Filters: the quota year (``cases.quota_year``), an optional period on the application date
(``cases.created_at``: the clerk's local calendar days, as the register; the database stores UTC),
an office and a kind. The quota table shows the year's
standing (limit, places reserved, persons included) and ignores the period: the ledger is the
state of the places, not a flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlmodel import Session, col

from migreg_desktop.accounts import permissions
from migreg_desktop.accounts.office import list_offices, role
from migreg_desktop.eligibility import quotas
from migreg_desktop.errors import NotFound, RuleRefused, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Case, Office, Territory
from migreg_desktop.vocabulary import CASE_KINDS as QUOTA_KINDS
from migreg_desktop.vocabulary import STATUSES

KINDS = QUOTA_KINDS  # kandas, resettler, intra_oblast
INCLUDED = ("included", "moved", "closed")  # persons counted as using quota places
ALLOWED_ROLES = ("head", "admin")  # of the oblast office (issue 16 §6)
MIN_YEAR, MAX_YEAR = 2020, 2100


class NotOblast(RuleRefused):
    """A district's database asked for the Department's monitoring. CLI exit 1."""


@dataclass(frozen=True)
class MonitoringFilter:
    year: int
    date_from: date | None = None
    date_to: date | None = None
    office: str | None = None
    kind: str | None = None


def require_oblast(*, session: Session) -> None:
    """Only the oblast office's database monitors the oblast (a district holds its own cases only)."""
    if role(session=session) != "oblast":
        raise NotOblast(N_("Monitoring is the Department's work: only the oblast office ({office}) runs it."),
                        field="office", office="ALM-OBL")


MSG_BAD_START = N_("The start of the period, {value}, is not a date (YYYY-MM-DD).")
MSG_BAD_END = N_("The end of the period, {value}, is not a date (YYYY-MM-DD).")


def _parse_day(value: str | date | None, msgid: str, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(msgid, field=field, value=str(value)) from None


def make_filter(year: Any, date_from: str | date | None = None, date_to: str | date | None = None,
                office: str | None = None, kind: str | None = None, *, session: Session) -> MonitoringFilter:
    """Validate what the clerk asked for (exit 2 on bad input)."""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(N_("{value} is not a year between 2020 and 2100"), field="year", value=str(year))
    start, end = _parse_day(date_from, MSG_BAD_START, "from"), _parse_day(date_to, MSG_BAD_END, "to")
    if start and end and start > end:
        raise UserError(N_("The period starts on {start}, after its end {end}."), field="from",
                        start=start.isoformat(), end=end.isoformat())
    code = office.strip().upper() if office else None
    if code and session.get(Office, code) is None:
        raise NotFound(N_("unknown office code {code}"), field="office", code=office)
    if kind is not None and kind not in KINDS:
        raise UserError(N_("{value} is not one of: {choices}"), field="kind", value=kind, choices=", ".join(KINDS))
    return MonitoringFilter(year, start, end, code, kind)


def _utc_bound(day: date) -> datetime:
    """Local midnight of ``day`` in UTC (the database holds UTC)."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _where(f: MonitoringFilter, *, period: bool = True) -> Any:
    c = Case.__table__.c  # type: ignore[attr-defined]
    conds = [c.quota_year == f.year]
    if period and f.date_from:
        conds.append(c.created_at >= _utc_bound(f.date_from))
    if period and f.date_to:
        conds.append(c.created_at < _utc_bound(f.date_to + timedelta(days=1)))
    if f.office:
        conds.append(c.office_code == f.office)
    if f.kind:
        conds.append(c.kind == f.kind)
    return and_(*conds)


def _rows(session: Session, stmt: Any) -> list[Any]:
    return list(session.connection().execute(stmt).all())


Group = tuple[str, str, str, str | None, int, int]  # office, kind, status, destination, cases, persons


def monitoring(f: MonitoringFilter, *, session: Session) -> dict[str, Any]:
    """The monitoring document: the stable keys of `migreg monitoring --json` (README).

    Two scans of ``cases``: one ``GROUP BY`` office, kind, status and destination feeds the
    totals, the offices, the destinations and the quota's included persons; one groups by month.
    """
    permissions.require("monitoring.read", session)
    groups = _groups(f, session=session)
    totals, by_office = _totals_and_offices(f, groups, session=session)
    # The quota table ignores the period: with one, its included persons need their own scan.
    whole_year = groups if not (f.date_from or f.date_to) else _groups(f, session=session, period=False,
                                                                        statuses=INCLUDED)
    return {"totals": totals, "by_office": by_office, "by_destination": _by_destination(groups, session=session),
            "by_month": _by_month(f, session=session), "quota": _quota(f, whole_year, session=session),
            "adaptation": _adaptation(f, session=session), "indicators": _indicators(f, session=session)}


def _adaptation(f: MonitoringFilter, *, session: Session) -> list[dict[str, Any]]:
    # Rules §9–10: the measures of the year's cases, started in the period
    from migreg_desktop.department.adaptation import counts

    return counts(_where(f, period=False), f.date_from, f.date_to, session=session)


def _indicators(f: MonitoringFilter, *, session: Session) -> list[dict[str, Any]]:
    from migreg_desktop.department.stats import (
        indicators,  # Rules §3, §9: official statistics of the year, when imported
    )

    c = Case.__table__.c  # type: ignore[attr-defined]
    return indicators(f.year, and_(_where(f), c.status.in_(INCLUDED)), session=session)


def _groups(f: MonitoringFilter, *, session: Session, period: bool = True,
            statuses: tuple[str, ...] | None = None) -> list[Group]:
    c = Case.__table__.c  # type: ignore[attr-defined]
    where = _where(f, period=period)
    if statuses:
        where = and_(where, c.status.in_(statuses))
    stmt = (select(c.office_code, c.kind, c.status, c.destination_kato, func.count(),
                   func.coalesce(func.sum(c.family_size), 0))
            .where(where).group_by(c.office_code, c.kind, c.status, c.destination_kato))
    return [(o, k, s, d, int(n), int(p)) for o, k, s, d, n, p in _rows(session, stmt)]


def _empty_breakdown() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    return ({k: {"cases": 0, "persons": 0} for k in KINDS}, {s: {"cases": 0, "persons": 0} for s in STATUSES})


def _add(row: dict[str, Any], kind: str, status: str, cases: int, persons: int) -> None:
    row["cases"] += cases
    row["persons"] += persons
    for part, key in ((row["by_kind"], kind), (row["by_status"], status)):
        cell = part.setdefault(key, {"cases": 0, "persons": 0})  # a code newer than this program
        cell["cases"] += cases
        cell["persons"] += persons


def _totals_and_offices(f: MonitoringFilter, groups: list[Group], *,
                        session: Session) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    kinds, statuses = _empty_breakdown()
    totals: dict[str, Any] = {"cases": 0, "persons": 0, "by_kind": kinds, "by_status": statuses}
    offices: dict[str, dict[str, Any]] = {}
    for o in list_offices(session=session):
        if f.office in (None, o.code):
            kinds, statuses = _empty_breakdown()
            offices[o.code] = {"office": o.code, "cases": 0, "persons": 0, "by_kind": kinds, "by_status": statuses}
    for office, kind, status, _dest, cases, persons in groups:
        _add(totals, kind, status, cases, persons)
        if office not in offices:  # an office missing from the reference list: still counted
            kinds, statuses = _empty_breakdown()
            offices[office] = {"office": office, "cases": 0, "persons": 0, "by_kind": kinds, "by_status": statuses}
        _add(offices[office], kind, status, cases, persons)
    return totals, list(offices.values())


def _by_destination(groups: list[Group], *, session: Session) -> list[dict[str, Any]]:
    sums: dict[str | None, list[int]] = {}
    for _office, _kind, _status, dest, cases, persons in groups:
        cell = sums.setdefault(dest, [0, 0])
        cell[0] += cases
        cell[1] += persons
    names = territory_names([k for k in sums if k], session=session)
    order = sorted(sums.items(), key=lambda item: (-item[1][0], item[0] or ""))
    return [{"kato": kato, "name_kk": names.get(kato or "", {}).get("kk"), "name_ru": names.get(kato or "", {}).get("ru"),
             "cases": cases, "persons": persons} for kato, (cases, persons) in order]


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def _local_month(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # the database holds UTC
    return aware.astimezone().strftime("%Y-%m")


def _by_month(f: MonitoringFilter, *, session: Session) -> list[dict[str, Any]]:
    """Applications per calendar month (the clerk's local months); months without any inside the
    range are listed with 0.

    No per-row date function and no sort: the first and the last application, then one range
    count per month on the index (quota_year, created_at, …) of migration 0510. Grouping on
    ``datetime(created_at, offset)`` took 0.5 s at 100,000 cases; the ranges take a few ms each.
    """
    c = Case.__table__.c  # type: ignore[attr-defined]
    where = _where(f)
    first = session.connection().execute(select(func.min(c.created_at)).where(where)).scalar()
    last = session.connection().execute(select(func.max(c.created_at)).where(where)).scalar()
    if first is None or last is None:
        return []
    stmt = (select(func.count(), func.coalesce(func.sum(c.family_size), 0))
            .where(where, c.created_at >= bindparam("lo"), c.created_at < bindparam("hi")))
    out, current, end = [], _local_month(first), _local_month(last)
    while current <= end:
        following = _next_month(current)
        bounds = {"lo": _utc_bound(date.fromisoformat(f"{current}-01")),
                  "hi": _utc_bound(date.fromisoformat(f"{following}-01"))}
        cases, persons = session.connection().execute(stmt, bounds).one()
        out.append({"month": current, "cases": int(cases), "persons": int(persons)})
        current = following
    return out


def _region_map(*, session: Session) -> dict[str, str]:
    """KATO → the KATO of its region, from the (small) territory reference table."""
    rows = _rows(session, select(col(Territory.kato), col(Territory.parent_kato), col(Territory.level)))
    parent = {k: p for k, p, _level in rows}
    regions = {k for k, _p, level in rows if level == "region"}
    out: dict[str, str] = {}
    for kato in parent:
        seen, node = 0, kato
        while node is not None and node not in regions and seen < 10:
            node, seen = parent.get(node), seen + 1
        if node in regions:
            out[kato] = node
    return out


def _included(groups: list[Group], quota_keys: set[tuple[str, str]], *,
              session: Session) -> dict[tuple[str, str], tuple[int, int]]:
    """(region or destination KATO, kind) → (applicants, persons) of cases included in a quota."""
    region = _region_map(session=session)
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for _office, kind, status, kato, cases, persons in groups:
        if status not in INCLUDED or kato is None:
            continue
        # as quotas.quota_key: an intra-oblast destination with its own quota counts there
        place = kato if kind == "intra_oblast" and (kato, kind) in quota_keys else region.get(kato)
        if place is None:
            continue
        old = out.get((place, kind), (0, 0))
        out[(place, kind)] = (old[0] + cases, old[1] + persons)
    return out


def _quota(f: MonitoringFilter, groups: list[Group], *, session: Session) -> list[dict[str, Any]]:
    doc = quotas.show(f.year, session=session)  # limits and ledger sums, as the quota page shows them
    rows = [q for q in doc["quotas"] if f.kind in (None, q["kind"])]
    included = _included(groups, {(q["region"], q["kind"]) for q in rows}, session=session)
    out = []
    for q in rows:
        limit, reserved = q["limit"], q["reserved"]
        if f.office:  # an office sees its own allotment of the quota
            mine = [o for o in q["offices"] if o["office"] == f.office]
            if not mine:
                continue
            limit, reserved = mine[0]["slots"], mine[0]["reserved"]
        applicants, persons = included.get((q["region"], q["kind"]), (0, 0))
        used = persons if q["counting"] == "family" else applicants
        out.append({"region_kato": q["region"], "kind": q["kind"], "limit": limit, "reserved": reserved,
                    "included": used, "percent": round(100.0 * used / limit, 1) if limit else None})
    return out


def office_names(*, session: Session) -> dict[str, dict[str, str]]:
    """Office code → {"kk", "ru"} names, for the printed tables."""
    return {o.code: {"kk": o.name_kk, "ru": o.name_ru} for o in list_offices(session=session)}


def territory_names(katos: list[str], *, session: Session) -> dict[str, dict[str, str]]:
    """KATO → {"kk", "ru"} names of the given territories (one query)."""
    rows = _rows(session, select(col(Territory.kato), col(Territory.name_kk), col(Territory.name_ru))
                 .where(col(Territory.kato).in_(katos)))
    return {k: {"kk": kk, "ru": ru} for k, kk, ru in rows}


def record_export(f: MonitoringFilter, file_format: str, lang: str, *, session: Session) -> None:
    """A monitoring file left the program: audited like a printed register (no file name)."""
    from migreg_desktop.accounts import audit

    period = f"{f.date_from.isoformat() if f.date_from else ''}/{f.date_to.isoformat() if f.date_to else ''}"
    values = {"form": "monitoring", "format": file_format, "lang": lang, "output": "file", "year": f.year,
              "period": period if period != "/" else None, "office": f.office, "kind": f.kind}
    audit.record("print", "monitoring", str(f.year), {k: [None, v] for k, v in values.items() if v is not None},
                 session=session)
