import os
import sqlite3
import stat
from pathlib import Path

import pytest

from migreg_desktop import paths
from migreg_desktop.errors import SchemaTooNew, UserError
from migreg_desktop.storage import db

# These tests are about the migrations: each database is made by running them.
pytestmark = pytest.mark.real_migrations


def test_new_database_has_wal_foreign_keys_and_heads(engine):
    with engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert db.db_revisions(paths.db_path()) == db.script_heads()


def test_refuses_database_from_newer_program(engine):
    engine.dispose()
    con = sqlite3.connect(paths.db_path())
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")  # one head per branch: add
    con.commit()
    con.close()  # the last connection checkpoints the WAL into the file
    before = paths.db_path().read_bytes()
    with pytest.raises(SchemaTooNew) as err:
        db.open_database()
    assert "newer version" in err.value.message()
    assert paths.db_path().read_bytes() == before


def test_backup_before_upgrade():
    """A database made by the first schema only is backed up, then upgraded to every head."""
    from alembic import command

    path = paths.db_path()
    old = db.make_engine(path)
    command.upgrade(db._alembic_config(old), "0001_foundation")
    with old.begin() as con:
        con.exec_driver_sql("INSERT INTO meta(key, value) VALUES ('probe', 'kept')")
    old.dispose()
    db.open_database().dispose()
    assert db.db_revisions(path) == db.script_heads()
    backups = list(paths.backups_dir().glob("migreg-pre-upgrade-*.mgbak"))
    assert backups  # compressed and sealed like every backup (issue 17 §2)
    from migreg_desktop.storage import backup_format

    unpacked = backups[0].with_name("unpacked.sqlite3")
    with open(unpacked, "wb") as fh:
        backup_format.read(backups[0], fh)
    copy = sqlite3.connect(unpacked)
    assert copy.execute("SELECT value FROM meta WHERE key='probe'").fetchone() == ("kept",)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001_foundation",)]
    copy.close()


def test_open_without_init_is_a_clear_user_error():
    with pytest.raises(UserError) as err:
        db.open_database()
    assert "migreg init" in err.value.message()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_database_files_are_owner_only(engine, data_dir):
    from sqlalchemy import text as sql

    with engine.begin() as con:  # a write, so the WAL file exists too
        con.execute(sql("CREATE TABLE IF NOT EXISTS perm_probe (x)"))
        for name in ("migreg.sqlite3", "migreg.sqlite3-wal"):
            path = data_dir / name
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_revision_graph_agrees_with_alembic():
    """The start-up path reads heads without Alembic; Alembic itself must agree."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(db.MIGRATIONS))
    assert db.script_heads() == set(script.get_heads())
    assert db.known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_opening_a_current_database_imports_no_alembic(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from migreg_desktop import paths; from migreg_desktop.storage import db; paths.set_data_dir(sys.argv[1]);"
            "db.open_database(create=True).dispose(); "
            "before = 'alembic' in sys.modules; "
            "[m for m in list(sys.modules) if m.startswith('alembic') and sys.modules.pop(m)]; "
            "db.open_database().dispose(); print(before, 'alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "d")], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["True", "False"]  # migrating a new file needs Alembic; opening a current one does not
