"""storage/reader.py: reads without SQLAlchemy (issue 15's first screen, issue 17 §5)."""

import sqlite3

import pytest

from migreg_desktop import paths
from migreg_desktop.refdata.shipped import read_as_is
from migreg_desktop.storage import reader, schema_version


def test_the_reading_connection_cannot_write(engine):
    with reader.reading() as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'office_code'").fetchone() == ("ALM-KNV",)
        with pytest.raises(sqlite3.OperationalError):
            db.execute("UPDATE meta SET value = 'X' WHERE key = 'office_code'")


def test_a_session_is_read_through_its_own_connection(engine):
    from tests.conftest import work_session

    with work_session(engine) as session:
        session.connection().exec_driver_sql("UPDATE meta SET value = 'ALM-TLG' WHERE key = 'office_code'")
        # the same transaction: the read sees the uncommitted write
        assert reader.rows(session).execute("SELECT value FROM meta WHERE key = 'office_code'").fetchone()[0] == "ALM-TLG"
        session.rollback()


def test_read_as_is_only_for_a_database_that_needs_nothing(engine):
    with read_as_is() as db:
        assert db is not None
    with sqlite3.connect(paths.db_path()) as con:  # the program ships newer reference data
        con.execute("UPDATE refdata_version SET version = '0.0.1'")
    with read_as_is() as db:
        assert db is None
    with sqlite3.connect(paths.db_path()) as con:  # an older schema: the full way migrates it
        con.execute("UPDATE alembic_version SET version_num = '0600_account_position'")
    assert not reader.can_read()
    with read_as_is() as db:
        assert db is None


def test_no_database_or_a_newer_one_is_not_read_here(tmp_path):
    assert not reader.can_read(tmp_path / "none.sqlite3")
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as con:
        con.execute("CREATE TABLE alembic_version (version_num TEXT)")
        con.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    assert not reader.can_read(newer)


def test_the_line_scan_reads_what_the_parser_reads():
    for path in sorted((schema_version.MIGRATIONS / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert schema_version._assignments(text) == schema_version._parsed(text), path.name
    assert schema_version._assignments('revision = "a"\ndown_revision = (\n    "b",\n    "c",\n)\n') == {
        "revision": "a", "down_revision": ("b", "c")}


def test_read_only_uris_for_windows_paths_and_odd_names(tmp_path):
    from pathlib import PureWindowsPath

    share = reader.read_only_uri(PureWindowsPath(r"\\server\share\migreg data\migreg.sqlite3"))
    assert share == "file:////server/share/migreg%20data/migreg.sqlite3?mode=ro"  # no URI host
    assert reader.read_only_uri(PureWindowsPath(r"C:\Users\Айгерім\migreg.sqlite3")).startswith("file:///C:/Users/%D0")
    odd = tmp_path / "a b #1?" / "migreg.sqlite3"  # '#' and '?' would end SQLite's path part
    odd.parent.mkdir()
    with sqlite3.connect(odd) as con:
        con.execute("CREATE TABLE t (x)")
    with reader.reading(odd) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
