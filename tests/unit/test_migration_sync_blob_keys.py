"""Issue 17 §3: migration 0860_sync_blob_keys keys the sync bookkeeping (change log, deliveries,
received records) by the record's id as its table stores it, in place. Every row comes through
the upgrade and the downgrade, the export writes the same lines, the import finds what it holds,
and the change-log triggers keep counting — from a connection with no application function too
(the sqlite3 shell)."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from sqlalchemy import text

from migreg_desktop import ids, paths
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.eligibility import eligibility
from migreg_desktop.storage import db, integrity_schema, records, sync_keys
from migreg_desktop.sync import export

from ..conftest import work_session

OLD = "0850_contentless_search"
ODD = "P-OLD-PROGRAM-7"  # a person id that is no canonical UUID (a partner's older program): text
TABLES = {"sync_change": "version, deleted, owner, route",
          "sync_delivery": "receiver, sent_version, sent_sequence, acked_version, outcome, reason",
          "sync_record": "origin, version, sequence, outcome"}


def _text(row: dict[str, Any]) -> str:
    """The record id of a bookkeeping row of either layout (0700's hi/lo/odd, or 0860's key)."""
    if "key" in row:
        return ids.from_db(row["key"]) or ""
    if row["odd"]:
        return str(row["odd"])
    return str(uuid.UUID(int=((row["hi"] & (2**64 - 1)) << 64) | (row["lo"] & (2**64 - 1))))


def _bookkeeping(path: Any) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of the three tables, with the record's type name and text id."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        names = dict(con.execute("SELECT code, name FROM sync_kind").fetchall())
        out = {}
        for table, rest in TABLES.items():
            rows = [dict(r) for r in con.execute(f"SELECT * FROM {table}")]
            out[table] = {(names[r["kind"]], _text(r), *(r[c.strip()] for c in rest.split(","))) for r in rows}
        return out
    finally:
        con.close()


def _lines(engine: Any) -> dict[str, list[str]]:
    """The lines the next export to the oblast would carry, per type."""
    raw = engine.raw_connection()
    try:
        con, where = raw.driver_connection, export.pending_where("ALM-OBL", "district")
        params = {"receiver": "ALM-OBL", "me": "ALM-KNV"}
        return {rt.name: [line for b in export.sql_batches(con, rt, where, params) for line in b]
                for rt in records.ordered()}
    finally:
        raw.close()


def _fill(engine: Any) -> dict[str, str]:
    """Cases with decisions (text-keyed uids), edits, deletions, an odd id, deliveries (some
    acknowledged, some not) and received records of every key form."""
    generate_demo(engine, 40, seed=7)
    with work_session(engine) as s:
        eligibility.check_many(session=s)
    with engine.begin() as con:
        con.execute(text("UPDATE person SET name = 'Ақжол' WHERE rowid % 3 = 0"))
        con.execute(text("DELETE FROM document WHERE rowid % 4 = 0"))
        con.execute(text("INSERT INTO person (id, surname, name, citizenship, version, base_version, updated_at) "
                         f"VALUES ('{ODD}', 'Оралбаев', 'Қайрат', 'kandas', 1, 0, '2026-01-01 00:00:00')"))
        # Sent to the oblast: cases (acknowledged) and decisions (not yet) in package 1 …
        con.execute(text("INSERT INTO sync_delivery (receiver, kind, key, sent_version, sent_sequence, acked_version, "
                         "outcome) SELECT 'ALM-OBL', kind, key, version, 1, CASE kind WHEN 2 THEN version ELSE 0 END, "
                         "CASE kind WHEN 2 THEN 'applied' END FROM sync_change WHERE kind IN (2, 6)"))
        # … and the odd person in package 2, not acknowledged yet.
        con.execute(text("INSERT INTO sync_delivery (receiver, kind, key, sent_version, sent_sequence, acked_version) "
                         "VALUES ('ALM-OBL', 1, :k, 1, 2, 0)"), {"k": ODD})
        con.execute(text("INSERT INTO sync_kind (code, name) VALUES (1000, 'future_things')"))
    received = {"persons": ids.uuid7(), "decisions": ids.uuid7(), "documents": "doc-as-it-came"}
    with engine.begin() as con:
        for name, rid in received.items():
            rt = records.get(name)
            assert rt is not None
            con.execute(text("INSERT INTO sync_record (kind, key, origin, version, sequence, outcome) "
                             "VALUES (:kind, :key, 'ALM-OBL', 3, 7, 'conflict')"),
                        dict(zip(("kind", "key"), sync_keys.match(rt, rid), strict=True)))
        con.execute(text("INSERT INTO sync_record (kind, key, origin, version, sequence, outcome) "
                         "VALUES (1000, 'thing-1', 'ALM-OBL', 1, 7, 'applied')"))
    return received


def _fire_from_a_plain_connection(path: Any, person_id: str) -> None:
    """An edit from a connection without the program's SQL functions (the sqlite3 shell)."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("UPDATE person SET phone = '+7 701 000 00 00' WHERE id = ?", (ids.to_db(person_id),))
    finally:
        con.close()


