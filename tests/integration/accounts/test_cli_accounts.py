"""`migreg user | audit | backup | restore | doctor` end to end, and the central role check."""

import pytest

from tests.conftest import EXAMPLES, count_rows
from tests.snapshots import boss_and_clerk, made_by_commands

ADMIN_PW, CLERK_PW = "admin-pass-1", "clerk-pass-1"


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):
    """A database with an admin 'boss' and a clerk 'aida'; the CLI acts as boss. Made by these
    commands once per test process and copied into the test's data dir (tests/snapshots.py)."""
    made_by_commands("cli-accounts-office", boss_and_clerk(ADMIN_PW, CLERK_PW), capsys, data_dir, monkeypatch,
                     tmp_path_factory)
    monkeypatch.setenv("MIGREG_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("MIGREG_USER", "boss")
    return monkeypatch


def as_user(monkeypatch, name, password):
    monkeypatch.setenv("MIGREG_USER", name)
    monkeypatch.setenv("MIGREG_PASSWORD", password)


def test_set_up_mode_runs_commands_without_login_and_first_account_is_admin(cli, monkeypatch):
    assert cli("init", "--office", "ALM-KNV").code == 0
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    monkeypatch.setenv("MIGREG_PASSWORD", ADMIN_PW)
    assert cli("user", "add", "aida", "--role", "clerk").code == 1
    result = cli("user", "add", "boss", "--role", "admin", "--json")
    assert result.code == 0 and result.json["role"] == "admin"
    monkeypatch.delenv("MIGREG_PASSWORD")
    assert cli("case", "list", "--json").code == 2  # set-up is over: a password is needed


def test_user_list_json_keys(cli, office):
    rows = cli("user", "list", "--json").json
    assert [r["name"] for r in rows] == ["aida", "boss"]
    assert set(rows[0]) == {"name", "full_name", "position", "display_name", "role", "disabled", "created_at",
                            "last_login_at", "failed_attempts"}


def test_wrong_password_exit_2_and_audited(cli, office):
    as_user(office, "aida", "not-it")
    assert cli("case", "list", "--json").code == 2
    as_user(office, "boss", ADMIN_PW)
    entries = cli("audit", "list", "--action", "login_failed", "--json").json
    assert entries[0]["entity_id"] == "aida" and entries[0]["changes"]["reason"] == [None, "wrong"]


def test_disabled_account_cannot_log_in(cli, office):
    assert cli("user", "disable", "aida", "--json").json["disabled"] is True
    as_user(office, "aida", CLERK_PW)
    result = cli("case", "list", "--json")
    assert result.code == 2 and "disabled" in result.json["error"]["message"]
    as_user(office, "boss", ADMIN_PW)
    assert any(r["name"] == "aida" for r in cli("user", "list", "--json").json)  # never deleted


def test_clerk_trying_admin_command_exit_2_audited_and_nothing_changed(cli, office, data_dir):
    as_user(office, "aida", CLERK_PW)
    office.setenv("MIGREG_NEW_PASSWORD", "whatever-123")
    for argv in (["user", "add", "eve", "--role", "admin"], ["user", "disable", "boss"],
                 ["backup"], ["audit", "list"]):
        result = cli(*argv, "--json")
        assert result.code == 2 and "needs the role" in result.json["error"]["message"], argv
    as_user(office, "boss", ADMIN_PW)
    denied = cli("audit", "list", "--action", "denied", "--json").json
    assert {d["entity_id"] for d in denied} == {"user add", "user disable", "backup", "audit list"}
    assert all(d["user"] == "aida" for d in denied)
    assert [r["name"] for r in cli("user", "list", "--json").json] == ["aida", "boss"]


def test_clerk_changes_own_password_but_not_others(cli, office):
    as_user(office, "aida", CLERK_PW)
    office.setenv("MIGREG_NEW_PASSWORD", "new-clerk-pass")
    assert cli("user", "passwd", "boss").code == 2
    result = cli("user", "passwd", "--json")
    assert result.code == 0 and result.json == {"name": "aida", "changed": True, "reset": False}
    as_user(office, "aida", "new-clerk-pass")
    assert cli("case", "list").code == 0


def test_edited_audit_row_detected_by_verify_and_doctor(cli, office, data_dir):
    import sqlite3

    assert cli("audit", "verify", "--json").json["ok"] is True
    con = sqlite3.connect(data_dir / "migreg.sqlite3")
    con.execute("UPDATE audit_entry SET user='nobody' WHERE id=2")
    con.commit()
    con.close()
    result = cli("audit", "verify", "--json")
    assert result.code == 1 and result.json["first_bad_id"] == 2
    doctor = cli("doctor", "--json")
    assert doctor.code == 1 and doctor.json["integrity_check"] == ["ok"]
    assert doctor.json["audit"]["ok"] is False


def test_backup_restore_round_trip_with_json_keys(cli, office, tmp_path):
    out = tmp_path / "copy.sqlite3"
    made = cli("backup", "--out", str(out), "--json")
    assert made.code == 0 and set(made.json) == {"file", "kind", "created_at", "size", "encrypted"}
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    restored = cli("restore", str(out), "--json")
    assert restored.code == 0, restored.err
    assert {"restored", "sha256", "office", "schema", "audit_ok", "aside"} <= set(restored.json)
    assert cli("case", "list", "--json").json == []
    assert cli("audit", "list", "--action", "restore", "--json").json[0]["user"] == "boss"
    out2 = tmp_path / "copy2.sqlite3"
    assert cli("backup", "--out", str(out2)).code == 0
    exported = cli("audit", "list", "--action", "export", "--json").json[0]
    assert exported["entity"] == "database" and exported["changes"]["file"] == [None, out2.name]
    assert cli("audit", "verify").code == 0


def test_truncated_and_foreign_backups_refused_current_data_untouched(cli, office, tmp_path, data_dir):
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    out = tmp_path / "copy.sqlite3"
    cli("backup", "--out", str(out))
    (tmp_path / "half.sqlite3").write_bytes(out.read_bytes()[:8192])
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"0" * 5000)
    from migreg_desktop.storage.db import make_engine

    engine = make_engine(data_dir / "migreg.sqlite3")
    before = count_rows(engine, "cases", "person")
    for name in ("half.sqlite3", "photo.jpg"):
        result = cli("restore", str(tmp_path / name), "--json")
        assert result.code == 2 and result.json["error"]["field"] == "file"
    assert count_rows(engine, "cases", "person") == before
    engine.dispose()


