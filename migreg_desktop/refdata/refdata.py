"""Reference data shipped in ``resources/refdata`` (versioned datasets) and loaded at first start.

Each dataset file carries ``dataset`` and ``version``; a newer version replaces the stored rows
(upsert, so cases keep pointing at their territories). Feature issues add their own datasets
with a loader listed in ``refdata/datasets`` ``LOADERS``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from migreg_desktop.accounts import permissions
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.models import RefdataVersion, Territory
from migreg_desktop.refdata.datasets import LOADERS as LOADERS  # the one list, asked for here too
from migreg_desktop.refdata.shipped import read_dataset as read_dataset
from migreg_desktop.refdata.shipped import shipped_datasets as shipped_datasets
from migreg_desktop.refdata.shipped import version_key
from migreg_desktop.refdata.version_text import joined
from migreg_desktop.refdata.version_text import reference_version_read as reference_version_read
from migreg_desktop.storage.search import tokens


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


def load_shipped(*, session: Session) -> list[str]:
    """Load every shipped dataset newer than the stored one (first start, program update)."""
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
    return joined(versions(session=session).items())


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
        stmt = stmt.where(col(Territory.search_text).contains(w))
    return list(session.exec(stmt.order_by(Territory.kato).limit(limit)).all())