def _version(path: Any, name: str, rid: str) -> int:
    return next(r[2] for r in _bookkeeping(path)["sync_change"] if r[:2] == (name, rid))


def test_downgrade_and_upgrade_keep_every_row_and_the_next_package(engine):
    from alembic import command

    path = paths.db_path()
    received = _fill(engine)
    before, lines = _bookkeeping(path), _lines(engine)
    assert all(before.values()) and lines["decisions"] and lines["persons"] and not lines["cases"]
    with engine.connect() as con:
        forms = set(con.exec_driver_sql("SELECT kind, typeof(key) FROM sync_change").all())
    assert {(1, "blob"), (1, "text"), (2, "blob"), (6, "text")} <= forms  # as each table holds its key

    command.downgrade(db._alembic_config(engine), OLD)
    engine.dispose()
    con = sqlite3.connect(path)
    try:
        assert "hi" in {r[1] for r in con.execute("PRAGMA table_info(sync_change)")}
        person = ids.from_db(con.execute("SELECT id FROM person WHERE typeof(id) = 'blob' ORDER BY rowid").fetchone()[0])
    finally:
        con.close()
    assert _bookkeeping(path) == before and person
    version = _version(path, "persons", person)
    _fire_from_a_plain_connection(path, person)  # 0840's triggers, as they were
    assert _version(path, "persons", person) == version + 1
    before = _bookkeeping(path)

    assert db.upgrade(engine, paths.db_path()) is not None  # after its backup
    assert db.db_revisions(path) == db.script_heads()
    assert _bookkeeping(path) == before
    with engine.connect() as con:
        # The triggers the migration made are the ones the program makes (a restore compares them).
        assert integrity_schema.differences(lambda *a: con.exec_driver_sql(*a)) == []
    after = _lines(engine)  # the same lines, but the person edited in between (one version more)
    assert {k: v for k, v in after.items() if k != "persons"} == {k: v for k, v in lines.items() if k != "persons"}
    assert [ln for ln in after["persons"] if person not in ln] == [ln for ln in lines["persons"] if person not in ln]
    edited = [ln for ln in after["persons"] if person in ln]
    assert len(edited) == 1 and f'"version":{version + 1},' in edited[0] and "+7 701 000 00 00" in edited[0]
    # The import finds the versions it holds, whatever the key's form.
    raw = engine.raw_connection()
    try:
        for name, rid in received.items():
            rt = records.get(name)
            assert rt is not None
            assert sync_keys.lookup(raw.driver_connection, "sync_record", "version", rt, [rid]) == {rid: (3,)}
    finally:
        raw.close()
    _fire_from_a_plain_connection(path, person)  # the new triggers need no application function either
    assert _version(path, "persons", person) == version + 2


def test_the_upgrade_of_a_database_with_nothing_logged(engine):
    """A new office's file: empty bookkeeping converts to the new layout, triggers and all."""
    from alembic import command

    command.downgrade(db._alembic_config(engine), OLD)
    engine.dispose()
    db.upgrade(engine, paths.db_path())
    with engine.connect() as con:
        assert "key" in {r[1] for r in con.exec_driver_sql("PRAGMA table_info(sync_record)")}
        assert integrity_schema.differences(lambda *a: con.exec_driver_sql(*a)) == []
    generate_demo(engine, 3, seed=2)
    assert len(_bookkeeping(paths.db_path())["sync_change"]) > 3
