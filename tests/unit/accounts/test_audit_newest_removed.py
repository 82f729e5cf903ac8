"""Removing the newest audit entries stays detected after new entries (issue 7, audit fix 1)."""

import sqlite3

from migreg_desktop.accounts import audit, audit_chain
from migreg_desktop.storage.db import session_scope


def _write(engine, n, actor="tester"):
    for i in range(n):
        with session_scope(engine, actor=actor) as s:
            audit.record("login", "account", actor, {"via": [None, f"cli {i}"]}, session=s)


def _verify(engine):
    with session_scope(engine) as s:
        return audit_chain.verify(session=s)


def _newest(engine):
    with engine.connect() as con:
        return con.exec_driver_sql("SELECT max(id) FROM audit_entry").scalar()


def test_newest_removed_is_reported_before_anything_new_is_written(engine):
    _write(engine, 10)
    top = _newest(engine)
    with engine.begin() as con:
        con.exec_driver_sql(f"DELETE FROM audit_entry WHERE id > {top - 5}")
    report = _verify(engine)
    assert not report.ok
    assert report.problems == [{"id": top, "problem": "newest_removed", "missing": [top - 4, top]}]
    assert report.first_bad_id == top - 4


def test_removal_of_the_newest_survives_the_next_logins(engine):
    _write(engine, 10)
    top = _newest(engine)
    with engine.begin() as con:
        con.exec_driver_sql(f"DELETE FROM audit_entry WHERE id > {top - 5}")
    _write(engine, 1)  # the next command logs in
    report = _verify(engine)
    assert not report.ok
    assert report.problems == [{"id": top + 1, "problem": "broken_link", "missing": [top - 4, top]}]
    assert report.first_bad_id == top - 4
    _write(engine, 3)  # and keeps failing later: nothing heals the gap
    assert not _verify(engine).ok


def test_new_entry_points_at_the_recorded_head(engine):
    _write(engine, 4)
    with engine.connect() as con:
        head = con.exec_driver_sql("SELECT value FROM meta WHERE key='audit_head'").scalar()
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    _write(engine, 1)
    with engine.connect() as con:
        new_id, prev = con.exec_driver_sql("SELECT id, prev_hash FROM audit_entry ORDER BY id DESC").first()
    head_id, _, head_hash = head.partition(" ")
    assert (new_id, prev) == (int(head_id) + 1, head_hash)


def test_removing_the_head_record_with_the_newest_entries_is_not_healed(engine):
    _write(engine, 6)
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM audit_entry WHERE id > 3")
        con.exec_driver_sql("DELETE FROM meta WHERE key = 'audit_head'")
    _write(engine, 2)
    report = _verify(engine)
    assert not report.ok and report.problems[0]["problem"] == "broken_link"


def test_a_row_slipped_in_after_the_head_neither_blocks_writing_nor_joins_the_chain(engine):
    _write(engine, 3)
    with engine.begin() as con:
        con.exec_driver_sql("INSERT INTO audit_entry (at, user, action, entity, changes) "
                            "VALUES ('2026-01-01 00:00:00.000000', 'x', 'delete', 'case', '{}')")
    _write(engine, 2)  # no id clash with the slipped-in row
    kinds = {p["problem"] for p in _verify(engine).problems}
    assert kinds == {"unsealed", "broken_link"}


def test_intact_trail_and_middle_removal_unchanged(engine):
    _write(engine, 5)
    assert _verify(engine).ok
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM audit_entry WHERE id = 2")
    assert _verify(engine).problems == [{"id": 3, "problem": "broken_link", "missing": [2, 2]}]


def test_sqlite3_cli_style_deletion_then_cli_login(cli, monkeypatch, data_dir):
    """The issue's reproduction: sqlite3 removes the 5 newest rows, then `audit verify` logs in."""
    assert cli("init", "--office", "ALM-KNV").code == 0
    monkeypatch.setenv("MIGREG_PASSWORD", "admin-pass-1")
    assert cli("user", "add", "boss", "--role", "admin").code == 0
    monkeypatch.setenv("MIGREG_USER", "boss")
    for _ in range(4):
        assert cli("case", "list", "--json").code == 0
    con = sqlite3.connect(data_dir / "migreg.sqlite3")
    with con:
        con.execute("DELETE FROM audit_entry WHERE id IN (SELECT id FROM audit_entry ORDER BY id DESC LIMIT 5)")
    con.close()
    for _ in range(2):  # the first verify logs in (a new entry); the second logs in again
        result = cli("audit", "verify", "--json")
        assert result.code == 1 and result.json["ok"] is False
        assert result.json["problems"][0]["problem"] == "broken_link"
        assert result.json["problems"][0]["missing"][1] - result.json["problems"][0]["missing"][0] == 4
