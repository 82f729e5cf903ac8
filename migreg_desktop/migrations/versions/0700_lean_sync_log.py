"""lean sync bookkeeping: integer record-type codes and UUIDs as two 64-bit integers (issue 17 §1)

Revision ID: 0700_lean_sync_log
Revises: 0600_account_position

``sync_change``, ``sync_delivery`` and ``sync_record`` were keyed by (record type name, 36-char
text UUID), and ``sync_change`` repeated that key in two indexes no query needed (37 % of the
file at 100,000 cases). Now every one of them is keyed by ``(kind, hi, lo, odd)``: the type's
code, the canonical UUID as two signed 64-bit integers, and ``odd`` holding an id that is not a
canonical UUID as it came (then hi = lo = 0; '' otherwise). ``sync_change`` drops its ``seq``
column and both indexes: nothing read them but the trigger's own MAX(seq).

Existing rows are converted in place (the program backs the file up before any upgrade,
storage/db.upgrade). The change-log triggers of the tracked tables are re-created to log through
the view ``sync_change_view`` whose INSTEAD OF trigger does the conversion once.

Self-contained: imports nothing from migreg_desktop (the codes, the tracked tables and the
conversion SQL are copied here, as they were at this revision).
"""

from alembic import op

revision = "0700_lean_sync_log"
down_revision = "0600_account_position"
branch_labels = None
depends_on = None

# record type name -> (code, table, key column, owner SQL, route SQL); "{row}" is NEW or OLD.
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
_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_HI = (*range(1, 9), *range(10, 14), *range(15, 19))
_LO = (*range(20, 24), *range(25, 37))
KEY = "kind INTEGER NOT NULL, hi INTEGER NOT NULL, lo INTEGER NOT NULL, odd VARCHAR NOT NULL"


def _digits(expr: str, positions: tuple[int, ...]) -> str:
    last = len(positions) - 1
    return "(" + " | ".join(f"(instr('0123456789abcdef', substr({expr}, {p}, 1)) - 1 << {4 * (last - i)})"
                            for i, p in enumerate(positions)) + ")"


def _key(expr: str) -> str:
    """SQL: hi, lo, odd of a text id (storage/sync_keys.py, copied)."""
    ok = f"({expr} GLOB '{_GLOB}')"
    return (f"CASE WHEN {ok} THEN {_digits(expr, _HI)} ELSE 0 END, CASE WHEN {ok} THEN {_digits(expr, _LO)} "
            f"ELSE 0 END, CASE WHEN {ok} THEN '' ELSE {expr} END")


def _text(a: str) -> str:
    return (f"CASE WHEN {a}.odd <> '' THEN {a}.odd ELSE printf('%08x-%04x-%04x-%04x-%012x', "
            f"({a}.hi >> 32) & 4294967295, ({a}.hi >> 16) & 65535, {a}.hi & 65535, "
            f"({a}.lo >> 48) & 65535, {a}.lo & 281474976710655) END")


