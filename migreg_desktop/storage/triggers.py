"""SQLite triggers that log every local change of a registered table into ``sync_change``.

Triggers, not service hooks: any code path that writes a case (the editor, the CLI, a demo
generator, another feature's service) is noticed. An import inserts a row into
``sync_suppress`` inside its own transaction, so records received from a partner are not
logged as local changes (other connections never see that row).

Each table's trigger inserts (type code, key, deleted, owner, route) into the view
``sync_change_view``; the key is the row's key column as stored (storage/sync_keys.py: no
conversion, 0860_sync_blob_keys). The view's one INSTEAD OF trigger bumps the record's version
and stores owner and route, so that upsert lives once in the schema, not in every table's
triggers.

A batch migration that rebuilds a table drops its triggers; ``ensure`` re-creates missing ones
whenever the schema version changed (checked on every pool checkout, a cheap PRAGMA). A bulk write
changes the schema version too (indexes set aside, triggers lifted and put back: ``lift``); on a
complete schema ``ensure`` then only reads, so a checkout never waits for a writer's lock. A database
still at the old layout (before 0700_lean_sync_log, e.g. while the schema check rebuilds an old
revision) gets the old triggers (``legacy_trigger_sql``); one keyed by (hi, lo, odd)
(0700 … 0850) gets none: the migrations made them, and opening it upgrades it to 0860. Migrations never call ``ensure``: they
import nothing from the program; the first checkout after an upgrade makes the triggers.
"""

from __future__ import annotations

from typing import Any

from migreg_desktop.storage import records, sync_keys

_LOG_SQL = ("INSERT INTO sync_change_view (kind, key, deleted, owner, route) "
            "VALUES ({code}, {key}, {deleted}, {owner}, {route})")
_LEGACY_SQL = """INSERT INTO sync_change (record_type, record_id, version, seq, deleted, owner, route)
  VALUES ('{name}', {row}.{key}, 1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_change), {deleted},
          {owner}, {route})
  ON CONFLICT (record_type, record_id) DO UPDATE SET version = version + 1, seq = excluded.seq,
     deleted = excluded.deleted{keep_owner}"""
_OPS = (("INSERT", "NEW", 0), ("UPDATE", "NEW", 0), ("DELETE", "OLD", 1))


def trigger_name(rt: records.RecordType, op: str) -> str:
    """The name of ``rt``'s trigger for ``op`` (INSERT, UPDATE, DELETE)."""
    return f"sync_{rt.table}_{op[:3].lower()}"


def lift(con: Any, rt: records.RecordType, ops: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")) -> list[str]:
    """Drop ``rt``'s triggers for ``ops`` inside the caller's open transaction; returns their
    stored SQL for ``put_back``. For a bulk write whose rows the triggers would not log anyway
    (an import: ``sync_suppress``) or that logs them set-based (storage/bulk_log.py): SQLite runs
    a trigger's program for every row even to find its WHEN false (~2.5 µs a row). DDL is
    transactional: a rollback brings the triggers back with the rows, and no other connection
    ever sees the table without them."""
    if not con.in_transaction:  # a DROP outside a transaction would stand alone, seen by all
        raise RuntimeError("lift needs an open transaction")
    names = [trigger_name(rt, op) for op in ops]
    found = con.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                        f"({','.join('?' * len(names))}) ORDER BY name", names).fetchall()
    for name, _sql in found:
        con.execute(f'DROP TRIGGER "{name}"')
    return [str(sql) for _name, sql in found]


def put_back(con: Any, lifted: list[str]) -> None:
    """Make again the triggers ``lift`` dropped, from their own stored SQL."""
    for sql in lifted:
        con.execute(sql)


def _trigger(rt: records.RecordType, op: str, row: str, body: str) -> tuple[str, str]:
    name = trigger_name(rt, op)
    return name, (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {rt.table} "
                  f"WHEN NOT EXISTS (SELECT 1 FROM sync_suppress) AND {row}.{rt.key} IS NOT NULL "
                  f"BEGIN {body}; END")


def trigger_sql(rt: records.RecordType) -> list[tuple[str, str]]:
    """The key goes to the log as the row holds it (plain SQL that works from the sqlite3 shell;
    0860_sync_blob_keys makes the same triggers)."""
    return [_trigger(rt, op, row, _LOG_SQL.format(
        code=rt.code, key=f"{row}.{rt.key}", deleted=deleted,
        owner=rt.owner_sql.format(row=row), route=rt.route_sql.format(row=row))) for op, row, deleted in _OPS]


def legacy_trigger_sql(rt: records.RecordType) -> list[tuple[str, str]]:
    """The triggers of the text-keyed change log (0200_sync … 0500_department_desk)."""
    out = []
    for op, row, deleted in _OPS:
        keep_owner = "" if deleted else ", owner = excluded.owner, route = excluded.route"
        out.append(_trigger(rt, op, row, _LEGACY_SQL.format(
            name=rt.name, row=row, key=rt.key, deleted=deleted, owner=rt.owner_sql.format(row=row),
            route=rt.route_sql.format(row=row), keep_owner=keep_owner)))
    return out


