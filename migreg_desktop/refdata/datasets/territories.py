"""Loader: territories (KATO) and the offices of the oblast, parents first."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.models import Office, Territory
from migreg_desktop.storage.search import tokens


def load_territories(data: dict[str, Any], session: Session) -> int:
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