def _tables() -> set[str]:
    return {r[0] for r in op.get_bind().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(table: str) -> set[str]:
    return {r[1] for r in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")}


def _drop_log_triggers() -> None:
    bind = op.get_bind()
    tables = {t[1] for t in TYPES.values()}
    for name, table in bind.exec_driver_sql(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'").fetchall():
        if table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


VIEW = (f"CREATE VIEW sync_change_view AS SELECT k.name AS record_type, {_text('c')} AS record_id, "
        "c.version AS version, c.deleted AS deleted, COALESCE(c.owner, m.value) AS owner, "
        "COALESCE(c.route, m.value) AS route, c.kind AS kind FROM sync_change c "
        "LEFT JOIN sync_kind k ON k.code = c.kind LEFT JOIN meta m ON m.key = 'office_code'")
# One place for the conversion: owner and route equal to this office are stored as NULL.
VIEW_TRIGGER = (
    "CREATE TRIGGER sync_change_view_ins INSTEAD OF INSERT ON sync_change_view BEGIN "
    "INSERT INTO sync_change (kind, hi, lo, odd, version, deleted, owner, route) "
    f"SELECT NEW.kind, {_key('NEW.record_id')}, 1, NEW.deleted, NULLIF(NEW.owner, {_ME}), NULLIF(NEW.route, {_ME}) "
    "WHERE true ON CONFLICT (kind, hi, lo, odd) DO UPDATE SET version = version + 1, deleted = excluded.deleted, "
    "owner = CASE WHEN excluded.deleted THEN owner ELSE excluded.owner END, "
    "route = CASE WHEN excluded.deleted THEN route ELSE excluded.route END; END")


def _log_triggers() -> None:
    tables = _tables()
    for code, table, key, owner, route in TYPES.values():
        if table not in tables or key not in _columns(table):
            continue
        for when, row, deleted in (("INSERT", "NEW", 0), ("UPDATE", "NEW", 0), ("DELETE", "OLD", 1)):
            name = f"sync_{table}_{when[:3].lower()}"
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {when} ON {table} "
                       f"WHEN NOT EXISTS (SELECT 1 FROM sync_suppress) AND {row}.{key} IS NOT NULL "
                       f"BEGIN INSERT INTO sync_change_view (kind, record_id, deleted, owner, route) "
                       f"VALUES ({code}, {row}.{key}, {deleted}, {owner.format(row=row)}, "
                       f"{route.format(row=row)}); END")


def upgrade() -> None:
    if "hi" in _columns("sync_change"):
        return  # already lean (an upgrade re-run over an existing schema)
    _drop_log_triggers()
    op.execute("CREATE TABLE sync_kind (code INTEGER NOT NULL, name VARCHAR NOT NULL, PRIMARY KEY (code), "
               "UNIQUE (name))")
    op.get_bind().exec_driver_sql("INSERT INTO sync_kind (code, name) VALUES " + ", ".join(
        f"({code}, '{name}')" for name, (code, *_rest) in TYPES.items()))
    # A type this revision does not know (none at 0500): a code from 1000 on, never a registry's.
    unknown = sorted({r[0] for table in ("sync_change", "sync_delivery", "sync_record")
                      for r in op.get_bind().exec_driver_sql(f"SELECT DISTINCT record_type FROM {table}")} - set(TYPES))
    for i, name in enumerate(unknown):
        op.get_bind().exec_driver_sql("INSERT INTO sync_kind (code, name) VALUES (?, ?)", (1000 + i, name))
    for table in ("sync_change", "sync_delivery", "sync_record"):
        op.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    op.execute(f"CREATE TABLE sync_change ({KEY}, version INTEGER NOT NULL, deleted BOOLEAN NOT NULL, "
               "owner VARCHAR, route VARCHAR, PRIMARY KEY (kind, hi, lo, odd)) WITHOUT ROWID")
    op.execute(f"CREATE TABLE sync_delivery (receiver VARCHAR NOT NULL, {KEY}, sent_version INTEGER NOT NULL, "
               "sent_sequence INTEGER NOT NULL, acked_version INTEGER NOT NULL, outcome VARCHAR, reason VARCHAR, "
               "PRIMARY KEY (receiver, kind, hi, lo, odd)) WITHOUT ROWID")
    op.execute(f"CREATE TABLE sync_record ({KEY}, origin VARCHAR NOT NULL, version INTEGER NOT NULL, "
               "sequence INTEGER NOT NULL, outcome VARCHAR NOT NULL, PRIMARY KEY (kind, hi, lo, odd)) WITHOUT ROWID")
    kind = "(SELECT code FROM sync_kind WHERE name = o.record_type)"
    op.execute(f"INSERT INTO sync_change SELECT {kind}, {_key('o.record_id')}, o.version, o.deleted, "
               f"NULLIF(o.owner, {_ME}), NULLIF(o.route, {_ME}) FROM sync_change_old o ORDER BY o.seq")
    op.execute(f"INSERT INTO sync_delivery SELECT o.receiver, {kind}, {_key('o.record_id')}, o.sent_version, "
               "o.sent_sequence, o.acked_version, o.outcome, o.reason FROM sync_delivery_old o")
    op.execute(f"INSERT INTO sync_record SELECT {kind}, {_key('o.record_id')}, o.origin, o.version, o.sequence, "
               "o.outcome FROM sync_record_old o")
    for table in ("sync_change", "sync_delivery", "sync_record"):
        op.execute(f"DROP TABLE {table}_old")  # its indexes go with it
    op.execute("CREATE INDEX ix_sync_record_origin_seq ON sync_record (origin, sequence)")
    op.execute(VIEW)
    op.execute(VIEW_TRIGGER)
    _log_triggers()


def downgrade() -> None:
    _drop_log_triggers()  # the program's older version re-creates its own on the next open
    op.execute("DROP TRIGGER IF EXISTS sync_change_view_ins")
    op.execute("DROP VIEW IF EXISTS sync_change_view")
    for table in ("sync_change", "sync_delivery", "sync_record"):
        op.execute(f"ALTER TABLE {table} RENAME TO {table}_lean")
    op.execute("DROP INDEX IF EXISTS ix_sync_record_origin_seq")
    op.execute("CREATE TABLE sync_change (record_type VARCHAR NOT NULL, record_id VARCHAR NOT NULL, "
               "version INTEGER NOT NULL, seq INTEGER NOT NULL, deleted BOOLEAN NOT NULL, owner VARCHAR, "
               "route VARCHAR, PRIMARY KEY (record_type, record_id)) WITHOUT ROWID")
    op.execute("CREATE INDEX ix_sync_change_seq ON sync_change (seq)")
    op.execute("CREATE INDEX ix_sync_change_route ON sync_change (route)")
    op.execute("CREATE TABLE sync_delivery (receiver VARCHAR NOT NULL, record_type VARCHAR NOT NULL, "
               "record_id VARCHAR NOT NULL, sent_version INTEGER NOT NULL, sent_sequence INTEGER NOT NULL, "
               "acked_version INTEGER NOT NULL, outcome VARCHAR, reason VARCHAR, "
               "PRIMARY KEY (receiver, record_type, record_id)) WITHOUT ROWID")
    op.execute("CREATE TABLE sync_record (record_type VARCHAR NOT NULL, record_id VARCHAR NOT NULL, "
               "origin VARCHAR NOT NULL, version INTEGER NOT NULL, sequence INTEGER NOT NULL, "
               "outcome VARCHAR NOT NULL, PRIMARY KEY (record_type, record_id)) WITHOUT ROWID")
    op.execute("CREATE INDEX ix_sync_record_origin_seq ON sync_record (origin, sequence)")
    name = "(SELECT name FROM sync_kind WHERE code = c.kind)"
    op.execute(f"INSERT INTO sync_change SELECT {name}, {_text('c')}, c.version, row_number() OVER (), c.deleted, "
               f"COALESCE(c.owner, {_ME}), COALESCE(c.route, {_ME}) FROM sync_change_lean c")
    op.execute(f"INSERT INTO sync_delivery SELECT c.receiver, {name}, {_text('c')}, c.sent_version, "
               "c.sent_sequence, c.acked_version, c.outcome, c.reason FROM sync_delivery_lean c")
    op.execute(f"INSERT INTO sync_record SELECT {name}, {_text('c')}, c.origin, c.version, c.sequence, c.outcome "
               "FROM sync_record_lean c")
    for table in ("sync_change", "sync_delivery", "sync_record"):
        op.execute(f"DROP TABLE {table}_lean")
    op.execute("DROP TABLE sync_kind")
