"""UUIDv7 ids (time-ordered, RFC 9562) for records that travel between offices."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Sequence

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A UUIDv7 string; monotonic within one process (12-bit counter in rand_a)."""
    return uuid7_many(1)[0]


def uuid7_many(n: int) -> list[str]:
    """``n`` UUIDv7 strings, as ``n`` calls of ``uuid7`` give them (the bulk eligibility check
    numbers 100,000 decisions at once: one lock and one read of the random source, issue 17 §4).
    The random tail of every id is made at once: its variant bits set by one ``translate`` of each
    id's first byte, all of it turned to hex by one ``hex()``; the loop only puts the parts together."""
    global _last_ms, _counter
    rand = bytearray(os.urandom(8 * n))
    rand[0::8] = rand[0::8].translate(_VARIANT)
    tails = rand.hex()  # 16 hex digits an id
    out: list[str] = []
    head_ms, head = -1, ""
    with _lock:
        for i in range(0, 16 * n, 16):
            ms = time.time_ns() // 1_000_000
            if ms <= _last_ms:
                _counter += 1
                if _counter > 0xFFF:
                    _last_ms += 1
                    _counter = 0
                ms = _last_ms
            else:
                _last_ms = ms
                _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
            if ms != head_ms:
                t = f"{ms:012x}"
                head_ms, head = ms, f"{t[:8]}-{t[8:]}-7"
            out.append(f"{head}{_counter:03x}-{tails[i:i + 4]}-{tails[i + 4:i + 16]}")  # str(uuid.UUID(int=…))
    return out


# RFC 9562's variant: the two top bits of the random tail's first byte are 10
_VARIANT = bytes((b & 0x3F) | 0x80 for b in range(256))


# ---- how an id is stored (issue 17 §1: half the bytes) ---------------------------------------
# A canonical UUID (lowercase 8-4-4-4-12, what ``uuid7`` makes) is stored as its 16 bytes: 17 bytes
# a copy instead of 37, and an id is copied ~38 times per case (ids, keys, their indexes). Any
# other id (a partner's older program may send upper case or no dashes) is stored as it came, as
# text, so no id is ever rewritten; the two forms never compare equal, and each id always takes
# the same form. Python outside storage sees text only; the sync packages carry text.
# Every conversion goes through here: ``to_db``/``from_db`` for values bound and read, the SQL
# functions of ``SQL_FUNCTIONS`` (registered on the program's connections) and ``text_sql`` (plain
# SQL, for triggers that must work from the sqlite3 shell) inside statements.

# Called once per id of every imported or exported record: kept cheap (a compiled pattern, no
# per-character Python loop).
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch


def to_db(value: str | None) -> bytes | str | None:
    """The stored form of an id: 16 bytes for a canonical UUID, else the value itself (a stored
    form given again comes back unchanged)."""
    if value.__class__ is str and _CANONICAL(value):
        return bytes.fromhex(value.replace("-", ""))
    return value


# A run of canonical UUIDs back to back: a whole column of a batch checked in one C call.
_CANONICAL_RUN = re.compile(r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})*").fullmatch
_UUID_LEN = 36


def to_db_all(values: Sequence[str | None]) -> list[bytes | str | None]:
    """``[to_db(v) for v in values]``, for a column of an imported batch (issue 17 §3): when every
    value is a canonical UUID (all of them, in practice) one regular expression over the joined
    text decides it and one ``bytes.fromhex`` converts them; anything else goes value by value."""
    if not values:
        return []
    # Exactly str, each exactly 36 characters (the joined length then cannot hide a short one
    # beside a long one), and the joined text n canonical UUIDs in a row.
    if set(map(type, values)) == {str} and min(map(len, values)) == _UUID_LEN:  # type: ignore[arg-type]
        joined = "".join(values)  # type: ignore[arg-type]
        if len(joined) == _UUID_LEN * len(values) and _CANONICAL_RUN(joined):
            raw = bytes.fromhex(joined.replace("-", ""))
            return [raw[i:i + 16] for i in range(0, len(raw), 16)]
    return [to_db(v) for v in values]


def from_db(value: bytes | str | None) -> str | None:
    """The id as text from its stored form (a text id comes back as it was)."""
    if value.__class__ is bytes:
        h = value.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return value  # type: ignore[return-value]


def text_sql(expr: str) -> str:
    """Plain SQL (no application function): the text id of a stored id ``expr`` (blob → text via
    hex(), a text id unchanged). For the change-log triggers, which run on any connection."""
    h = f"lower(hex({expr}))"
    return (f"(CASE WHEN typeof({expr}) = 'blob' THEN substr({h}, 1, 8) || '-' || substr({h}, 9, 4) || '-' || "
            f"substr({h}, 13, 4) || '-' || substr({h}, 17, 4) || '-' || substr({h}, 21) ELSE {expr} END)")


# Application SQL functions on the program's connections (storage/db, storage/reader):
# ``id_db(text)`` is the stored form of a text id (e.g. a package's id joined against a table),
# ``id_text(stored)`` the text of a stored id (e.g. written into a package line).
SQL_FUNCTIONS = (("id_db", to_db), ("id_text", from_db))


def register_sql(con: object) -> None:
    """Register ``SQL_FUNCTIONS`` on a DB-API sqlite3 connection, and those of the stored form of
    decision results (packed_text.py: also a column's stored form, read and bound the same way)."""
    from migreg_desktop import packed_text  # stdlib only, like this module

    for name, fn in SQL_FUNCTIONS + packed_text.SQL_FUNCTIONS:
        con.create_function(name, 1, fn, deterministic=True)  # type: ignore[attr-defined]
