"""A selection of the case list (issue 15: batch print, batch status): the list holds rowids in
order (cases/case_list.py); the batches need case ids and kinds. Read in chunks, so a selection of
100,000 rows stays within SQLite's variable limit and never builds one huge statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from migreg_desktop.storage.reader import Rows, rows

if TYPE_CHECKING:  # reads only: also on the first screen's read-only connection
    from sqlalchemy.orm import Session

CHUNK = 900  # below SQLite's default limit of 999 bound variables


def ids_of_rowids(rowids: Sequence[int], *, db: Rows | Session) -> list[str]:
    """Case ids in the order of ``rowids`` (rows removed meanwhile are left out)."""
    found: dict[int, str] = {}
    for start in range(0, len(rowids), CHUNK):
        chunk = [int(r) for r in rowids[start:start + CHUNK]]
        marks = ",".join(f":r{i}" for i in range(len(chunk)))
        cur = rows(db).execute(f"SELECT rowid, id_text(id) FROM cases WHERE rowid IN ({marks})",
                          {f"r{i}": r for i, r in enumerate(chunk)})
        found.update({int(rowid): str(case_id) for rowid, case_id in cur})
    return [found[r] for r in rowids if r in found]


def kinds_of(case_ids: Sequence[str], *, db: Rows | Session) -> set[str]:
    """The case kinds among ``case_ids`` (which forms fit them all)."""
    kinds: set[str] = set()
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start:start + CHUNK])
        marks = ",".join(f"id_db(:c{i})" for i in range(len(chunk)))
        cur = rows(db).execute(f"SELECT DISTINCT kind FROM cases WHERE id IN ({marks})",
                          {f"c{i}": c for i, c in enumerate(chunk)})
        kinds.update(str(k) for (k,) in cur)
    return kinds


def status_counts(case_ids: Sequence[str], *, db: Rows | Session) -> dict[str, int]:
    """How many of ``case_ids`` are in each status (the batch dialog says what it is about to change)."""
    counts: dict[str, int] = {}
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start:start + CHUNK])
        marks = ",".join(f"id_db(:c{i})" for i in range(len(chunk)))
        cur = rows(db).execute(f"SELECT status, count(*) FROM cases WHERE id IN ({marks}) GROUP BY status",
                          {f"c{i}": c for i, c in enumerate(chunk)})
        for status, n in cur:
            counts[str(status)] = counts.get(str(status), 0) + int(n)
    return counts
