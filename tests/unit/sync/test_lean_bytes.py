"""Issue 17 §1: migration 0800_lean_bytes converts a database in place (after its backup) and the
office sees the same cases, the same search hits and the same sync records as before."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from migreg_desktop.storage import integrity_schema, search

from .kit import Office, add_case

pytestmark = pytest.mark.real_migrations
OLD = "0700_lean_sync_log"
SEARCHES = ("Оралбаев", "oralbaev", "000001", "KNV-2", "Kurman", "нет-такого")


def _sql(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _downgrade(office: Office) -> None:
    """The same data as an older program's database: schema at 0700, search words repeated."""
    from alembic import command

    from migreg_desktop.storage import db

    engine = office.engine()
    command.downgrade(db._alembic_config(engine), OLD)
    engine.dispose()
    con = sqlite3.connect(office.db)
    rows = con.execute("SELECT case_id, search_text FROM cases_fts").fetchall()
    con.execute("DELETE FROM cases_fts")  # the old program stored the Latin name's words again
    con.executemany("INSERT INTO cases_fts (case_id, search_text) VALUES (?, ?)",
                    [(cid, f"{text} {text}") for cid, text in rows])
    con.commit()
    con.close()


def _records(office: Office, receiver: str) -> dict[str, list[str]]:
    """Every record line an export to ``receiver`` would write (the package's content)."""
    from migreg_desktop import ids
    from migreg_desktop.storage import records
    from migreg_desktop.sync import export

    con = sqlite3.connect(office.db)
    ids.register_sql(con)  # the program's connections have id_db()/id_text() (issue 17 §1)
    try:
        where = export.pending_where(receiver, "district")
        params = {"receiver": receiver, "me": office.code}
        return {rt.name: [line for b in (export.sql_batches if export.sql_json(rt) else export.python_batches)(
                                  con, rt, where, params) for line in b] for rt in records.ordered()}
    finally:
        con.close()


def _seen(office: Office, numbers: list[str]) -> dict[str, Any]:
    shown = {n: office.ok("case", "show", n) for n in numbers}
    found = {q: sorted(r["number"] for r in office.ok("case", "list", "--search", q, "--limit", "100"))
             for q in SEARCHES}
    return {"show": shown, "search": found, "records": _records(office, "ALM-OBL")}


def test_upgrade_keeps_cases_search_and_sync_records(pair, tmp_path):  # noqa: ANN001
    district, _oblast = pair
    numbers = [add_case(district, tmp_path, n)["number"] for n in range(3)]
    reference = Office(tmp_path / "ref", district.code, district.capsys)
    shutil.copytree(district.dir, reference.dir)  # stays at the head: what the office saw
    _downgrade(district)
    assert _sql(district.db, "SELECT version_num FROM alembic_version") == [(OLD,)]
    assert _sql(district.db, "SELECT count(*) FROM sqlite_master WHERE name = 'ix_cases_applicant_name'") == [(1,)]

    after = _seen(district, numbers)  # opening the old database upgrades it

    from migreg_desktop.storage import db

    # to the head: 0800_lean_bytes and what is chained on it (0810_decision_confirmed)
    assert {r[0] for r in _sql(district.db, "SELECT version_num FROM alembic_version")} == set(db.script_heads())
    assert list((district.dir / "backups").iterdir()), "no backup before the upgrade"
    assert after == _seen(reference, numbers)
    assert sum(map(len, after["search"].values())) >= len(numbers)  # the searches do find cases
    fts_sql = _sql(district.db, "SELECT sql FROM sqlite_master WHERE name = 'cases_fts'")[0][0]
    # the words themselves are no longer kept (0850_contentless_search; filled again from the
    # database, as the downgrade left the index empty)
    assert "detail=column" in fts_sql and "columnsize=0" in fts_sql and "content=''" in fts_sql
    names = {r[0] for r in _sql(district.db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert not {"ix_cases_applicant_name", "ix_cases_quota_year", "ix_cases_year_number"} & names
    con = sqlite3.connect(district.db)
    try:  # converted in place = what a new database gets (a restore or doctor would refuse otherwise)
        assert integrity_schema.differences(con.execute) == []
    finally:
        con.close()


def test_search_text_keeps_each_word_once_in_order():
    assert search.search_text(["kasymov", "erlan", "kasymov", "erlan", "000001", "kasymov"]) == \
        "kasymov erlan 000001"


def test_the_stored_words_still_find_every_prefix():
    """detail=column keeps no positions: a query term is one word (prefix) or a zero-padded tail."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE f USING fts5(case_id UNINDEXED, search_text, detail=column, columnsize=0, "
                "tokenize='unicode61 remove_diacritics 2')")
    words = search.tokens("Оралбаев Қайрат Yerlan Kassymov", "ALM-KNV-2026-000595") + ["781130344101"]
    con.execute("INSERT INTO f VALUES ('c1', ?)", (search.search_text(words),))
    for typed in ("Оралба", "Oralbayev Қайрат", "KNV-595", "595", "7811", "781130344101", "kasym erl"):
        assert con.execute("SELECT case_id FROM f WHERE f MATCH ?", (search.fts_query(typed),)).fetchall() \
            == [("c1",)], typed
    assert con.execute("SELECT case_id FROM f WHERE f MATCH ?", (search.fts_query("Ахметов"),)).fetchall() == []
