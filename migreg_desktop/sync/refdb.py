"""Reference datasets taken from the oblast's DATABASE, not from the shipped files.

The oblast sets quotas (`quota set`), allots them to districts (`quota allot`) and edits or
imports the settlement list of the year; a reference package must carry what its database holds
now (issue 6 item 6). Three datasets, marked ``"origin": "database"``:

- ``quotas``: every regional quota of every year in the oblast's database;
- ``quota_allotments``: every district allotment, keyed by (year, region, kind, office) because
  integer ids differ between offices;
- ``settlement_list``: the list of each year as the oblast holds it.

Version ``<base>.<package sequence>`` (base: the first two parts of the oblast's version), so a
district shows in `refdata status` which package its quotas and lists came from. A district
replaces its rows of the years in the package, in the import's one transaction; its quota ledger
is untouched and its allotment ids stay (upsert), so its own reservations keep counting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit
from migreg_desktop.changes import record as record_change
from migreg_desktop.models import Office, RefdataVersion, Territory
from migreg_desktop.models.quota import QuotaAllotment, RegionalQuota
from migreg_desktop.models.settlement_list import SettlementListEntry
from migreg_desktop.refdata.settlements import parse_day

ORIGIN = "database"
NAMES = ("quotas", "quota_allotments", "settlement_list")  # apply order: allotments need quotas


def _version(name: str, seq: int, *, session: Session) -> str:
    row = session.get(RefdataVersion, name) or session.get(RefdataVersion, "quotas")
    parts = (row.version if row else "0.0").replace("-", ".").split(".")[:2]
    return ".".join([*parts, str(seq)])


def _head(name: str, seq: int, published: str, *, session: Session) -> dict[str, Any]:
    return {"dataset": name, "version": _version(name, seq, session=session), "published": published,
            "origin": ORIGIN, "sequence": seq}


def build(seq: int, published: str, *, session: Session) -> dict[str, dict[str, Any]]:
    """The three datasets as the oblast's database holds them now."""
    quotas = session.exec(select(RegionalQuota).order_by(col(RegionalQuota.year), col(RegionalQuota.kind),
                                                         col(RegionalQuota.region_kato))).all()
    by_id = {q.id: q for q in quotas}
    years = sorted({q.year for q in quotas})
    q = _head("quotas", seq, published, session=session)
    q["years"] = years
    q["quotas"] = [{"year": r.year, "region": r.region_kato, "kind": r.kind, "limit": r.limit,
                    "counting": r.counting, "source": r.source} for r in quotas]
    a = _head("quota_allotments", seq, published, session=session)
    a["years"] = years
    a["allotments"] = [{"year": by_id[r.quota_id].year, "region": by_id[r.quota_id].region_kato,
                        "kind": by_id[r.quota_id].kind, "office": r.office_code, "slots": r.slots}
                       for r in session.exec(select(QuotaAllotment).order_by(col(QuotaAllotment.id))).all()]
    entries = session.exec(select(SettlementListEntry).order_by(col(SettlementListEntry.year),
                                                                col(SettlementListEntry.kato))).all()
    s = _head("settlement_list", seq, published, session=session)
    s["years"] = sorted({e.year for e in entries})
    s["sample"] = any(e.sample for e in entries)
    s["entries"] = [{"year": e.year, "kato": e.kato, "kind": e.kind, "potential": e.potential,
                     "fixed_on": e.fixed_on.isoformat() if e.fixed_on else None, "source": e.source,
                     "sample": e.sample} for e in entries]
    return {"quotas": q, "quota_allotments": a, "settlement_list": s}


def apply(data: dict[str, Any], *, session: Session) -> int:
    """Replace this office's rows of the package's years with the oblast's (one transaction)."""
    name = data["dataset"]
    years = {int(y) for y in data.get("years") or []}
    count = {"quotas": _quotas, "quota_allotments": _allotments, "settlement_list": _settlements}[name](
        data, years, session=session)
    row = session.get(RefdataVersion, name) or RefdataVersion(dataset=name, version="")
    row.version, row.published = str(data["version"]), data.get("published")
    session.add(row)
    session.flush()
    audit.record("refdata_import", "refdata", name, {"version": [None, row.version], "rows": [None, count]},
                 session=session)
    record_change(session, "refdata_changed", name)
    for year in years:
        record_change(session, "quota_changed", (None, year))
    return count


