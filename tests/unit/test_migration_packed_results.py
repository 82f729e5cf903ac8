"""Issue 17 §1/§4: migration 0880_packed_results stores every decision's results packed, the text
read back unchanged; nothing goes to the sync log, the digests stay, the file is compacted after
the upgrade; the downgrade gives the plain texts back."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

from migreg_desktop import paths
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.eligibility import eligibility
from migreg_desktop.packed_text import LEAD, unpack
from migreg_desktop.storage import db, integrity_schema

from ..conftest import work_session

OLD = "0870_digest_versions"


def _read(path: Any, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute(sql).fetchall()


def _results(path: Any) -> dict[int, str]:
    return dict(_read(path, "SELECT id, results FROM eligibility_decision"))  # type: ignore[arg-type]


def _log(path: Any) -> list[tuple[Any, ...]]:
    return _read(path, "SELECT * FROM sync_change_view ORDER BY 1, 2")


def test_downgrade_and_upgrade_keep_every_text_its_digest_and_the_sync_log(engine, monkeypatch):
    from alembic import command

    path = paths.db_path()
    generate_demo(engine, 30, seed=5)
    with work_session(engine) as s:
        assert eligibility.check_many(session=s)["changed"] == 30
    packed = _results(path)
    texts = {i: unpack(v) for i, v in packed.items()}
    assert all(v.startswith(LEAD) and len(v) * 3 < len(texts[i]) for i, v in packed.items())
    digests, log = _read(path, "SELECT * FROM eligibility_digest ORDER BY 1"), _log(path)

    command.downgrade(db._alembic_config(engine), OLD)
    engine.dispose()
    assert _results(path) == texts  # plain again, as 0870 stored them
    assert _read(path, "SELECT * FROM eligibility_digest ORDER BY 1") == digests and _log(path) == log

    compacted: list[bool] = []
    monkeypatch.setattr(db, "compact_if_sparse", lambda f, *, force=False: compacted.append(force) or force)
    stages: list[str] = []
    assert db.upgrade(engine, path, stage=stages.append) is not None  # after its backup
    assert stages == [db.UPGRADING]  # the window's loading line says so (app.EngineOpening)
    assert compacted == [True]  # rows shrunk in place leave pages mostly empty, none free
    after = _results(path)
    assert {i: unpack(v) for i, v in after.items()} == texts and after == packed
    assert _read(path, "SELECT * FROM eligibility_digest ORDER BY 1") == digests  # not dropped by the trigger
    assert _log(path) == log  # the decisions are not sent again
    with engine.connect() as con:  # the trigger lifted for the conversion is back as a fresh database has it
        assert integrity_schema.differences(lambda *a: con.exec_driver_sql(*a)) == []
    assert db.upgrade(engine, path, stage=stages.append) is None and stages == [db.UPGRADING]  # current: nothing said
    with work_session(engine) as s:  # the same substance: a re-check stores nothing
        assert eligibility.check_many(session=s)["changed"] == 0
        decision = eligibility.latest(next(iter(_case_ids(path))), session=s)
        assert decision is not None and eligibility.results_of(decision)


def test_only_an_upgrade_through_it_forces_the_compaction():
    """A database already at 0880 (or later) is past it: its later upgrades go back to the
    free-page share; one below it is compacted whatever the share."""
    from migreg_desktop.storage import schema_version

    assert not db.REWRITE_IN_PLACE - schema_version.applied(schema_version.script_heads())
    assert db.REWRITE_IN_PLACE - schema_version.applied({OLD}) == db.REWRITE_IN_PLACE


def _case_ids(path: Any) -> list[str]:
    with closing(sqlite3.connect(path)) as con:
        from migreg_desktop import ids

        ids.register_sql(con)
        return [r[0] for r in con.execute("SELECT id_text(case_id) FROM eligibility_decision")]
