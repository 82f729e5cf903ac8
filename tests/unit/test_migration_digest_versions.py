"""Issue 17 §4: migration 0870_digest_versions keeps the versions a decision was judged under next
to its digest, filled in place from each decision row; the downgrade takes them away again, and
either way the re-check of an unchanged database stores nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

from migreg_desktop import paths
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.eligibility import eligibility
from migreg_desktop.storage import db, integrity_schema

from ..conftest import work_session

OLD = "0860_sync_blob_keys"
VERSIONS = ("case_version", "versions")


def _read(path: Any, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute(sql).fetchall()


def _columns(path: Any) -> set[str]:
    return {r[1] for r in _read(path, "PRAGMA table_info(eligibility_digest)")}


def _tables(path: Any) -> set[str]:
    return {r[0] for r in _read(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def _kept(path: Any) -> dict[int, tuple[Any, ...]]:
    return {r[0]: (r[1:4], r[4:]) for r in _read(
        path, "SELECT g.decision_id, g.case_version, v.rules_version, v.reference_version, "
        "d.case_version, d.rules_version, d.reference_version "
        "FROM eligibility_digest g JOIN eligibility_decision d ON d.id = g.decision_id "
        "JOIN eligibility_versions v ON v.id = g.versions")}


def _check_all(engine: Any) -> dict[str, int]:
    with work_session(engine) as s:
        return eligibility.check_many(session=s)


def test_downgrade_and_upgrade_keep_the_digests_and_fill_their_versions(engine):
    from alembic import command

    path = paths.db_path()
    generate_demo(engine, 30, seed=5)
    assert _check_all(engine)["changed"] == 30
    before = _kept(path)
    assert len(before) == 30 and all(mine == row for mine, row in before.values())

    command.downgrade(db._alembic_config(engine), OLD)
    engine.dispose()
    assert not set(VERSIONS) & _columns(path)
    assert not _tables(path) & {"eligibility_versions"}
    con = sqlite3.connect(path)
    try:  # the digests stay; a decision row rewritten as an import would (another version) after the downgrade
        assert {r[0] for r in con.execute("SELECT decision_id FROM eligibility_digest")} == before.keys()
        with con:
            con.execute("UPDATE eligibility_decision SET rules_version = 'older' WHERE id = ?", (min(before),))
    finally:
        con.close()

    assert db.upgrade(engine, path) is not None  # after its backup
    assert db.db_revisions(path) == db.script_heads()
    after = _kept(path)
    assert after.keys() == before.keys() and all(mine == row for mine, row in after.values())
    assert after[min(before)][0][1] == "older"  # filled from the row as it is now
    con = sqlite3.connect(path)
    try:  # one row per pair of versions judged under, not one per decision
        assert con.execute("SELECT count(*) FROM eligibility_versions").fetchone()[0] == 2
    finally:
        con.close()
    with engine.connect() as con:  # the trigger and the columns as a fresh database has them
        assert integrity_schema.differences(lambda *a: con.exec_driver_sql(*a)) == []
    counts = _check_all(engine)
    assert counts["changed"] == 0 and counts["checked"] == 30
