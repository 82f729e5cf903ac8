"""UUIDs stored as 16 bytes, not 36 characters (issue 17 §1: half the bytes)

Revision ID: 0840_blob_ids
Revises: 0830_decision_digest

Every id and case/person key of the data tables (and of the tables whose keys point at cases or
persons, and the search index's case id) is copied ~38 times per case: in the row, in its
automatic index, in the keys and their indexes. A canonical UUID (lowercase 8-4-4-4-12) is now
stored as its 16 bytes (17 bytes a copy instead of 37); any other id stays text as it came
(migreg_desktop/ids.py ``to_db``: the same rule). SQLite keeps a BLOB in a column of TEXT
affinity as it is, so the columns are converted in place (no table rebuilt); the sync triggers
of the converted tables give the change log the text id (hex(), plain SQL: they must work from
the sqlite3 shell, and SQLite 3.40 has no ``unhex``). ``quota_ledger``'s guard triggers are
lifted for the conversion and put back as they were.

Runs after the program's backup (storage/db.upgrade). Self-contained: imports nothing from
migreg_desktop (the conversion and the trigger SQL are copied here, as they are at this revision).
"""

import re

from alembic import op

revision = "0840_blob_ids"
down_revision = "0830_decision_digest"
branch_labels = None
depends_on = None

# table -> its id columns (text UUIDs before, stored form after)
COLUMNS = {
    "person": ("id",),
    "cases": ("id", "applicant_id"),
    "family_member": ("id", "case_id", "person_id"),
    "document": ("id", "case_id", "person_id"),
    "status_change": ("id", "case_id"),
    "eligibility_decision": ("case_id",),
    "eligibility_confirmed": ("case_id",),
    "quota_ledger": ("case_id",),
    "adaptation_measure": ("id", "case_id", "person_id"),
    "sync_staging": ("person_id",),
    "sync_duplicate": ("person_id", "other_id"),
}
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
_OPS = (("INSERT", "NEW", 0), ("UPDATE", "NEW", 0), ("DELETE", "OLD", 1))
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch


def to_db(value):  # type: ignore[no-untyped-def]
    """migreg_desktop/ids.to_db, copied: 16 bytes for a canonical UUID, else unchanged."""
    if value.__class__ is str and _CANONICAL(value):
        return bytes.fromhex(value.replace("-", ""))
    return value


def text_sql(expr: str) -> str:
    """migreg_desktop/ids.text_sql, copied: the text id of a stored id, in plain SQL."""
    h = f"lower(hex({expr}))"
    return (f"(CASE WHEN typeof({expr}) = 'blob' THEN substr({h}, 1, 8) || '-' || substr({h}, 9, 4) || '-' || "
            f"substr({h}, 13, 4) || '-' || substr({h}, 17, 4) || '-' || substr({h}, 21) ELSE {expr} END)")


def log_trigger(code: int, table: str, key: str, owner: str, route: str, when: str, row: str, deleted: int,
                *, blob: bool) -> tuple[str, str]:
    """storage/triggers.trigger_sql, copied (``blob``: the id goes to the log as text)."""
    name = f"sync_{table}_{when[:3].lower()}"
    rid = text_sql(f"{row}.{key}") if blob else f"{row}.{key}"
    return name, (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {when} ON {table} "
                  f"WHEN NOT EXISTS (SELECT 1 FROM sync_suppress) AND {row}.{key} IS NOT NULL "
                  f"BEGIN INSERT INTO sync_change_view (kind, record_id, deleted, owner, route) "
                  f"VALUES ({code}, {rid}, {deleted}, {owner.format(row=row)}, {route.format(row=row)}); END")


def _tables() -> set[str]:
    return {r[0] for r in op.get_bind().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(table: str) -> set[str]:
    return {r[1] for r in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")}


def _convert(fn_name: str, fn, *, blob: bool) -> None:  # type: ignore[no-untyped-def]
    con = op.get_bind()
    con.connection.driver_connection.create_function(fn_name, 1, fn, deterministic=True)
    tables = _tables()
    present = {t: cols for t, cols in COLUMNS.items() if t in tables}
    # Every trigger on a converted table is lifted: the log must not see the conversion as edits,
    # and quota_ledger's guards refuse any UPDATE.
    kept = [(n, sql) for n, sql in con.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
        f"({', '.join(repr(t) for t in present)})") if not n.startswith("sync_")]
    logged = [r[0] for r in con.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\' "
        "AND name <> 'sync_change_view_ins'")]
    for name in [n for n, _sql in kept] + logged:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("PRAGMA defer_foreign_keys = ON")  # a key and the id it names change one after the other
    for table, cols in present.items():
        op.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = {fn_name}({c})" for c in cols))
    _rebuild_fts(fn_name)
    for _name, sql in kept:
        op.execute(sql)
    for code, table, key, owner, route in TYPES.values():
        if table in tables and key in _columns(table):
            for when, row, deleted in _OPS:
                op.execute(log_trigger(code, table, key, owner, route, when, row, deleted, blob=blob)[1])


def _rebuild_fts(fn_name: str) -> None:
    """The search index's case id: FTS5 updates a row by deleting and re-inserting it, so the
    table is refilled in one pass, as it is made (0800_lean_bytes)."""
    if "cases_fts" not in _tables():
        return
    con = op.get_bind()
    con.exec_driver_sql(f"CREATE TEMP TABLE fts_copy AS SELECT {fn_name}(case_id) AS case_id, search_text "
                        "FROM cases_fts ORDER BY rowid")
    create = con.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'cases_fts'").scalar()
    con.exec_driver_sql("DROP TABLE cases_fts")
    con.exec_driver_sql(create)
    con.exec_driver_sql("INSERT INTO cases_fts (case_id, search_text) SELECT case_id, search_text FROM temp.fts_copy")
    con.exec_driver_sql("DROP TABLE temp.fts_copy")


def _to_text(value):  # type: ignore[no-untyped-def]
    if isinstance(value, bytes):
        h = value.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return value


def upgrade() -> None:
    _convert("mig_id_db", to_db, blob=True)


def downgrade() -> None:
    _convert("mig_id_text", _to_text, blob=False)
