"""The demo's quota places (issue 15): a demo case that reached "included" holds its place.

Rules §2.6: a case included in a regional quota takes its place in its office's allotment, and a
moved (or closed) case keeps it. The bulk demo writes no case through ``quotas.reserve``, so it
writes the ledger itself, with the same arithmetic: the place counts the applicant or the whole
family (the quota's ``counting``), never beyond the allotment. A case whose quota does not exist
(a year or kind with no quota) or whose allotment is full is stopped before "included" (it stays
"forwarded"), so every included, moved or closed demo case holds a place and no allotment is
over-reserved (``quotas.ledger_problems`` stays empty).

An office with no allotment of a quota it needs gets a demo one: a fair share of the limit
(limit ÷ the oblast's district and city offices), within what is not allotted yet. Synthetic,
like the cases; the rows share the demo's one transaction (a cancel leaves nothing).
"""

from __future__ import annotations

from typing import Any

from migreg_desktop.ids import uuid7
from migreg_desktop.rules.quota import counted_persons


def region_of(kato: str) -> str:
    """KATO: the first two digits are the region (oblast or city of republican significance)."""
    return kato[:2] + "0000000"


class DemoLedger:
    def __init__(self, con: Any) -> None:
        self.con = con
        self.quotas = {(y, r, k): (qid, counting, limit) for qid, y, r, k, counting, limit in con.execute(
            'SELECT id, year, region_kato, kind, counting, "limit" FROM regional_quota')}
        self.allotments: dict[tuple[int, str], list[int]] = {}  # (quota, office) → [id, slots, reserved]
        for aid, qid, office, slots, reserved in con.execute(
                "SELECT a.id, a.quota_id, a.office_code, a.slots, coalesce(sum(CASE l.entry WHEN 'reserve' "
                "THEN l.persons ELSE -l.persons END), 0) FROM quota_allotment a "
                "LEFT JOIN quota_ledger l ON l.allotment_id = a.id GROUP BY a.id"):
            self.allotments[(qid, office)] = [aid, slots, reserved]
        self.offices = max(1, con.execute("SELECT count(*) FROM office WHERE kind != 'oblast'").fetchone()[0])
        self.rows: list[tuple[Any, ...]] = []

    def _quota(self, kind: str, year: int, destination: str) -> tuple[int, str, int] | None:
        # The quota the case counts against (eligibility/quotas.quota_key): an intra-oblast move
        # per destination first, else the destination's region.
        return self.quotas.get((year, destination, kind)) or self.quotas.get((year, region_of(destination), kind))

    def _allotment(self, quota_id: int, limit: int, office: str) -> list[int] | None:
        row = self.allotments.get((quota_id, office))
        if row is None:
            allotted = sum(a[1] for (q, _o), a in self.allotments.items() if q == quota_id)
            slots = min(limit // self.offices, limit - allotted)
            if slots <= 0:
                return None
            cur = self.con.execute("INSERT INTO quota_allotment(quota_id, office_code, slots, updated_at) "
                                   "VALUES (?,?,?,datetime('now'))", (quota_id, office, slots))
            row = self.allotments[(quota_id, office)] = [cur.lastrowid, slots, 0]
        return row

    def place(self, case_id: str, office: str, kind: str, year: int, destination: str, family_size: int,
              at: str) -> bool:
        """Reserve the case's place (written with the next batch); False: no quota or no room."""
        quota = self._quota(kind, year, destination)
        if quota is None:
            return False
        quota_id, counting, limit = quota
        row = self._allotment(quota_id, limit, office)
        counted = counted_persons(counting, family_size)
        if row is None or row[2] + counted > row[1]:
            return False
        row[2] += counted
        self.rows.append((uuid7(), row[0], case_id, counted, at))
        return True

    def write(self) -> None:
        """After the batch's cases (the ledger refers to them)."""
        self.con.executemany("INSERT INTO quota_ledger(uid, allotment_id, case_id, entry, persons, at, by_user)"
                             " VALUES (?,?,id_db(?),'reserve',?,?,'demo')", self.rows)
        self.rows = []
