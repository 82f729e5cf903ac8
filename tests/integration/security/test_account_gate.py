"""Issue 12 §6: parallel guessing locks the account, a disabled account gives one answer
whatever the password, and wiping the accounts does not reopen set-up mode."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from argon2 import PasswordHasher

from migreg_desktop.accounts import accounts
from migreg_desktop.errors import IntegrityError
from migreg_desktop.storage import integrity
from migreg_desktop.storage.db import session_scope
from tests.backup_helpers import edit_backup
from tests.conftest import EXAMPLES
from tests.snapshots import boss_and_clerk, made_by_commands

ADMIN_PW, CLERK_PW = "admin-pass-1", "clerk-pass-1"
GUESSES = 24


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):
    """An admin 'boss' and a clerk 'aida'; the CLI acts as boss. Made by these commands once per
    test process and copied into the test's data dir (tests/snapshots.py)."""
    made_by_commands("account-gate-office", boss_and_clerk(ADMIN_PW, CLERK_PW), capsys, data_dir, monkeypatch,
                     tmp_path_factory)
    monkeypatch.setenv("MIGREG_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("MIGREG_USER", "boss")
    return monkeypatch


# ---- parallel guessing ------------------------------------------------------------------

def test_parallel_wrong_passwords_lock_the_account(engine, monkeypatch):
    # A hash that takes a few milliseconds, as the real one takes ~100: the guesses overlap.
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1))
    with session_scope(engine, actor="system") as s:
        accounts.add_account("aida", "admin", CLERK_PW, session=s)
    start, reasons, errors = threading.Barrier(GUESSES), [], []

    def guess(n: int) -> None:
        try:
            start.wait(10)
            with session_scope(engine) as s:
                reasons.append(accounts.login("aida", f"guess-{n:04d}", session=s, via="test").reason)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(reasons) == GUESSES
    checked = reasons.count("wrong")
    assert checked <= accounts.FREE_ATTEMPTS, reasons  # the rest never reached the password check
    assert reasons.count("locked") == GUESSES - checked
    with session_scope(engine) as s:
        account = accounts.get("aida", session=s)
        assert account.failed_attempts == checked  # no lost update
        assert account.locked_until is not None
        failed = s.connection().exec_driver_sql(
            "SELECT count(*) FROM audit_entry WHERE action = 'login_failed'").scalar()
    assert failed == GUESSES  # every attempt is in the audit trail
    with session_scope(engine) as s:  # locked: even the right password waits
        assert accounts.login("aida", CLERK_PW, session=s).reason == "locked"


def test_lockout_still_lets_the_right_password_in_after_the_wait(engine):
    from datetime import timedelta

    from migreg_desktop.models.base import utcnow

    with session_scope(engine, actor="system") as s:
        accounts.add_account("aida", "admin", CLERK_PW, session=s)
    now = utcnow()
    for _ in range(accounts.FREE_ATTEMPTS):
        with session_scope(engine) as s:
            assert accounts.login("aida", "nope-nope", session=s, now=now).reason == "wrong"
    with session_scope(engine) as s:
        assert accounts.login("aida", CLERK_PW, session=s, now=now).reason == "locked"
    with session_scope(engine) as s:
        assert accounts.login("aida", CLERK_PW, session=s, now=now + timedelta(seconds=6)).ok
        assert accounts.get("aida", session=s).failed_attempts == 0


# ---- disabled account: no oracle --------------------------------------------------------

def test_disabled_account_answers_the_same_whatever_the_password(cli, office):
    assert cli("user", "disable", "aida").code == 0
    office.setenv("MIGREG_USER", "aida")
    answers = []
    for password in (CLERK_PW, "wrong-password"):
        office.setenv("MIGREG_PASSWORD", password)
        result = cli("case", "list", "--json")
        answers.append((result.code, result.err, result.json["error"]["message"]))
    assert answers[0] == answers[1], answers
    assert answers[0][0] == 2


# ---- wiped accounts are damage, not set-up mode -------------------------------------------

WIPES = {
    "rows and marker deleted": ["DELETE FROM account", "DELETE FROM meta WHERE key = 'accounts_since'"],
    "table dropped": ["DROP TABLE account"],
    "table dropped, marker deleted": ["DROP TABLE account", "DELETE FROM meta WHERE key = 'accounts_since'"],
}


def _wipe(db_file, statements):
    con = sqlite3.connect(db_file)
    try:
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


@pytest.mark.parametrize("how", list(WIPES))
def test_wiped_accounts_do_not_reopen_set_up_mode(cli, office, data_dir, how):
    _wipe(data_dir / "migreg.sqlite3", WIPES[how])
    office.delenv("MIGREG_USER")
    office.setenv("MIGREG_PASSWORD", "intruder-pw-1")

    added = cli("user", "add", "intruder", "--role", "admin")

    assert added.code != 0, added.err
    assert "restore" in added.err.lower()
    assert integrity.is_marked_damaged()  # damaged: read-only from now on
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 3
    con = sqlite3.connect(data_dir / "migreg.sqlite3")
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = con.execute("SELECT count(*) FROM account").fetchone()[0] if "account" in tables else 0
    finally:
        con.close()
    assert rows == 0  # nobody was added
    doctor = cli("doctor", "--json")
    assert doctor.code == 1 and doctor.json["damaged"] and doctor.json["accounts"] == "wiped"
    assert integrity.is_marked_damaged()  # doctor keeps the verdict


def test_wiped_accounts_the_window_refuses_set_up_mode(cli, office, data_dir):
    from migreg_desktop.storage.db import make_engine

    _wipe(data_dir / "migreg.sqlite3", WIPES["rows and marker deleted"])
    engine = make_engine(data_dir / "migreg.sqlite3")
    try:
        with session_scope(engine) as s, pytest.raises(IntegrityError):
            accounts.in_setup_mode(session=s)
        with session_scope(engine) as s:
            assert accounts.role_of("anyone", session=s) is None  # not "admin" as in set-up mode
    finally:
        engine.dispose()
    assert integrity.is_marked_damaged()


def test_wiped_database_is_left_by_a_restore(cli, office, data_dir, tmp_path):
    out = tmp_path / "office.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    _wipe(data_dir / "migreg.sqlite3", WIPES["table dropped"])
    assert cli("case", "list").code == 3
    restored = cli("restore", str(out))
    assert restored.code == 0, restored.err
    assert not integrity.is_marked_damaged()
    assert cli("user", "list").code == 0  # boss signs in again


def test_a_database_that_never_had_accounts_is_still_set_up_mode(cli, monkeypatch):
    assert cli("init", "--office", "ALM-KNV").code == 0
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0
    monkeypatch.setenv("MIGREG_PASSWORD", ADMIN_PW)
    assert cli("user", "add", "boss", "--role", "admin").code == 0
    assert not integrity.is_marked_damaged()


def test_a_backup_whose_accounts_were_wiped_is_not_restored(cli, office, data_dir, tmp_path):
    out = tmp_path / "office.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    edit_backup(out, WIPES["rows and marker deleted"])
    result = cli("restore", str(out), "--json")
    assert result.code == 2 and result.json["error"]["field"] == "file"
    assert cli("user", "list").code == 0  # the current database and its accounts are untouched
