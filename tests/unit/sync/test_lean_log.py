"""Issue 17 §1/§3: the sync bookkeeping keys (type code, the record's key as its table stores it:
0860_sync_blob_keys) and the migrations 0700_lean_sync_log … 0860 that convert a database made
before them in place."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from migreg_desktop import ids, paths
from migreg_desktop.ids import uuid7
from migreg_desktop.storage import backup_format, db, records, sync_keys

ODD = ["p1", "0190AAAA-BBBB-7CCC-8DDD-EEEEFFFF0000", "0190aaaabbbb7ccc8dddeeeeffff0000", "x" * 36]
EDGE = ["ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000000",
        "80000000-0000-0000-8000-000000000000", "7fffffff-ffff-ffff-7fff-ffffffffffff"]


def test_a_key_is_the_id_as_its_table_stores_it_and_gives_the_id_back():
    """0860_sync_blob_keys: the key is what the record's key column holds (``ids.to_db`` for an
    id column, the text for a text column such as a decision's uid); Python and plain SQL give
    the same text id back, and a non-canonical id is never rewritten."""
    con = sqlite3.connect(":memory:")
    ids.register_sql(con)
    con.execute("CREATE TABLE t (key)")
    persons, decisions = records.get("persons"), records.get("decisions")
    assert persons and decisions and decisions.key == "uid" and "uid" not in decisions.id_columns()
    for rid in [uuid7() for _ in range(50)] + [str(uuid.uuid4()) for _ in range(50)] + EDGE + ODD:
        for rt, stored in ((persons, ids.to_db(rid)), (decisions, rid)):
            key = sync_keys.key(rt, rid)
            assert key == stored and type(key) is type(stored), (rt.name, rid)
            assert sync_keys.match(rt, rid) == (rt.code, stored)
            con.execute("DELETE FROM t")
            con.execute("INSERT INTO t VALUES (?)", (key,))
            assert con.execute(f"SELECT {sync_keys.text_sql('t')}, id_text(key) FROM t").fetchone() == (rid, rid)
            assert sync_keys.text(key) == rid
    canonical = uuid7()
    assert isinstance(sync_keys.key(persons, canonical), bytes) and len(sync_keys.key(persons, canonical)) == 16
    for odd in ODD:  # never rewritten: kept as it came, as its table keeps it
        assert sync_keys.key(persons, odd) == odd == sync_keys.key(decisions, odd)


def test_lookup_finds_each_id_in_its_stored_form():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE sync_record (kind, key, version, PRIMARY KEY (kind, key)) WITHOUT ROWID")
    persons, decisions = records.get("persons"), records.get("decisions")
    assert persons and decisions
    blob, odd, uid = uuid7(), ODD[1], uuid7()
    con.executemany("INSERT INTO sync_record VALUES (?, ?, ?)",
                    [(*sync_keys.match(persons, blob), 3), (*sync_keys.match(persons, odd), 4),
                     (*sync_keys.match(decisions, uid), 5), (persons.code, blob, 9)])  # blob's text: another id
    assert sync_keys.lookup(con, "sync_record", "version", persons, [blob, odd, uid, "nope"]) == {blob: (3,), odd: (4,)}
    assert sync_keys.lookup(con, "sync_record", "version", decisions, [uid, blob]) == {uid: (5,)}
    assert sync_keys.lookup(con, "sync_record", "version", persons, []) == {}


def _old_rows(path):  # noqa: ANN001, ANN202
    con = sqlite3.connect(path)
    try:
        return (set(con.execute("SELECT record_type, record_id, version, deleted, owner, route FROM sync_change")),
                set(con.execute("SELECT * FROM sync_delivery")), set(con.execute("SELECT * FROM sync_record")))
    finally:
        con.close()


@pytest.mark.real_migrations
def test_upgrade_converts_the_bookkeeping_in_place_after_a_backup():
    from alembic import command

    path = paths.db_path()
    old = db.make_engine(path)
    command.upgrade(db._alembic_config(old), "0500_department_desk")
    canonical, gone = uuid7(), uuid7()
    with old.begin() as con:
        con.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('office_code', 'ALM-KNV')")
        for pid in (canonical, gone, "p1"):  # the old triggers log each
            con.exec_driver_sql("INSERT INTO person(id, surname, name, citizenship, version, base_version, updated_at) "
                                f"VALUES ('{pid}', 'Оралбаев', 'Қайрат', 'kandas', 1, 0, '2026-01-01 00:00:00')")
        con.exec_driver_sql(f"UPDATE person SET name = 'Асқар' WHERE id = '{canonical}'")
        con.exec_driver_sql(f"DELETE FROM person WHERE id = '{gone}'")
        con.exec_driver_sql("INSERT INTO sync_delivery VALUES ('ALM-OBL', 'persons', ?, 2, 4, 1, 'applied', NULL)",
                            (canonical,))
        con.exec_driver_sql("INSERT INTO sync_record VALUES ('cases', ?, 'ALM-OBL', 3, 7, 'applied')", (uuid7(),))
        con.exec_driver_sql("INSERT INTO sync_record VALUES ('persons', 'p2', 'ALM-OBL', 1, 7, 'conflict')")
        # A type this program does not know keeps its name (under a code no registry uses).
        con.exec_driver_sql("INSERT INTO sync_record VALUES ('future_things', ?, 'ALM-OBL', 1, 7, 'applied')",
                            (uuid7(),))
    old.dispose()
    changes, deliveries, received = _old_rows(path)
    assert (("persons", canonical, 2, 0, "ALM-KNV", "ALM-KNV") in changes and ("persons", gone, 2, 1, "ALM-KNV", "ALM-KNV")
            in changes and len(changes) == 3)

    engine = db.open_database()
    try:
        assert db.db_revisions(path) == db.script_heads()
        backups = list(paths.backups_dir().glob("*pre-upgrade*"))
        assert len(backups) == 1
        copy = path.with_name("pre-upgrade-copy.sqlite3")
        with copy.open("wb") as out:  # backups are compressed and sealed (storage/backup_format.py)
            backup_format.read(backups[0], out)
        assert _old_rows(copy) == (changes, deliveries, received)
        with engine.begin() as con:
            assert set(con.exec_driver_sql("SELECT record_type, record_id, version, deleted, owner, route "
                                           "FROM sync_change_view").all()) == changes
            assert set(con.exec_driver_sql(
                f"SELECT d.receiver, k.name, {sync_keys.text_sql('d')}, d.sent_version, d.sent_sequence, "
                "d.acked_version, d.outcome, d.reason FROM sync_delivery d JOIN sync_kind k ON k.code = d.kind"
            ).all()) == deliveries
            assert set(con.exec_driver_sql(
                f"SELECT k.name, {sync_keys.text_sql('r')}, r.origin, r.version, r.sequence, r.outcome "
                "FROM sync_record r JOIN sync_kind k ON k.code = r.kind").all()) == received
            assert con.exec_driver_sql("SELECT code FROM sync_kind WHERE name = 'future_things'").scalar() == 1000
            # Owner and route of this office are stored as NULL; nothing is left of the old layout.
            assert con.exec_driver_sql("SELECT count(*) FROM sync_change WHERE owner IS NOT NULL").scalar() == 0
            names = {r[0] for r in con.exec_driver_sql("SELECT name FROM sqlite_master")}
            assert not {"ix_sync_change_seq", "ix_sync_change_route", "sync_change_old"} & names
            # The new triggers go on counting from the converted versions.
            con.exec_driver_sql(f"UPDATE person SET name = 'Ерлан' WHERE id = id_db('{canonical}')")
            con.exec_driver_sql("UPDATE person SET name = 'Ерлан' WHERE id = 'p1'")
            log = {r[0]: r[1:] for r in con.exec_driver_sql(
                "SELECT record_id, version, deleted FROM sync_change_view")}
        assert log == {canonical: (3, 0), gone: (2, 1), "p1": (2, 0)}
    finally:
        engine.dispose()


def test_sqlite_writes_the_same_lines_as_python(engine):
    """Export lines come from SQLite's json_object (issue 17 §3); they must be the bytes the
    Python encoder writes, for live, edited and deleted records of every type."""
    from sqlalchemy import text

    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.storage import records
    from migreg_desktop.sync import export

    generate_demo(engine, 30, seed=5)
    with engine.begin() as con:
        con.execute(text("UPDATE person SET name = 'Ақжол \"Ә\"' || char(9) WHERE rowid % 3 = 0"))
        con.execute(text("DELETE FROM status_change WHERE rowid % 4 = 0"))
        con.execute(text("INSERT INTO sync_suppress (flag) VALUES (1)"))  # a row gone without a log entry
        con.execute(text("DELETE FROM document WHERE rowid % 5 = 0"))
        con.execute(text("DELETE FROM sync_suppress"))
    raw = engine.raw_connection()
    try:
        con = raw.driver_connection
        params = {"receiver": "ALM-OBL", "me": "ALM-KNV"}
        where = export.pending_where("ALM-OBL", "district")
        seen: dict[str, list[str]] = {}
        for rt in records.ordered():
            assert export.sql_json(rt)
            seen[rt.name] = [line for b in export.sql_batches(con, rt, where, params) for line in b]
            assert seen[rt.name] == [line for b in export.python_batches(con, rt, where, params) for line in b]
        assert len(seen["cases"]) == 30
        for name in ("status_changes", "documents"):
            assert any('"deleted":true,"data":null' in line for line in seen[name])
    finally:
        raw.close()
