"""sync bookkeeping keyed by the record's stored id (issue 17 §3: export ≤ 15 s)

Revision ID: 0860_sync_blob_keys
Revises: 0850_contentless_search

Since 0840_blob_ids a case, person … id is stored as its 16 bytes (a canonical UUID) or as the
text it came as (any other id), but ``sync_change``, ``sync_delivery`` and ``sync_record`` kept
the key 0700_lean_sync_log made from the *text* id: ``(kind, hi, lo, odd)``. Every join from the
change log to a data table then converted per row (an SQL function call into Python per record:
~3.5 s of a 100,000-case export), and every change-log trigger built the text id with hex() and
then the two integers from it.

Now the three tables are keyed by ``(kind, key)`` where ``key`` is exactly what the record's table
holds in its key column: 16 bytes for a canonical id of an id column (``ids.to_db``), the text
otherwise (a non-canonical id as it came; the ``uid`` of decisions and quota ledger entries,
which are text columns). So ``t.id = c.key`` joins with no conversion, and a trigger logs
``NEW.id`` as it is: plain SQL the sqlite3 shell can fire too. 17 key bytes as before (1 + 16),
one column fewer in each row's header.

Existing rows are converted in place (the program backs the file up before any upgrade,
storage/db.upgrade): the conversion of hi/lo to 16 bytes is a Python function of this
connection only (SQLite 3.40 has no ``unhex``). Every row is kept; the downgrade gives back the
0700 layout with the triggers 0840 made.

Self-contained: imports nothing from migreg_desktop (the codes, the tracked tables and the
trigger SQL are copied here, as they are at this revision).
"""

import re

from alembic import op

revision = "0860_sync_blob_keys"
down_revision = "0850_contentless_search"
branch_labels = None
depends_on = None

# record type -> (code, table, key column, owner SQL, route SQL), as storage/records.py has them
_ME = "(SELECT value FROM meta WHERE key = 'office_code')"
_CASE_OWNER = "(SELECT COALESCE(owner_office, office_code) FROM cases WHERE id = {row}.case_id)"
_CASE_ROUTE = "(SELECT office_code FROM cases WHERE id = {row}.case_id)"
TYPES = {
    "persons": (1, "person", "id", f"COALESCE({{row}}.owner_office, {_ME})", f"COALESCE({{row}}.owner_office, {_ME})"),
    "cases": (2, "cases", "id", "COALESCE({row}.owner_office, {row}.office_code)", "{row}.office_code"),
    "family_members": (3, "family_member", "id", _CASE_OWNER, _CASE_ROUTE),
    "documents": (4, "document", "id", _CASE_OWNER, _CASE_ROUTE),
    "status_changes": (5, "status_change", "id", _CASE_OWNER, _CASE_ROUTE),
    "decisions": (6, "eligibility_decision", "uid", _CASE_OWNER, _CASE_ROUTE),
    "quota_ledger": (7, "quota_ledger", "uid", _CASE_OWNER, _CASE_ROUTE),
}
# Types whose key column holds the stored form of 0840_blob_ids (the others keep text ids).
BLOB_KINDS = frozenset({1, 2, 3, 4, 5})
TABLES = ("sync_change", "sync_delivery", "sync_record")
_OPS = (("INSERT", "NEW", 0), ("UPDATE", "NEW", 0), ("DELETE", "OLD", 1))
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch
_MASK, _SIGN, _WRAP = (1 << 64) - 1, 1 << 63, 1 << 64


# ---- the key, both ways (Python functions of the migrating connection only) --------------------

def _key(kind, hi, lo, odd):  # type: ignore[no-untyped-def]
    """The stored key of a (kind, hi, lo, odd) row: what the record's table holds."""
    if odd:
        return odd
    value = ((hi & _MASK) << 64) | (lo & _MASK)
    if kind in BLOB_KINDS:
        return value.to_bytes(16, "big")
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _text(key):  # type: ignore[no-untyped-def]
    if isinstance(key, bytes):
        h = key.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return key


def _hilo(key):  # type: ignore[no-untyped-def]
    """0700's (hi, lo, odd) of a stored key (its storage/sync_keys.key, copied)."""
    r = _text(key)
    if not _CANONICAL(r):
        return 0, 0, r
    hi, lo = int(r[:8] + r[9:13] + r[14:18], 16), int(r[19:23] + r[24:], 16)
    return hi - _WRAP if hi >= _SIGN else hi, lo - _WRAP if lo >= _SIGN else lo, ""


# ---- SQL of this revision (storage/triggers.py and storage/sync_keys.py, copied) ---------------