def _layout(cur: Any) -> str:
    """``key`` (0860 on), ``hi`` (0700 … 0850) or ``legacy`` (before 0700)."""
    columns = {r[1] for r in cur.execute("PRAGMA table_info(sync_change)")}
    return next((c for c in ("key", "hi") if c in columns), "legacy")


def ensure(dbapi_conn: Any) -> int:
    """Create missing triggers (and log existing rows of a newly tracked table). Returns how many."""
    cur = dbapi_conn.cursor()
    try:
        names = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        if "sync_change" not in names:
            return 0
        layout = _layout(cur)
        if layout == "hi":
            return 0  # made by its migrations; opening the file upgrades it to the key layout
        lean = layout == "key"
        if lean:  # only what is missing: a complete schema is checked without a write (and its lock)
            known = {r[0] for r in cur.execute("SELECT code FROM sync_kind")}
            missing = [(rt.code, rt.name) for rt in records.ordered() if rt.code not in known]
            if missing:
                cur.executemany("INSERT OR IGNORE INTO sync_kind (code, name) VALUES (?, ?)", missing)
        made = 0
        for rt in records.ordered():
            if rt.table not in names or rt.key not in {r[1] for r in cur.execute(f"PRAGMA table_info({rt.table})")}:
                continue  # its key column comes with a later migration (0201_sync_uuid_ledger)
            wanted = trigger_sql(rt) if lean else legacy_trigger_sql(rt)
            fresh = not any(n in names for n, _sql in wanted)
            for name, sql in wanted:
                if name not in names:
                    cur.execute(sql)
                    made += 1
            if fresh:
                (_seed if lean else _legacy_seed)(cur, rt)
        return made
    finally:
        cur.close()


def log_untracked(cur: Any) -> None:
    """Log, set-based, every owned row not logged yet: after a bulk insert made with the
    triggers suppressed (``migreg demo``), far cheaper than a trigger per row."""
    tables = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "sync_change" not in tables:
        return
    layout = _layout(cur)
    if layout == "hi":
        return
    lean = layout == "key"
    for rt in records.ordered():
        if rt.table in tables:
            (_seed if lean else _legacy_seed)(cur, rt)


def _seed(cur: Any, rt: records.RecordType) -> None:
    """Rows of a table tracked for the first time: log the ones this office owns (owner and
    route equal to this office are stored as NULL), keyed as the row holds its key."""
    owner = rt.owner_sql.format(row="t")
    route = rt.route_sql.format(row="t")
    cur.execute(
        f"INSERT OR IGNORE INTO sync_change ({sync_keys.COLUMNS}, version, deleted, owner, route) "
        f"SELECT {rt.code}, t.{rt.key}, 1, 0, NULL, NULLIF({route}, m.value) "
        f"FROM {rt.table} t JOIN meta m ON m.key = 'office_code' "
        f"WHERE t.{rt.key} IS NOT NULL AND {owner} = m.value "
        f"AND NOT EXISTS (SELECT 1 FROM sync_record r WHERE r.kind = {rt.code} AND {sync_keys.row_sql(rt, 'r', 't')}) "
        f"ORDER BY t.rowid"
    )


def _legacy_seed(cur: Any, rt: records.RecordType) -> None:
    owner = rt.owner_sql.format(row="t")
    route = rt.route_sql.format(row="t")
    cur.execute(
        f"INSERT OR IGNORE INTO sync_change (record_type, record_id, version, seq, deleted, owner, route) "
        f"SELECT '{rt.name}', t.{rt.key}, 1, (SELECT COALESCE(MAX(seq), 0) FROM sync_change) + t.rowid, 0, "
        f"{owner}, {route} FROM {rt.table} t WHERE t.{rt.key} IS NOT NULL AND {owner} = (SELECT value FROM meta WHERE key = 'office_code') "
        f"AND t.{rt.key} NOT IN (SELECT record_id FROM sync_record WHERE record_type = '{rt.name}')"
    )


_seen: dict[str, int] = {}


def on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    if not hasattr(dbapi_conn, "execute"):
        return
    try:
        db_name = dbapi_conn.execute("PRAGMA database_list").fetchone()[2]
        version = dbapi_conn.execute("PRAGMA schema_version").fetchone()[0]
    except Exception:  # not SQLite, or a closed connection: nothing to maintain
        return
    if _seen.get(db_name) == version:
        return
    if dbapi_conn.in_transaction:
        return
    try:
        ensure(dbapi_conn)
        dbapi_conn.commit()
    except Exception:  # locked by a writer: try again on the next checkout
        return
    _seen[db_name] = dbapi_conn.execute("PRAGMA schema_version").fetchone()[0]
