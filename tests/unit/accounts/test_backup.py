import stat
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migreg_desktop import paths
from migreg_desktop.cases import cases
from migreg_desktop.errors import SchemaTooNew, UserError
from migreg_desktop.storage import backup, backup_format, integrity
from migreg_desktop.storage.db import session_scope
from migreg_desktop.storage.restore import restore_backup
from tests.conftest import count_rows, example_case


def _add_case(engine, kind="kandas"):
    with session_scope(engine, actor="tester") as s:
        return cases.register_case(example_case(kind), session=s).number


def test_backup_is_a_private_compressed_file_and_restores(engine, tmp_path):
    _add_case(engine)
    made = backup.create_backup(tmp_path / "b.mgbak")
    assert made.path.read_bytes().startswith(backup_format.MAGIC) and not made.encrypted
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert made.size < paths.db_path().stat().st_size // 3  # compressed (issue 17 §2)
    unpacked = tmp_path / "unpacked.sqlite3"
    with open(unpacked, "wb") as fh:
        backup_format.read(made.path, fh)
    assert integrity.check_database(unpacked)["ok"]
    _add_case(engine, "resettler")
    engine.dispose()
    result = restore_backup(made.path, actor="admin")
    assert result["office"] == "ALM-KNV" and result["aside"]
    assert count_rows(engine, "cases")["cases"] == 1
    aside = result["aside"]
    from pathlib import Path
    assert Path(aside).exists()  # the replaced database is kept


def test_encrypted_backup_round_trip_and_wrong_passphrase(engine, tmp_path):
    _add_case(engine)
    made = backup.create_backup(tmp_path / "b.enc", passphrase="құпия сөз")
    assert made.encrypted and b"SQLite" not in made.path.read_bytes()[:200]
    engine.dispose()
    with pytest.raises(UserError):
        restore_backup(made.path, passphrase="wrong")
    with pytest.raises(UserError):
        restore_backup(made.path)  # no passphrase
    assert restore_backup(made.path, passphrase="құпия сөз")["office"] == "ALM-KNV"


@pytest.mark.parametrize("damage", ["truncate", "foreign_text", "foreign_sqlite", "truncate_enc", "flip"])
def test_truncated_or_foreign_file_is_refused_and_data_untouched(engine, tmp_path, damage):
    import sqlite3

    _add_case(engine)
    before = count_rows(engine, "cases", "audit_entry")
    bad = tmp_path / "bad.sqlite3"
    if damage == "truncate":
        data = backup.create_backup(tmp_path / "b.mgbak").path.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "flip":  # one byte changed in the middle of the file
        data = bytearray(backup.create_backup(tmp_path / "b.mgbak").path.read_bytes())
        data[len(data) // 2] ^= 0x20
        bad.write_bytes(bytes(data))
    elif damage == "truncate_enc":
        data = backup.create_backup(tmp_path / "b.enc", passphrase="pw").path.read_bytes()
        bad.write_bytes(data[: len(data) - 100])
    elif damage == "foreign_text":
        bad.write_text("hello, not a database" * 20)
    else:
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE notes (x)")
        con.commit()
        con.close()
    with pytest.raises(UserError):
        restore_backup(bad, passphrase="pw")
    assert count_rows(engine, "cases", "audit_entry") == before
    assert not list(paths.data_dir().glob(".*partial*"))


def _old_plain_copy(tmp_path):
    """A backup as made before format 2: a plain SQLite copy (db.backup_copy)."""
    from migreg_desktop.storage import db

    return backup.describe(db.backup_copy(paths.db_path(), "manual",
                                          target=tmp_path / "migreg-manual-20261101-100000.sqlite3"))


@pytest.mark.parametrize("passphrase", [None, "ескі"])
def test_old_format_backups_still_restore(engine, tmp_path, passphrase):
    from tests.unit.accounts.test_backup_format import write_legacy

    _add_case(engine)
    old = _old_plain_copy(tmp_path).path
    if passphrase:  # format 1's encrypted copy (ENC1)
        enc = old.with_name(old.name + ".enc")
        write_legacy(enc, old.read_bytes(), passphrase, chunk=1 << 20)
        old = enc
    _add_case(engine, "resettler")
    engine.dispose()
    assert backup.describe(old).encrypted == bool(passphrase)
    assert restore_backup(old, passphrase=passphrase)["office"] == "ALM-KNV"
    assert count_rows(engine, "cases")["cases"] == 1


def test_backup_from_a_newer_program_is_refused(engine, tmp_path):
    import sqlite3

    made = _old_plain_copy(tmp_path)
    con = sqlite3.connect(made.path)
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    with pytest.raises(SchemaTooNew):
        restore_backup(made.path)


def test_backup_of_another_office_is_refused(engine, tmp_path):
    import sqlite3

    made = _old_plain_copy(tmp_path)
    con = sqlite3.connect(made.path)
    con.execute("UPDATE meta SET value='ALM-TLD' WHERE key='office_code'")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="ALM-TLD"):
        restore_backup(made.path)


