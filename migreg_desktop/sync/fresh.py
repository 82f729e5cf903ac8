"""A first import's batches made ready to write in the worker process (issue 17 §3).

The import's writer thread bounds a district's first package at the oblast: per record it ran
Python — whose owner, which rows, the values in their stored form — holding the interpreter lock
that the thread reading the package needs too (measured: ~10 s of its 19 s of CPU for 946,165
records, against ~5 s inside SQLite). When a type's table, its sync bookkeeping and the
conflict queue hold nothing yet (``Context.fresh``), ``sync/apply._apply_batch`` decides every
line the same way: nothing held, nothing edited here, nothing queued, so each line is "applied"
unless it names an owner other than the signer or is deleted. That one case is worked out here,
beside the checks, from the checked lines alone; the writer only runs the statements.

What needs the database stays with the writer: a row that names no owner takes that of the case it
hangs on (``Ready.cases``). When one of those cases belongs to another office, the writer takes
the batch the long way after all (``apply._apply_ready``), so the answer is ``_apply_batch``'s in
every case. A batch with a deleted line, or a row naming another owner, is not made ready here.
tests/integration/sync/test_sync_fresh.py holds both ways to the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migreg_desktop import ids
from migreg_desktop.storage import records


@dataclass(frozen=True)
class Fresh:
    """What a worker must know of the import to make a batch ready: plain values (pickled)."""

    sender: str
    sequence: int


@dataclass
class Ready:
    """A checked batch as the writer's statements take it (``apply._apply_ready``)."""

    groups: list[tuple[list[str], list[tuple[Any, ...]]]]  # columns, rows in their stored form
    recs: list[tuple[Any, ...]]  # its sync_record rows
    touched: list[Any]  # stored ids for the search index (cases) or person staging (persons)
    cases: list[Any]  # stored ids of the cases that rows naming no owner hang on
    count: int


def ready(rt: records.RecordType, batch: list[dict[str, Any]], keys: dict[str, Any], claimed: dict[str, str],
          cases: list[Any], stored: tuple[frozenset[str], frozenset[str]], fresh: Fresh) -> Ready | None:
    """``batch`` (checked, with its sync ``keys``, the owners its rows ``claimed`` and the stored ids
    of the ``cases`` the others hang on: batch_checks.prepare) ready to write; None: the long way.
    ``stored``: the type's id columns and packed columns (records.stored_rows)."""
    sender = fresh.sender
    if any(line["deleted"] for line in batch) or not set(claimed.values()) <= {sender}:
        return None
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for line in batch:
        data = line["data"]
        if "owner_office" in data:
            data["owner_office"] = sender  # created here: the signer's (apply._owned)
        groups.setdefault(tuple(data), []).append(data)
    code, sequence = rt.code, fresh.sequence
    recs = [(code, keys[line["id"]], sender, line["version"], sequence, "applied") for line in batch]
    return Ready([records.stored_rows(stored[0], keys_, datas, stored[1]) for keys_, datas in groups.items()],
                 recs, _touched(rt, batch), cases, len(batch))


def _touched(rt: records.RecordType, batch: list[dict[str, Any]]) -> list[Any]:
    """What ``apply._write`` notes for the search index and person staging, in its stored form."""
    if rt.searched and rt.case_column:
        column = rt.case_column
        return ids.to_db_all(list({line["data"][column] for line in batch if line["data"].get(column)}))
    if rt.table == "person":
        return ids.to_db_all([line["id"] for line in batch])
    return []
