"""How the sync bookkeeping tables hold a record's key: ``(kind, hi, lo, odd)``.

Issue 17 §1 (half the bytes): the change log, the deliveries and the received-record table used
to key every row by (record type name, 36-character text UUID) and repeat that key in each
index — 37 % of the file. Now a record type is a small integer (``RecordType.code``) and a
canonical UUID (lowercase, 8-4-4-4-12) is two signed 64-bit integers ``hi``/``lo``: 17 bytes
instead of ~50. An id that is not a canonical UUID (a partner's older program may send upper
case or no dashes) is kept as it came in ``odd`` with ``hi = lo = 0``, so no id is ever
rewritten; for a canonical id ``odd`` is ``''``.

The same conversion exists twice, on purpose: in Python (imports, acks, conflicts) and in plain
SQL built-ins (the change-log triggers must work on any connection, e.g. the sqlite3 shell, so
no application-defined function; SQLite 3.40 has no ``unhex``). Tests check that both agree.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

Key = tuple[int, int, str]
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_HI_DIGITS = (*range(1, 9), *range(10, 14), *range(15, 19))  # 1-based positions in the text
_LO_DIGITS = (*range(20, 24), *range(25, 37))
_MASK = (1 << 64) - 1
KEY_COLUMNS = ("kind", "hi", "lo", "odd")


_SIGN, _WRAP = 1 << 63, 1 << 64
_is_canonical = _CANONICAL.fullmatch


def key(record_id: str) -> Key:
    """``(hi, lo, odd)`` of a record id (called once per imported record: kept cheap)."""
    if _is_canonical(record_id):
        r = record_id
        hi, lo = int(r[:8] + r[9:13] + r[14:18], 16), int(r[19:23] + r[24:], 16)
        return hi - _WRAP if hi >= _SIGN else hi, lo - _WRAP if lo >= _SIGN else lo, ""
    return 0, 0, record_id


def text(hi: int, lo: int, odd: str) -> str:
    """The record id back from its key."""
    if odd:
        return odd
    return str(uuid.UUID(int=((hi & _MASK) << 64) | (lo & _MASK)))


def _digits_sql(expr: str, positions: tuple[int, ...]) -> str:
    last = len(positions) - 1
    return "(" + " | ".join(f"(instr('0123456789abcdef', substr({expr}, {p}, 1)) - 1 << {4 * (last - i)})"
                            for i, p in enumerate(positions)) + ")"


def canonical_sql(expr: str) -> str:
    """SQL: true when ``expr`` is a canonical UUID text."""
    return f"({expr} GLOB '{_GLOB}')"


def hi_sql(expr: str) -> str:
    return f"CASE WHEN {canonical_sql(expr)} THEN {_digits_sql(expr, _HI_DIGITS)} ELSE 0 END"


def lo_sql(expr: str) -> str:
    return f"CASE WHEN {canonical_sql(expr)} THEN {_digits_sql(expr, _LO_DIGITS)} ELSE 0 END"


def odd_sql(expr: str) -> str:
    return f"CASE WHEN {canonical_sql(expr)} THEN '' ELSE {expr} END"


def text_sql(alias: str) -> str:
    """SQL: the record id (text) of the key columns of table alias ``alias``."""
    a = alias
    return (f"CASE WHEN {a}.odd <> '' THEN {a}.odd ELSE printf('%08x-%04x-%04x-%04x-%012x', "
            f"({a}.hi >> 32) & 4294967295, ({a}.hi >> 16) & 65535, {a}.hi & 65535, "
            f"({a}.lo >> 48) & 65535, {a}.lo & 281474976710655) END")


def same_key(a: str, b: str) -> str:
    """SQL join condition: aliases ``a`` and ``b`` name the same record."""
    return " AND ".join(f"{a}.{c} = {b}.{c}" for c in KEY_COLUMNS)


def lookup(con: Any, table: str, what: str, code: int, ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """Rows of ``table`` (keyed by kind, hi, lo, odd) for these record ids: ``{id: (what…)}``.

    One query per batch on ``kind`` and ``hi`` (the primary key's prefix; ``hi`` is nearly
    unique: the UUIDv7's milliseconds and counter), exact match checked here."""
    wanted = {key(i): i for i in ids}
    if not wanted:
        return {}
    his = sorted({k[0] for k in wanted})
    sql = (f"SELECT hi, lo, odd, {what} FROM {table} WHERE kind = ? AND hi IN ({','.join('?' * len(his))})")
    found = {}
    for row in con.execute(sql, [code, *his]):
        rid = wanted.get((row[0], row[1], row[2]))
        if rid is not None:
            found[rid] = tuple(row[3:])
    return found