def text_sql(expr: str) -> str:
    """migreg_desktop/ids.text_sql, copied: the text id of a stored id, in plain SQL."""
    h = f"lower(hex({expr}))"
    return (f"(CASE WHEN typeof({expr}) = 'blob' THEN substr({h}, 1, 8) || '-' || substr({h}, 9, 4) || '-' || "
            f"substr({h}, 13, 4) || '-' || substr({h}, 17, 4) || '-' || substr({h}, 21) ELSE {expr} END)")


VIEW = (f"CREATE VIEW sync_change_view AS SELECT k.name AS record_type, {text_sql('c.key')} AS record_id, "
        "c.version AS version, c.deleted AS deleted, COALESCE(c.owner, m.value) AS owner, "
        "COALESCE(c.route, m.value) AS route, c.kind AS kind, c.key AS key FROM sync_change c "
        "LEFT JOIN sync_kind k ON k.code = c.kind LEFT JOIN meta m ON m.key = 'office_code'")
# One place for the upsert: owner and route equal to this office are stored as NULL.
VIEW_TRIGGER = (
    "CREATE TRIGGER sync_change_view_ins INSTEAD OF INSERT ON sync_change_view BEGIN "
    "INSERT INTO sync_change (kind, key, version, deleted, owner, route) "
    f"SELECT NEW.kind, NEW.key, 1, NEW.deleted, NULLIF(NEW.owner, {_ME}), NULLIF(NEW.route, {_ME}) "
    "WHERE true ON CONFLICT (kind, key) DO UPDATE SET version = version + 1, deleted = excluded.deleted, "
    "owner = CASE WHEN excluded.deleted THEN owner ELSE excluded.owner END, "
    "route = CASE WHEN excluded.deleted THEN route ELSE excluded.route END; END")


def log_trigger(code: int, table: str, key: str, owner: str, route: str, when: str, row: str, deleted: int,
                *, stored: bool) -> str:
    """storage/triggers.trigger_sql, copied (``stored``: this revision's, the key as stored;
    else 0840's, the id as text)."""
    name = f"sync_{table}_{when[:3].lower()}"
    column, value = ("key", f"{row}.{key}") if stored else ("record_id", text_sql(f"{row}.{key}"))
    return (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {when} ON {table} "
            f"WHEN NOT EXISTS (SELECT 1 FROM sync_suppress) AND {row}.{key} IS NOT NULL "
            f"BEGIN INSERT INTO sync_change_view (kind, {column}, deleted, owner, route) "
            f"VALUES ({code}, {value}, {deleted}, {owner.format(row=row)}, {route.format(row=row)}); END")


# ---- 0700's layout, for the downgrade (0700_lean_sync_log, copied) ------------------------------
_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_HI = (*range(1, 9), *range(10, 14), *range(15, 19))
_LO = (*range(20, 24), *range(25, 37))


def _digits(expr: str, positions: tuple[int, ...]) -> str:
    last = len(positions) - 1
    return "(" + " | ".join(f"(instr('0123456789abcdef', substr({expr}, {p}, 1)) - 1 << {4 * (last - i)})"
                            for i, p in enumerate(positions)) + ")"


def _key_sql(expr: str) -> str:
    ok = f"({expr} GLOB '{_GLOB}')"
    return (f"CASE WHEN {ok} THEN {_digits(expr, _HI)} ELSE 0 END, CASE WHEN {ok} THEN {_digits(expr, _LO)} "
            f"ELSE 0 END, CASE WHEN {ok} THEN '' ELSE {expr} END")


def _text_sql(a: str) -> str:
    return (f"CASE WHEN {a}.odd <> '' THEN {a}.odd ELSE printf('%08x-%04x-%04x-%04x-%012x', "
            f"({a}.hi >> 32) & 4294967295, ({a}.hi >> 16) & 65535, {a}.hi & 65535, "
            f"({a}.lo >> 48) & 65535, {a}.lo & 281474976710655) END")


OLD_VIEW = (f"CREATE VIEW sync_change_view AS SELECT k.name AS record_type, {_text_sql('c')} AS record_id, "
            "c.version AS version, c.deleted AS deleted, COALESCE(c.owner, m.value) AS owner, "
            "COALESCE(c.route, m.value) AS route, c.kind AS kind FROM sync_change c "
            "LEFT JOIN sync_kind k ON k.code = c.kind LEFT JOIN meta m ON m.key = 'office_code'")
OLD_VIEW_TRIGGER = (
    "CREATE TRIGGER sync_change_view_ins INSTEAD OF INSERT ON sync_change_view BEGIN "
    "INSERT INTO sync_change (kind, hi, lo, odd, version, deleted, owner, route) "
    f"SELECT NEW.kind, {_key_sql('NEW.record_id')}, 1, NEW.deleted, NULLIF(NEW.owner, {_ME}), NULLIF(NEW.route, {_ME}) "
    "WHERE true ON CONFLICT (kind, hi, lo, odd) DO UPDATE SET version = version + 1, deleted = excluded.deleted, "
    "owner = CASE WHEN excluded.deleted THEN owner ELSE excluded.owner END, "
    "route = CASE WHEN excluded.deleted THEN route ELSE excluded.route END; END")


