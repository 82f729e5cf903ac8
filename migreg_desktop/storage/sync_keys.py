"""How the sync bookkeeping tables hold a record's key: ``(kind, key)``.

``sync_change``, ``sync_delivery`` and ``sync_record`` key a record by its type's code
(``RecordType.code``) and ``key``: exactly what the record's table holds in its key column
(0860_sync_blob_keys). For an id column (``models.base.IdKey``) that is ``ids.to_db``'s form —
16 bytes for a canonical UUID, any other id as the text it came as; for a key that is a plain
text column (the ``uid`` of decisions and quota ledger entries) the text itself. So

- a join from the log to a record's row is ``t.{key} = c.key``: no conversion per row (issue 17
  §3: it was an SQL function call into Python per exported record);
- the change-log triggers log ``NEW.{key}`` as it is, in plain SQL (they must work from the
  sqlite3 shell: no application-defined function);
- the text id back is ``ids.from_db`` in Python, ``ids.text_sql`` in SQL, for either form.

This module is the one place that knows that shape; the users (export, import, acks,
conflicts, outbox, triggers) ask it for keys, join conditions and lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from migreg_desktop import ids
from migreg_desktop.storage import records

Key = bytes | str
KEY_COLUMNS = ("kind", "key")
COLUMNS = ", ".join(KEY_COLUMNS)  # in INSERT column lists and ON CONFLICT targets


def _same(record_id: str) -> str:
    return record_id


def keyer(rt: records.RecordType) -> Callable[[str], Key]:
    """The function giving this type's key of a text record id (once per imported record: the
    choice is made once per type, the call is ``ids.to_db`` or nothing)."""
    return ids.to_db if rt.key in rt.id_columns() else _same  # type: ignore[return-value]


def key(rt: records.RecordType, record_id: str) -> Key:
    """The key of a record of type ``rt`` with this text id."""
    return keyer(rt)(record_id)


def text(stored: Key) -> str:
    """The record id (text) back from its key."""
    return ids.from_db(stored)  # type: ignore[return-value]


def text_sql(alias: str) -> str:
    """SQL: the record id (text) of the key of table alias ``alias`` (plain SQL, no function)."""
    return ids.text_sql(f"{alias}.key")


def same_key(a: str, b: str) -> str:
    """SQL join condition: aliases ``a`` and ``b`` (two bookkeeping tables) name the same record."""
    return " AND ".join(f"{a}.{c} = {b}.{c}" for c in KEY_COLUMNS)


def row_sql(rt: records.RecordType, log: str, row: str) -> str:
    """SQL join condition: alias ``row`` of ``rt``'s table is the record of bookkeeping alias ``log``."""
    return f"{row}.{rt.key} = {log}.key"


# SQL condition on a bookkeeping table naming one record: binds ``match(rt, id)``.
MATCH = "kind = ? AND key = ?"


def match(rt: records.RecordType, record_id: str) -> tuple[int, Key]:
    """The values of ``kind`` and ``key`` (``COLUMNS``, ``MATCH``) of one record."""
    return rt.code, key(rt, record_id)


def lookup(con: Any, table: str, what: str, rt: records.RecordType, record_ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """Rows of ``table`` (a bookkeeping table) for these record ids of type ``rt``:
    ``{id: (what…)}``. One primary-key search per id, in one statement per batch."""
    to_key = keyer(rt)
    wanted = {to_key(i): i for i in record_ids}
    if not wanted:
        return {}
    sql = f"SELECT key, {what} FROM {table} WHERE kind = ? AND key IN ({','.join('?' * len(wanted))})"
    return {wanted[row[0]]: tuple(row[1:]) for row in con.execute(sql, [rt.code, *wanted])}