def _stamps(days):
    base = datetime(2026, 12, 31, 12, tzinfo=UTC)
    return [base - timedelta(days=d) for d in days]


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    stamps = _stamps(range(400))
    keep = plan = backup.plan_rotation(stamps, 7, 4, 12)
    assert sorted(stamps, reverse=True)[:7] == sorted((s for s in keep), reverse=True)[:7]
    assert 7 <= len(plan) <= 7 + 4 + 12


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(0, 500), min_size=1, max_size=60), st.integers(0, 8), st.integers(0, 5),
       st.integers(0, 13))
def test_rotation_properties(days, daily, weekly, monthly):
    stamps = _stamps(sorted(days))
    keep = backup.plan_rotation(stamps, daily, weekly, monthly)
    assert keep <= set(stamps) and len(keep) <= daily + weekly + monthly
    assert daily == 0 or max(stamps) in keep  # with daily copies the newest always survives


def test_rotate_deletes_only_what_the_plan_drops(engine):
    folder = paths.backups_dir()
    for d in range(20):
        stamp = (datetime(2026, 11, 30, 10, tzinfo=UTC) - timedelta(days=d)).strftime("%Y%m%d-%H%M%S")
        (folder / f"migreg-daily-{stamp}.sqlite3").write_bytes(b"x")
    for n in range(12):
        (folder / f"migreg-pre-import-202611{n + 1:02d}-100000.sqlite3").write_bytes(b"x")
    backup.rotate()
    kinds = [b.kind for b in backup.list_backups()]
    assert kinds.count("pre-import") == 10 and 7 <= kinds.count("daily") <= 11


def test_end_of_day_backup_once_per_change(engine):
    _add_case(engine)
    evening = datetime.now().astimezone().replace(hour=23, minute=0)
    assert backup.end_of_day_backup(now=evening) is not None
    assert backup.end_of_day_backup(now=evening) is None  # nothing changed since
    morning = evening.replace(hour=8)
    _add_case(engine, "resettler")
    assert backup.end_of_day_backup(now=morning) is None  # the day is not over
    assert backup.end_of_day_backup(now=morning, force=True) is not None  # quitting


def test_before_import_backup(engine):
    made = backup.before_import()
    assert made.kind == "pre-import" and made.path.parent == paths.backups_dir()
    assert made.path.suffix == ".mgbak" and backup_format.is_backup(made.path)
    assert [b.path for b in backup.list_backups()] == [made.path]


def test_stale_partial_is_cleaned_but_a_live_writers_is_kept(engine):
    import os

    folder = paths.backups_dir()
    dead = folder / ".migreg-manual-x.sqlite3.999999.partial"
    live = folder / f".migreg-manual-y.sqlite3.{os.getppid()}.partial"
    dead.write_bytes(b"half")
    live.write_bytes(b"half")
    removed = backup.cleanup_partials(folder)
    assert dead in removed and live.exists()
