"""Reference data shipped in ``resources/refdata`` (versioned datasets) and loaded at first start.

Each dataset file carries ``dataset`` and ``version``; a newer version replaces the stored rows
(upsert, so cases keep pointing at their territories). Feature issues add their own datasets
with a loader registered in ``LOADERS``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from migreg_desktop.accounts import permissions
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.models import Office, RefdataVersion, Territory
from migreg_desktop.refdata.shipped import read_dataset, shipped_datasets, version_key
from migreg_desktop.storage.search import tokens

_version_key = version_key  # (sync/refpack)

Loader = Callable[[dict[str, Any], Session], int]
LOADERS: dict[str, Loader] = {}


def loader(name: str) -> Callable[[Loader], Loader]:
    def register(fn: Loader) -> Loader:
        LOADERS[name] = fn
        return fn
    return register


def stored_version(name: str, *, session: Session) -> str | None:
    row = session.get(RefdataVersion, name)
    return row.version if row else None


def apply_dataset(data: dict[str, Any], *, session: Session, force: bool = False) -> bool:
    """Load one dataset if it is newer than what the database holds. True if loaded."""
    name, version = data["dataset"], str(data["version"])
    fn = LOADERS.get(name)
    if fn is None:
        raise UserError("unknown reference dataset {name}", name=name)
    current = stored_version(name, session=session)
    if current and not force and version_key(version) <= version_key(current):
        return False
    with permissions.as_system(session):  # reference data: the program's work, whoever imports it
        fn(data, session)
    row = session.get(RefdataVersion, name) or RefdataVersion(dataset=name, version=version)
    row.version, row.published = version, data.get("published")
    session.add(row)
    record_change(session, "refdata_changed", name)
    return True


def discover_loaders() -> None:
    import importlib
    import pkgutil

    from migreg_desktop.refdata import datasets

    for mod in pkgutil.iter_modules(datasets.__path__):
        importlib.import_module(f"{datasets.__name__}.{mod.name}")


def load_shipped(*, session: Session) -> list[str]:
    """Load every shipped dataset newer than the stored one (first start, program update)."""
    discover_loaders()
    loaded = []
    datasets = [read_dataset(p) for p in shipped_datasets()]
    # Territories first: other datasets point at KATO codes.
    datasets.sort(key=lambda d: (d["dataset"] != "territories", d["dataset"]))
    for data in datasets:
        if data["dataset"] in LOADERS and apply_dataset(data, session=session):
            loaded.append(data["dataset"])
    return loaded


def versions(*, session: Session) -> dict[str, str]:
    return {r.dataset: r.version for r in session.exec(select(RefdataVersion)).all()}


def reference_version(*, session: Session) -> str:
    """One string naming every dataset version in use (stored with decisions and packages)."""
    return ";".join(f"{k}={v}" for k, v in sorted(versions(session=session).items()))


@loader("territories")
def _load_territories(data: dict[str, Any], session: Session) -> int:
    rows = data.get("territories", [])
    known = {r["kato"] for r in rows}
    # Parents first so the self-referencing foreign key is satisfied in any input order.
    depth = {r["kato"]: 0 for r in rows}
    parents = {r["kato"]: r.get("parent") for r in rows}
    for kato in depth:
        p, d = parents[kato], 0
        while p and p in parents and d < 10:
            p, d = parents[p], d + 1
        depth[kato] = d
    for r in sorted(rows, key=lambda r: depth[r["kato"]]):
        if r.get("parent") and r["parent"] not in known and session.get(Territory, r["parent"]) is None:
            raise UserError("territory {kato}: unknown parent {parent}", kato=r["kato"], parent=r["parent"])
        t = session.get(Territory, r["kato"]) or Territory(kato=r["kato"], name_kk="", name_ru="", level="")
        t.name_kk, t.name_ru, t.level = r["name_kk"], r["name_ru"], r["level"]
        t.parent_kato = r.get("parent")
        t.significance, t.settlement_type = r.get("significance"), r.get("settlement_type")
        old = r.get("old_names", [])
        t.old_names = json.dumps(old, ensure_ascii=False)
        t.search_text = " ".join(tokens(r["name_kk"], r["name_ru"], *old, r["kato"]))
        t.confirmed = bool(r.get("confirmed", True))
        session.add(t)
        session.flush()
    for o in data.get("offices", []):
        office = session.get(Office, o["code"]) or Office(code=o["code"], kind="", name_kk="", name_ru="", kato="")
        office.kind, office.name_kk, office.name_ru, office.kato = o["kind"], o["name_kk"], o["name_ru"], o["kato"]
        session.add(office)
    return len(rows)


def territory(kato: str, *, session: Session, field: str = "KATO") -> Territory:
    t = session.get(Territory, kato)
    if t is None:
        raise NotFound("unknown KATO code {kato}", field=field, kato=kato)
    return t


def region_of(kato: str, *, session: Session) -> Territory | None:
    """The region (oblast or city of republican significance) a territory belongs to."""
    t = session.get(Territory, kato)
    while t is not None and t.level != "region":
        t = session.get(Territory, t.parent_kato) if t.parent_kato else None
    return t


def search_territories(query: str, *, session: Session, limit: int = 50) -> list[Territory]:
    words = tokens(query)
    stmt = select(Territory)
    for w in words:
        stmt = stmt.where(Territory.search_text.contains(w))  # type: ignore[attr-defined]
    return list(session.exec(stmt.order_by(Territory.kato).limit(limit)).all())
