import sqlite3

import pytest

from migreg_desktop import db, paths
from migreg_desktop.errors import SchemaTooNew, UserError


def test_new_database_has_wal_foreign_keys_and_heads(engine):
    with engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert db.db_revisions(paths.db_path()) == db.script_heads()


def test_refuses_database_from_newer_program(engine):
    engine.dispose()
    con = sqlite3.connect(paths.db_path())
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()  # the last connection checkpoints the WAL into the file
    before = paths.db_path().read_bytes()
    with pytest.raises(SchemaTooNew) as err:
        db.open_database()
    assert "newer version" in err.value.message()
    assert paths.db_path().read_bytes() == before


def test_backup_before_upgrade(engine):
    engine.dispose()
    con = sqlite3.connect(paths.db_path())
    con.execute("INSERT INTO meta(key, value) VALUES ('probe', 'kept')")
    con.execute("DELETE FROM alembic_version")  # pretend an older schema: upgrade must run
    con.execute("INSERT INTO alembic_version VALUES ('0001_foundation')")
    con.commit()
    con.close()
    if db.script_heads() == {"0001_foundation"}:
        pytest.skip("no later migration to upgrade to yet")
    db.open_database()
    backups = list(paths.backups_dir().glob("*pre-upgrade*"))
    assert backups and sqlite3.connect(backups[0]).execute("SELECT value FROM meta WHERE key='probe'").fetchone() == ("kept",)


def test_open_without_init_is_a_clear_user_error():
    with pytest.raises(UserError) as err:
        db.open_database()
    assert "migreg init" in err.value.message()
