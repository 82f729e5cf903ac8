"""Issue 14: migration 0400_law adds the kandas fields and the legal representative to a database
made before it, keeps its rows, and gives the tables exactly the models' columns."""

from __future__ import annotations

import pytest

from migreg_desktop import paths
from migreg_desktop.storage import db

pytestmark = pytest.mark.real_migrations
ADDED = {"person": {"origin_country", "former_citizenship", "nationality"},
         "cases": {"legal_representative", "representative_basis"}}


def _columns(engine, table):  # noqa: ANN001, ANN202
    with engine.connect() as con:
        return {r[1] for r in con.exec_driver_sql(f"PRAGMA table_info({table})")}


def test_upgrade_adds_the_columns_and_keeps_rows():
    from alembic import command

    from migreg_desktop.models import metadata

    path = paths.db_path()
    old = db.make_engine(path)
    from alembic.script import ScriptDirectory

    parents = ScriptDirectory(str(db.MIGRATIONS)).get_revision("0400_law").down_revision
    heads_before = sorted(parents if isinstance(parents, tuple) else [parents])  # what 0400_law builds on
    command.upgrade(db._alembic_config(old), "0001_foundation")
    with old.begin() as con:
        con.exec_driver_sql("INSERT INTO person(id, surname, name, citizenship, version, base_version, updated_at) "
                            "VALUES ('p1', 'Оралбаев', 'Қайрат', 'kandas', 1, 0, '2026-01-01 00:00:00')")
    for head in heads_before:
        command.upgrade(db._alembic_config(old), head)
    assert not ADDED["person"] & _columns(old, "person")
    old.dispose()
    engine = db.open_database()
    try:
        assert db.db_revisions(path) == db.script_heads()
        for table, names in ADDED.items():
            assert names <= _columns(engine, table)
            # cases.rid: the search index's key (0850_contentless_search), storage only, not the model's
            assert _columns(engine, table) - {"rid"} == {c.name for c in metadata.tables[table].columns}
        with engine.connect() as con:
            row = con.exec_driver_sql("SELECT surname, origin_country FROM person WHERE id = 'p1'").fetchone()
        assert tuple(row) == ("Оралбаев", None)
    finally:
        engine.dispose()
