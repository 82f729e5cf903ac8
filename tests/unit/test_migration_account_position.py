"""Issue 14: migration 0600 adds account.position to a database made before it and keeps its rows."""

from __future__ import annotations

import pytest

from migreg_desktop import paths
from migreg_desktop.storage import db

pytestmark = pytest.mark.real_migrations


def _columns(engine, table):  # noqa: ANN001, ANN202
    with engine.connect() as con:
        return {r[1] for r in con.exec_driver_sql(f"PRAGMA table_info({table})")}


def test_upgrade_adds_position_and_keeps_accounts():
    from alembic import command

    from migreg_desktop.models import metadata

    path = paths.db_path()
    old = db.make_engine(path)
    command.upgrade(db._alembic_config(old), "0500_department_desk")
    with old.begin() as con:
        con.exec_driver_sql("INSERT INTO account(name, full_name, role, password_hash, disabled, failed_attempts, "
                            "password_changed_at, created_at) VALUES ('aida', 'Бекова Аида', 'clerk', 'x', 0, 0, "
                            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    assert "position" not in _columns(old, "account")
    old.dispose()
    engine = db.open_database()
    try:
        assert db.db_revisions(path) == db.script_heads()
        assert _columns(engine, "account") == {c.name for c in metadata.tables["account"].columns}
        with engine.connect() as con:
            row = con.exec_driver_sql("SELECT full_name, position FROM account WHERE name = 'aida'").fetchone()
        assert tuple(row) == ("Бекова Аида", "")
    finally:
        engine.dispose()
