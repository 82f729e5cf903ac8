"""Issue 17 §1: migration 0840_blob_ids stores UUIDs as 16 bytes, in place, and nothing a clerk
or a partner office sees changes: every row, every id, every search, the change log, the
re-check (which must find every case's latest decision again: a text id bound against a blob
column would silently match nothing, and every case would look changed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from migreg_desktop import ids, paths
from migreg_desktop.cases.case_list import CaseFilter, list_cases
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.eligibility import eligibility
from migreg_desktop.storage import db, search

from ..conftest import work_session

OLD = "0830_decision_digest"
# table -> id columns, as the migration converts them
ID_COLUMNS = {
    "person": ("id",), "cases": ("id", "applicant_id"), "family_member": ("id", "case_id", "person_id"),
    "document": ("id", "case_id", "person_id"), "status_change": ("id", "case_id"),
    "eligibility_decision": ("case_id",), "eligibility_confirmed": ("case_id",), "quota_ledger": ("case_id",),
    "adaptation_measure": ("id", "case_id", "person_id"), "sync_staging": ("person_id",),
    "sync_duplicate": ("person_id", "other_id"),
}
ODD = "P-OLD-PROGRAM-7"  # an id that is no canonical UUID (a partner's older program): stays text


def _columns(con: Any, table: str) -> list[str]:
    return [r[1] for r in con.exec_driver_sql(f"PRAGMA table_info({table})")]


def _snapshot(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the converted tables (ids as text), the search rows and the change log."""
    out = {}
    with engine.connect() as con:
        for table, id_cols in ID_COLUMNS.items():
            # cases: its rowid too (the list's key, = rid from 0850 on: kept through both ways)
            # results: as text, packed or not (0880_packed_results is undone on the way down)
            cols = (["rowid"] if table == "cases" else []) + [
                f"id_text({c})" if c in id_cols else "packed_text(results)" if c == "results" else c
                for c in _columns(con, table) if c != "rid"]
            out[table] = sorted(map(tuple, con.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table}")), key=repr)
        out["log"] = sorted(map(tuple, con.exec_driver_sql(
            "SELECT record_type, record_id, version, deleted, owner, route FROM sync_change_view")))
    return out


def _forms(engine: Any) -> set[str]:
    """The storage classes the id columns hold."""
    with engine.connect() as con:
        return {r[0] for table, id_cols in ID_COLUMNS.items() for c in id_cols
                for r in con.exec_driver_sql(f"SELECT DISTINCT typeof({c}) FROM {table} WHERE {c} IS NOT NULL")}


def _searches(engine: Any, queries: list[str]) -> dict[str, list[str]]:
    with work_session(engine) as s:
        return {q: sorted(r["id"] for r in list_cases(CaseFilter(search=q), limit=500, db=s)) for q in queries}


def _words_as_stored_before(engine: Any) -> None:
    """The search rows an older program kept (a downgrade cannot bring contentless words back):
    each case's id and words, made from the database as the program makes them."""
    raw = engine.raw_connection()
    try:
        con = raw.driver_connection
        rids = dict(con.execute("SELECT rowid, id FROM cases"))
        con.executemany("INSERT INTO cases_fts (case_id, search_text) VALUES (?, ?)",
                        [(rids[rid], words) for rid, words in search.words_of(con, list(rids.values()))])
        con.execute("DELETE FROM meta WHERE key = 'search_rebuild'")
        con.commit()
    finally:
        raw.close()


def _fill(engine: Any) -> list[str]:
    generate_demo(engine, 60, seed=5)
    with work_session(engine) as s:
        eligibility.check_many(session=s)
        c1, c2 = s.connection().execute(text("SELECT id_text(id), id_text(applicant_id) FROM cases "
                                             "ORDER BY number LIMIT 2")).all()
        s.connection().execute(text(
            "INSERT INTO adaptation_measure (id, case_id, person_id, kind, started_on, outcome, note, created_at) "
            "VALUES (id_db(:m), id_db(:c), id_db(:p), 'language_course', '2026-02-01', 'ongoing', '', '2026-02-01')"),
            {"m": ids.uuid7(), "c": c1[0], "p": c1[1]})
        for pid in (c1[1], c2[1]):
            s.connection().execute(text("INSERT INTO sync_staging (person_id, sender, sequence, name_key, match, "
                                        "imported_at) VALUES (id_db(:p), 'ALM-TLD', 1, 'x', 'suspect', '2026-02-01')"),
                                   {"p": pid})
        s.connection().execute(text("INSERT INTO sync_duplicate (person_id, other_id, match_kind, status, created_at) "
                                    "VALUES (id_db(:a), id_db(:b), 'iin', 'open', '2026-02-01')"), {"a": c1[1], "b": c2[1]})
        rows = s.connection().execute(text("SELECT number, applicant_iin, applicant_name FROM cases ORDER BY number "
                                           "LIMIT 3")).all()
    return [rows[0][0], rows[1][1][:6], rows[2][2].split()[0], "KNV", rows[0][0][-3:]]


def test_downgrade_then_upgrade_keep_every_row_id_search_and_decision(engine):
    from alembic import command

    queries = _fill(engine)
    before, found = _snapshot(engine), _searches(engine, queries)
    assert all(found.values()) and len(before["cases"]) == 60 and before["eligibility_decision"]
    assert _forms(engine) == {"blob"}

    command.downgrade(db._alembic_config(engine), OLD)
    assert _forms(engine) == {"text"} and _snapshot(engine) == before
    _words_as_stored_before(engine)
    with engine.begin() as con:  # the old program wrote an odd id as it came
        con.exec_driver_sql("INSERT INTO person (id, surname, name, citizenship, version, base_version, updated_at) "
                            f"VALUES ('{ODD}', 'Оралбаев', 'Қайрат', 'kandas', 1, 0, '2026-01-01 00:00:00')")
    before = _snapshot(engine)
    engine.dispose()

    assert db.upgrade(engine, paths.db_path()) is not None  # after its backup
    with engine.connect() as con:  # the words came along: nothing to rebuild
        assert con.exec_driver_sql("SELECT count(*) FROM meta WHERE key = 'search_rebuild'").scalar() == 0
    assert db.db_revisions(paths.db_path()) == db.script_heads()
    assert _forms(engine) == {"blob", "text"}
    with engine.connect() as con:
        assert con.exec_driver_sql(f"SELECT typeof(id) FROM person WHERE id = '{ODD}'").scalar() == "text"
        assert con.exec_driver_sql("SELECT count(*) FROM person WHERE typeof(id) = 'text'").scalar() == 1
    assert _snapshot(engine) == before
    assert _searches(engine, queries) == found

    stored = before["eligibility_decision"]
    with work_session(engine) as s:  # nothing changed: a re-check of all and of one stores nothing new
        eligibility.check_many(session=s)
        eligibility.recheck_changed([found[queries[0]][0]], session=s)
    assert _snapshot(engine)["eligibility_decision"] == stored

    case_id = found[queries[0]][0]
    version = next(r[2] for r in before["log"] if r[:2] == ("cases", case_id))
    with engine.begin() as con:  # the triggers log an edit under the text id
        con.execute(text("UPDATE cases SET notes = 'seen' WHERE id = id_db(:c)"), {"c": case_id})
    log = {r[:2]: r[2:] for r in _snapshot(engine)["log"]}
    assert log[("cases", case_id)][:2] == (version + 1, 0)


def test_a_search_index_without_words_is_filled_again_on_opening(engine):
    """0850's downgrade cannot keep the words: the next start rebuilds the index from the database."""
    from alembic import command

    queries = _fill(engine)
    found = _searches(engine, queries)
    command.downgrade(db._alembic_config(engine), "0840_blob_ids")
    engine.dispose()
    reopened = db.open_database()
    try:
        assert _searches(reopened, queries) == found
        with reopened.connect() as con:
            assert con.exec_driver_sql("SELECT count(*) FROM meta WHERE key = 'search_rebuild'").scalar() == 0
    finally:
        reopened.dispose()


def test_a_re_indexed_case_is_found_by_its_new_words_only(engine):
    """A contentless row cannot be deleted: the old generation's row stays but is left out."""
    queries = _fill(engine)
    case_id = _searches(engine, queries[:1])[queries[0]][0]
    with work_session(engine) as s:
        number = s.connection().execute(text("SELECT number FROM cases WHERE id = id_db(:c)"), {"c": case_id}).scalar()
        search.index_case(s, case_id, search.tokens("Зейнолла Қабдолов", number))
    after = _searches(engine, [number, "Зейнолла", queries[2]])
    assert after[number] == [case_id] and after["Зейнолла"] == [case_id]
    assert case_id not in after[queries[2]]  # the old surname no longer finds it
    with work_session(engine) as s:
        con = s.connection().connection.driver_connection
        assert search.dead_rows(con) == 0  # it had generation 0: counted from its first bump on
        assert search.compact(con) == 60
        assert con.execute("SELECT count(*) FROM case_search").fetchone()[0] == 0
    assert _searches(engine, [number, "Зейнолла"]) == {number: [case_id], "Зейнолла": []}
