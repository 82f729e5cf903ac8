"""What a reference package changed, and the history of reference packages imported here.

Issue 15: an imported oblast reference package appears in the Inbox history like a case
package, and the import's result lists what changed, per dataset and year: "settlement list
2027: 12 added, 1 removed; quotas 2026: 3 changed". ``refpack.apply`` takes a ``snapshot`` of the
oblast-owned rows of the package's years before and after it applies them, ``compare`` counts
the difference, and the result is kept with the import's audit entry (``refdata_import`` on
``sync_package refdata#N``), which is the history: no table of its own, and packages imported
before this change are listed too (with their versions).
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from migreg_desktop.i18n import N_, fmt_number, translator
from migreg_desktop.models import AuditEntry
from migreg_desktop.models.quota import QuotaAllotment, RegionalQuota
from migreg_desktop.models.settlement_list import SettlementListEntry

# Dataset names as the clerk reads them (the shipped datasets keep their own titles elsewhere).
TITLES = {"settlement_list": N_("settlement list"), "quotas": N_("quotas"),
          "quota_allotments": N_("quota allotments to offices"), "territories": N_("territories"),
          "designated_regions": N_("designated regions"), "mci": N_("MCI"),
          "support_measures": N_("support measures"), "rule_parameters": N_("rule parameters"),
          "settlement_potential": N_("economic potential of settlements")}
Snapshot = dict[int, dict[tuple[Any, ...], tuple[Any, ...]]]  # year → key → values


def snapshot(name: str, years: set[int], *, session: Session) -> Snapshot | None:
    """The rows of ``years`` of an oblast-owned dataset (refdb.NAMES); None for other datasets."""
    out: Snapshot = {year: {} for year in years}
    if name == "settlement_list":
        for e in session.exec(select(SettlementListEntry).where(SettlementListEntry.year.in_(years))):  # type: ignore[attr-defined]
            out[e.year][(e.kato,)] = (e.kind, e.potential, e.fixed_on, e.source)
    elif name in ("quotas", "quota_allotments"):
        quotas = {q.id: q for q in session.exec(select(RegionalQuota).where(RegionalQuota.year.in_(years)))}  # type: ignore[attr-defined]
        if name == "quotas":
            for q in quotas.values():
                out[q.year][(q.region_kato, q.kind)] = (q.limit, q.counting)
        else:
            for a in session.exec(select(QuotaAllotment).where(QuotaAllotment.quota_id.in_(list(quotas)))):  # type: ignore[attr-defined]
                q = quotas[a.quota_id]
                out[q.year][(q.region_kato, q.kind, a.office_code)] = (a.slots,)
    else:
        return None
    return out


def compare(name: str, old: str | None, new: str, before: Snapshot | None, after: Snapshot | None) -> dict[str, Any]:
    """One dataset's change: versions, and per year how many rows were added, removed, changed."""
    years: dict[str, dict[str, int]] = {}
    if before is not None and after is not None:
        for year in sorted(set(before) | set(after)):
            b, a = before.get(year, {}), after.get(year, {})
            counts = {"added": len(a.keys() - b.keys()), "removed": len(b.keys() - a.keys()),
                      "changed": sum(1 for k in a.keys() & b.keys() if a[k] != b[k])}
            years[str(year)] = counts
    return {"dataset": name, "old": old, "new": new, "years": years}


def text(changes: list[dict[str, Any]], lang: str) -> str:
    """ "settlement list 2027: 12 added, 1 removed; quotas 2026: 1 changed" in ``lang``; the
    datasets and years the package left as they were are not named."""
    said = [t for t in (dataset_text(c, lang) for c in changes) if t]
    return "; ".join(said) or translator(lang).gettext("unchanged")


def title(name: str, lang: str) -> str:
    return translator(lang).gettext(TITLES[name]) if name in TITLES else name


def years_text(change: dict[str, Any], lang: str) -> str:
    """ "2027: 12 added, 1 removed" for the years of an oblast-owned dataset that changed."""
    t = translator(lang)
    parts = []
    for year, counts in (change.get("years") or {}).items():
        said = [_counted(t, key, int(counts[key])) for key in ("added", "removed", "changed") if counts.get(key)]
        if said:
            parts.append(f"{year}: " + ", ".join(said))
    return "; ".join(parts)


def _counted(t: Any, key: str, n: int) -> str:
    if key == "added":
        text = t.ngettext("{n} added", "{n} added", n)
    elif key == "removed":
        text = t.ngettext("{n} removed", "{n} removed", n)
    else:
        text = t.ngettext("{n} changed", "{n} changed", n)
    return text.format(n=fmt_number(n, t.lang))


def dataset_text(change: dict[str, Any], lang: str) -> str:
    """ "settlement list 2027: 12 added, 1 removed", "MCI: version 2027.1", or "" (rows unchanged)."""
    name, years = title(change["dataset"], lang), years_text(change, lang)
    if years:
        return f"{name} {years}"
    if change.get("years"):
        return ""  # the oblast's rows of these years are as they were
    return translator(lang).gettext("{name}: version {version}").format(name=name, version=change.get("new") or "—")


def history(*, session: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Reference packages imported here, newest first, in the shape of ``outbox.inbox`` rows."""
    from migreg_desktop.accounts.office import get_meta

    last_sender = get_meta("sync.refdata_sender", session=session) or ""
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "refdata_import",
                                                    AuditEntry.entity == "sync_package")
                           .order_by(AuditEntry.at.desc()).limit(limit)).all()  # type: ignore[attr-defined]
    rows = []
    for e in entries:
        doc = _changes(e.changes)
        versions = _new(doc.get("versions")) or {}
        changes = _new(doc.get("refdata_changes")) or [{"dataset": k, "old": None, "new": v, "years": {}}
                                                        for k, v in sorted(versions.items())]
        seq = str(e.entity_id or "").rpartition("#")[2]
        rows.append({"sender": _new(doc.get("sender")) or last_sender, "sequence": int(seq) if seq.isdigit() else 0,
                     "kind": "refdata", "imported_at": str(e.at), "imported_by": e.user,
                     "counts": {"datasets": len(versions)}, "conflicts": 0, "acknowledged_in": None,
                     "warnings": [], "versions": versions, "changes": changes})
    return rows


def _changes(raw: str) -> dict[str, Any]:
    try:
        doc = json.loads(raw or "{}")
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _new(pair: Any) -> Any:
    """The "new" side of an audit change [old, new]."""
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else None