def test_encrypted_backup_via_env_passphrase(cli, office, tmp_path):
    office.setenv("MIGREG_BACKUP_PASSPHRASE", "long passphrase")
    out = tmp_path / "copy.enc"
    assert cli("backup", "--out", str(out), "--encrypt", "--json").json["encrypted"] is True
    assert cli("restore", str(out)).code == 0
    office.setenv("MIGREG_BACKUP_PASSPHRASE", "wrong")
    assert cli("restore", str(out)).code == 2


def test_backups_list_and_rotation_on_default_folder(cli, office):
    assert cli("backup", "--json").code == 0
    rows = cli("backups", "--json").json
    assert rows and rows[0]["kind"] == "manual"


def test_audit_export_csv_and_xlsx(cli, office, tmp_path):
    from openpyxl import load_workbook

    csv_file, xlsx = tmp_path / "a.csv", tmp_path / "a.xlsx"
    assert cli("audit", "export", "--out", str(csv_file), "--json").json["rows"] >= 3
    assert csv_file.read_text(encoding="utf-8-sig").startswith("id,at,user")
    assert cli("audit", "export", "--out", str(xlsx), "--action", "account_add", "--json").json["rows"] == 2
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][0] == "id" and {r[4] for r in rows[1:]} == {"account_add"}
    assert cli("audit", "export", "--out", str(tmp_path / "a.pdf")).code == 2


def test_damaged_database_only_doctor_and_restore_run(cli, office, tmp_path, data_dir):
    out = tmp_path / "copy.sqlite3"
    cli("backup", "--out", str(out))
    db_file = data_dir / "migreg.sqlite3"
    for suffix in ("-wal", "-shm"):
        (data_dir / f"migreg.sqlite3{suffix}").unlink(missing_ok=True)
    db_file.write_bytes(b"garbage" * 2000)
    assert cli("case", "list").code == 3
    doctor = cli("doctor", "--json")
    assert doctor.code == 1 and doctor.json["damaged"] is True
    assert cli("restore", str(out)).code == 0
    assert cli("doctor", "--json").json["ok"] is True
    assert list((data_dir / "aside").iterdir())  # the damaged file was kept


def test_refusal_is_in_the_clerks_language(cli, office):
    as_user(office, "aida", CLERK_PW)
    kk = cli("user", "list", "--json", lang="kk")
    ru = cli("user", "list", "--json", lang="ru")
    assert kk.code == ru.code == 2
    assert "әкімші" in kk.json["error"]["message"] and "администратор" in ru.json["error"]["message"]
    as_user(office, "aida", "wrong-password")
    assert cli("case", "list", lang="ru").err.strip() == "Неверное имя пользователя или пароль."


def test_restore_onto_a_new_computer(cli, office, tmp_path, data_dir):
    import shutil

    out = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    shutil.rmtree(data_dir)  # the disk died; a new computer, an empty data dir
    assert cli("restore", str(out), "--json").json["aside"] is None
    assert [r["name"] for r in cli("user", "list", "--json").json] == ["aida", "boss"]


def _damage_table(db_file, table):
    """Overwrite one table's root page (not the header): the file opens, that table is broken."""
    import sqlite3

    con = sqlite3.connect(db_file)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(db_file, "r+b") as fh:
        fh.seek((root - 1) * size + 8)
        fh.write(b"\xff" * 64)


def test_partly_damaged_database_is_read_only_until_restored(cli, office, tmp_path, data_dir):
    case = cli("case", "add", "--file", str(EXAMPLES / "case-resettler.json"), "--json").json["number"]
    out = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    _damage_table(data_dir / "migreg.sqlite3", "document")
    shown = cli("case", "show", case, "--json", lang="ru")  # runs into the broken table
    assert shown.code == 3 and "восстан" in shown.json["error"]["message"]
    assert "Traceback" not in shown.err and "SELECT" not in shown.out
    assert cli("doctor", "--json").json["damaged"] is True
    # From now on every command opens the file read-only: reading works, a write is refused.
    assert cli("case", "list", "--json").code == 0
    changed = cli("case", "status", case, "--to", "submitted", "--json", lang="kk")
    assert changed.code == 3 and "қалпына" in changed.json["error"]["message"]
    assert cli("restore", str(out)).code == 0
    assert cli("case", "status", case, "--to", "submitted").code == 0  # restored: writable again
