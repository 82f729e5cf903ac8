"""Loader: regional quotas from the Minister's orders (Rules §2.4, §2.6)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session


def load_quotas(data: dict[str, Any], session: Session) -> int:
    from migreg_desktop.refdata.quota_table import set_quota

    rows = data.get("quotas") or []
    for row in rows:
        set_quota(int(row["year"]), str(row["region"]), row["kind"], int(row["limit"]),
                  row.get("counting", "persons"), source="order", session=session, audit_it=False,
                  keep_local=True)
    return len(rows)
