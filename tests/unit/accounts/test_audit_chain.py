import threading
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from migreg_desktop.accounts import audit, audit_chain
from migreg_desktop.storage.db import session_scope


def _write(engine, n, actor="tester"):
    for i in range(n):
        with session_scope(engine, actor=actor) as s:
            audit.record("update", "case", f"case-{i}", {"notes": [None, f"Ә{i}"]}, session=s)


def _verify(engine):
    with session_scope(engine) as s:
        return audit_chain.verify(session=s)


def test_chain_intact_and_linked(engine):
    _write(engine, 5)
    report = _verify(engine)
    assert report.ok and report.entries >= 5
    with engine.connect() as con:
        rows = con.exec_driver_sql("SELECT prev_hash, hash FROM audit_entry ORDER BY id").fetchall()
    assert rows[0][0] == audit_chain.GENESIS
    assert all(rows[i][0] == rows[i - 1][1] for i in range(1, len(rows)))


def test_edited_entry_is_detected(engine):
    _write(engine, 5)
    with engine.begin() as con:
        con.exec_driver_sql("UPDATE audit_entry SET user='someone' WHERE id=3")
    report = _verify(engine)
    assert not report.ok and report.first_bad_id == 3 and report.problems[0]["problem"] == "edited"


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(engine):
    _write(engine, 5)
    with engine.begin() as con:
        con.exec_driver_sql("UPDATE audit_entry SET user='x', hash='%s' WHERE id=2" % ("a" * 64))
    problems = {p["id"]: p["problem"] for p in _verify(engine).problems}
    assert problems == {2: "edited", 3: "broken_link"}


def test_removed_entries_are_detected_in_the_middle_and_at_the_end(engine):
    _write(engine, 5)
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM audit_entry WHERE id=2")
    assert _verify(engine).problems == [{"id": 3, "problem": "broken_link", "missing": [2, 2]}]
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM audit_entry WHERE id >= 4")
    kinds = {p["problem"] for p in _verify(engine).problems}
    assert "newest_removed" in kinds


def test_an_entry_inserted_behind_the_programs_back_is_unsealed(engine):
    _write(engine, 2)
    with engine.begin() as con:
        con.exec_driver_sql("INSERT INTO audit_entry (at, user, action, entity, changes) "
                            "VALUES ('2026-01-01 00:00:00.000000', 'x', 'delete', 'case', '{}')")
    assert {p["problem"] for p in _verify(engine).problems} >= {"unsealed"}


def test_concurrent_writers_never_fork_the_chain(engine):
    errors = []

    def work(name):
        try:
            _write(engine, 15, actor=name)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = _verify(engine)
    assert report.ok and report.entries >= 45


@given(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=4), st.text(max_size=8))
def test_hash_is_deterministic_and_time_format_independent(changes, user):
    import json

    row = {"id": 7, "at": datetime(2026, 3, 1, 12, 0, tzinfo=UTC), "user": user, "office": "ALM-KNV",
           "action": "update", "entity": "case", "entity_id": "x",
           "changes": json.dumps(changes, sort_keys=True, ensure_ascii=False)}
    stored = dict(row, at="2026-03-01 12:00:00.000000")  # how SQLite gives it back
    assert audit_chain.entry_hash(row, "p") == audit_chain.entry_hash(stored, "p")
    assert audit_chain.entry_hash(row, "p") != audit_chain.entry_hash(row, "q")


def test_migration_seals_a_trail_written_before_the_chain(tmp_path):
    import sqlite3

    from alembic import command

    from migreg_desktop.storage import db

    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(path)
    command.upgrade(db._alembic_config(engine), "0001_foundation")
    with engine.begin() as con:
        for i in range(3):
            con.exec_driver_sql("INSERT INTO audit_entry (at, user, action, entity, changes) VALUES "
                                f"('2025-01-0{i + 1} 10:00:00.000000', 'old', 'create', 'case', '{{}}')")
    db.upgrade(engine, path)
    con = sqlite3.connect(path)
    report = audit_chain.verify_connection(con.execute)
    con.close()
    engine.dispose()
    assert report.ok and report.entries == 3
