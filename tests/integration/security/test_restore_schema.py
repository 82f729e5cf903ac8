"""Issue 12 §5 (schema part): a backup or database carrying objects the migrations do not create
is refused. The attack: a backup with an extra trigger was restored and made a clerk admin."""

from __future__ import annotations

import sqlite3

import pytest

from migreg_desktop.storage import integrity
from tests.backup_helpers import edit_backup
from tests.conftest import EXAMPLES
from tests.snapshots import boss_and_clerk, made_by_commands

ADMIN_PW, CLERK_PW = "admin-pass-1", "clerk-pass-1"

# Each plants something in a copy of the office's own backup (same office, intact file).
PLANTED = {
    "trigger": ["CREATE TRIGGER promote AFTER INSERT ON audit_entry "
                "BEGIN UPDATE account SET role = 'admin' WHERE name = 'aida'; END"],
    "view": ["CREATE VIEW everyone AS SELECT name, password_hash FROM account"],
    "table": ["CREATE TABLE stash (payload BLOB)"],
    "index": ["CREATE INDEX ix_spy ON account (password_hash)"],
    "changed index": ["DROP INDEX ix_account_name", "CREATE INDEX ix_account_name ON account (name)"],
    "changed trigger": ["DROP TRIGGER sync_cases_upd",
                        "CREATE TRIGGER sync_cases_upd AFTER UPDATE ON cases "
                        "BEGIN UPDATE account SET role = 'admin'; END"],
}


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):
    """An admin 'boss' and a clerk 'aida'; the CLI acts as boss (made once per process, copied)."""
    made_by_commands("restore-schema-office", boss_and_clerk(ADMIN_PW, CLERK_PW), capsys, data_dir, monkeypatch, tmp_path_factory)
    monkeypatch.setenv("MIGREG_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("MIGREG_USER", "boss")
    return monkeypatch


def _plant(db_file, statements):
    con = sqlite3.connect(db_file)
    try:
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


def _roles(cli):
    return {u["name"]: u["role"] for u in cli("user", "list", "--json").json}


@pytest.mark.parametrize("what", list(PLANTED))
def test_backup_with_planted_object_is_refused_and_nothing_changes(cli, office, tmp_path, data_dir, what):
    out = tmp_path / "office.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    edit_backup(out, PLANTED[what])
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    before = (data_dir / "migreg.sqlite3").stat().st_size, cli("case", "list", "--json").json

    result = cli("restore", str(out), "--json")

    assert result.code == 2, result.err
    assert result.json["error"]["field"] == "file"
    assert "not restored" in result.err.lower() or "not restore" in result.err.lower()
    assert cli("case", "list", "--json").json == before[1]  # the current database is untouched
    assert not (data_dir / "aside").exists() or not any((data_dir / "aside").iterdir())
    assert _roles(cli) == {"aida": "clerk", "boss": "admin"}


def test_the_promoting_trigger_never_runs(cli, office, tmp_path):
    """The reproduced attack end to end: restore the backup, then the clerk logs in."""
    out = tmp_path / "office.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    edit_backup(out, PLANTED["trigger"])
    cli("restore", str(out))
    office.setenv("MIGREG_USER", "aida")
    office.setenv("MIGREG_PASSWORD", CLERK_PW)
    assert cli("case", "list").code == 0  # a login: an audit entry is inserted
    assert cli("user", "list").code == 2  # still a clerk
    office.setenv("MIGREG_USER", "boss")
    office.setenv("MIGREG_PASSWORD", ADMIN_PW)
    assert _roles(cli)["aida"] == "clerk"


def test_an_untouched_backup_still_restores(cli, office, tmp_path):
    out = tmp_path / "office.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    assert cli("restore", str(out)).code == 0


def test_doctor_finds_a_planted_trigger_in_the_open_database_and_it_goes_read_only(cli, office, data_dir):
    _plant(data_dir / "migreg.sqlite3", PLANTED["trigger"])
    report = cli("doctor", "--json")
    assert report.code == 1
    assert report.json["damaged"] is True
    assert {"object": "trigger promote", "problem": "unexpected"} in report.json["schema"]
    assert integrity.is_marked_damaged()
    refused = cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json"))
    assert refused.code == 3 and "restore" in refused.err


def test_fresh_database_matches_its_own_migrations(engine):
    report = integrity.check_database()
    assert report["schema"] == [] and report["ok"], report


@pytest.mark.parametrize("lang, words", [("en", "not restored"), ("ru", "не восстановлен"), ("kk", "қалпына келтірілмеді")])
def test_backup_with_a_packed_value_this_program_did_not_write_is_refused(cli, office, tmp_path, data_dir, lang, words):
    """Issue 17 §1: a decision's results are stored packed (migreg_desktop/packed_text.py); a
    backup whose stored value names a code past the vocabulary would fail on every read of that
    case once restored. It is refused, in the clerk's language, and nothing changes."""
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    out = tmp_path / "office.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    edit_backup(out, ["UPDATE eligibility_decision SET results = char(2) || '1[' || char(1) || char(1000) || ']'"])
    before = cli("case", "list", "--json").json

    result = cli("restore", str(out), "--json", lang=lang)

    assert result.code == 2 and result.json["error"]["field"] == "file"
    assert words in result.json["error"]["message"] and "eligibility_decision" in result.json["error"]["message"]
    assert cli("case", "list", "--json").json == before


def test_the_check_reports_a_packed_value_this_program_did_not_write(cli, office, data_dir):
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    assert integrity.check_database(data_dir / "migreg.sqlite3")["unreadable_values"] == []
    _plant(data_dir / "migreg.sqlite3", ["UPDATE eligibility_decision SET results = char(2) || '7[]'"])
    report = integrity.check_database(data_dir / "migreg.sqlite3")
    assert report["damaged"] and not report["ok"]
    assert [(v["table"], v["column"]) for v in report["unreadable_values"]] == [("eligibility_decision", "results")]