def _layout(key: str, pk: str) -> dict[str, str]:
    """The three tables' CREATE statements with the key columns ``key`` (primary key ``pk``)."""
    return {
        "sync_change": (f"CREATE TABLE sync_change ({key}, version INTEGER NOT NULL, deleted BOOLEAN NOT NULL, "
                        f"owner VARCHAR, route VARCHAR, PRIMARY KEY ({pk})) WITHOUT ROWID"),
        "sync_delivery": (f"CREATE TABLE sync_delivery (receiver VARCHAR NOT NULL, {key}, sent_version INTEGER NOT NULL, "
                          "sent_sequence INTEGER NOT NULL, acked_version INTEGER NOT NULL, outcome VARCHAR, "
                          f"reason VARCHAR, PRIMARY KEY (receiver, {pk})) WITHOUT ROWID"),
        "sync_record": (f"CREATE TABLE sync_record ({key}, origin VARCHAR NOT NULL, version INTEGER NOT NULL, "
                        f"sequence INTEGER NOT NULL, outcome VARCHAR NOT NULL, PRIMARY KEY ({pk})) WITHOUT ROWID"),
    }


NEW_TABLES = _layout("kind INTEGER NOT NULL, key BLOB NOT NULL", "kind, key")
OLD_TABLES = _layout("kind INTEGER NOT NULL, hi INTEGER NOT NULL, lo INTEGER NOT NULL, odd VARCHAR NOT NULL",
                     "kind, hi, lo, odd")
# The other columns of each table, in their order (the same on both sides).
REST = {
    "sync_change": "version, deleted, owner, route",
    "sync_delivery": "sent_version, sent_sequence, acked_version, outcome, reason",
    "sync_record": "origin, version, sequence, outcome",
}


def _tables() -> set[str]:
    return {r[0] for r in op.get_bind().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(table: str) -> set[str]:
    return {r[1] for r in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")}


def _drop_log() -> None:
    """The change-log triggers of the tracked tables, the view and its trigger."""
    bind = op.get_bind()
    tables = {t[1] for t in TYPES.values()}
    for name, table in bind.exec_driver_sql(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'").fetchall():
        if table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TRIGGER IF EXISTS sync_change_view_ins")
    op.execute("DROP VIEW IF EXISTS sync_change_view")


def _make_log(view: str, view_trigger: str, *, stored: bool) -> None:
    op.execute(view)
    op.execute(view_trigger)
    tables = _tables()
    for code, table, key, owner, route in TYPES.values():
        if table in tables and key in _columns(table):
            for when, row, deleted in _OPS:
                op.execute(log_trigger(code, table, key, owner, route, when, row, deleted, stored=stored))


def _rebuild(creates: dict[str, str], key_out: str, key_in: str) -> None:
    """Each table made again by ``creates``, its rows copied with the key columns ``key_out``
    (SQL over the old row ``o``) in place of ``key_in``."""
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RENAME TO {table}_was")
        op.execute(creates[table])
        lead = "o.receiver, " if table == "sync_delivery" else ""
        rest = ", ".join(f"o.{c.strip()}" for c in REST[table].split(","))
        keys = "receiver, kind, " if table == "sync_delivery" else "kind, "
        op.execute(f"INSERT INTO {table} ({keys}{key_in}, {REST[table]}) "
                   f"SELECT {lead}o.kind, {key_out}, {rest} FROM {table}_was o")  # in the old key's order: nearly sorted
        op.execute(f"DROP TABLE {table}_was")  # its index goes with it
    op.execute("CREATE INDEX ix_sync_record_origin_seq ON sync_record (origin, sequence)")


def upgrade() -> None:
    if "key" in _columns("sync_change"):
        return  # already keyed by the stored id (an upgrade re-run over an existing schema)
    raw = op.get_bind().connection.driver_connection
    raw.create_function("mig_sync_key", 4, _key, deterministic=True)
    _drop_log()
    _rebuild(NEW_TABLES, "mig_sync_key(o.kind, o.hi, o.lo, o.odd)", "key")
    _make_log(VIEW, VIEW_TRIGGER, stored=True)


def downgrade() -> None:
    raw = op.get_bind().connection.driver_connection
    for i, name in enumerate(("hi", "lo", "odd")):
        raw.create_function(f"mig_sync_{name}", 1, lambda key, i=i: _hilo(key)[i], deterministic=True)
    _drop_log()
    _rebuild(OLD_TABLES, "mig_sync_hi(o.key), mig_sync_lo(o.key), mig_sync_odd(o.key)", "hi, lo, odd")
    _make_log(OLD_VIEW, OLD_VIEW_TRIGGER, stored=False)