def _find(year: int, region: str, kind: str, *, session: Session) -> RegionalQuota | None:
    return session.exec(select(RegionalQuota).where(RegionalQuota.year == year, RegionalQuota.region_kato == region,
                                                    RegionalQuota.kind == kind)).first()


def _in_use(allotment_ids: list[int], *, session: Session) -> set[int]:
    """Allotments this office's ledger points at: they are never deleted (Rules: ledger is ours)."""
    if not allotment_ids:
        return set()
    marks = ",".join(str(int(i)) for i in allotment_ids)
    return {int(r[0]) for r in session.connection().execute(
        text(f"SELECT DISTINCT allotment_id FROM quota_ledger WHERE allotment_id IN ({marks})")).all()}


def _quotas(data: dict[str, Any], years: set[int], *, session: Session) -> int:
    keep: set[int] = set()
    for r in data.get("quotas") or []:
        if session.get(Territory, str(r["region"])) is None:
            continue  # a territory this office does not know yet (territories travel first)
        q = _find(int(r["year"]), str(r["region"]), r["kind"], session=session) or RegionalQuota(
            year=int(r["year"]), region_kato=str(r["region"]), kind=r["kind"], limit=0)
        q.limit, q.counting, q.source = int(r["limit"]), r.get("counting", "persons"), r.get("source", "order")
        session.add(q)
        session.flush()
        keep.add(int(q.id))  # type: ignore[arg-type]
    gone = [q for q in session.exec(select(RegionalQuota).where(col(RegionalQuota.year).in_(years))).all()
            if q.id not in keep]
    for q in gone:
        rows = session.exec(select(QuotaAllotment).where(QuotaAllotment.quota_id == q.id)).all()
        if _in_use([r.id for r in rows], session=session):  # type: ignore[misc]
            q.limit = 0  # withdrawn by the oblast, but our reservations still point at it
            session.add(q)
            continue
        for r in rows:
            session.delete(r)
        session.flush()
        session.delete(q)
    session.flush()
    return len(keep)


def _allotments(data: dict[str, Any], years: set[int], *, session: Session) -> int:
    keep: set[int] = set()
    for r in data.get("allotments") or []:
        q = _find(int(r["year"]), str(r["region"]), r["kind"], session=session)
        if q is None or session.get(Office, r["office"]) is None:
            continue
        row = session.exec(select(QuotaAllotment).where(QuotaAllotment.quota_id == q.id,
                                                        QuotaAllotment.office_code == r["office"])).first()
        row = row or QuotaAllotment(quota_id=q.id, office_code=r["office"], slots=0)  # type: ignore[arg-type]
        row.slots = int(r["slots"])
        session.add(row)
        session.flush()
        keep.add(int(row.id))  # type: ignore[arg-type]
    ids = [q.id for q in session.exec(select(RegionalQuota).where(col(RegionalQuota.year).in_(years))).all()]
    old = [r for r in session.exec(select(QuotaAllotment).where(col(QuotaAllotment.quota_id).in_(ids))).all()
           if r.id not in keep]
    used = _in_use([r.id for r in old], session=session)  # type: ignore[misc]
    for r in old:
        if r.id in used:
            r.slots = 0  # withdrawn; the reservations made on it stay in our ledger
            session.add(r)
        else:
            session.delete(r)
    session.flush()
    return len(keep)


def _settlements(data: dict[str, Any], years: set[int], *, session: Session) -> int:
    for year in years:
        session.exec(delete(SettlementListEntry).where(col(SettlementListEntry.year) == year))
    n = 0
    for r in data.get("entries") or []:
        if int(r["year"]) not in years or session.get(Territory, str(r["kato"])) is None:
            continue
        session.add(SettlementListEntry(year=int(r["year"]), kato=str(r["kato"]), kind=r["kind"],
                                        potential=r["potential"], fixed_on=parse_day(r.get("fixed_on")),
                                        source=r.get("source") or "", sample=bool(r.get("sample"))))
        n += 1
    session.flush()
    return n
