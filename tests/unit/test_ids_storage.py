"""Issue 17 §1: how an id is stored (ids.py) — one conversion, the same in Python, in the SQL
functions of the program's connections and in the plain SQL of the change-log triggers."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from migreg_desktop import ids
from migreg_desktop.cases import cases
from migreg_desktop.models import Case, Person

ODD = ("P-OLD-7", "01A24B87-5C74-72FC-B2DF-B64B62F6AA1F", "01a24b875c7472fcb2dfb64b62f6aa1f",
       "01a24b87-5c74-72fc-b2df-b64b62f6aa1g", "")


def test_a_canonical_uuid_is_16_bytes_and_comes_back_the_same():
    for uid in ids.uuid7_many(50):
        stored = ids.to_db(uid)
        assert isinstance(stored, bytes) and len(stored) == 16 and ids.from_db(stored) == uid


@pytest.mark.parametrize("odd", ODD)
def test_any_other_id_is_kept_as_it_came(odd):
    assert ids.to_db(odd) == odd and ids.from_db(odd) == odd
    assert ids.to_db(None) is None and ids.from_db(None) is None


def test_sql_functions_and_plain_sql_agree_with_python():
    con = sqlite3.connect(":memory:")
    ids.register_sql(con)
    con.execute("CREATE TABLE t (v)")
    values = [*ids.uuid7_many(20), *ODD]
    con.executemany("INSERT INTO t VALUES (id_db(?))", [(v,) for v in values])
    stored = [r[0] for r in con.execute("SELECT v FROM t ORDER BY rowid")]
    assert stored == [ids.to_db(v) for v in values]
    assert [r[0] for r in con.execute("SELECT id_text(v) FROM t ORDER BY rowid")] == values
    assert [r[0] for r in con.execute(f"SELECT {ids.text_sql('v')} FROM t ORDER BY rowid")] == values
    assert con.execute("SELECT id_db(id_db(?))", (values[0],)).fetchone()[0] == stored[0]  # idempotent


def test_a_text_id_bound_against_a_blob_column_matches_nothing(session, make_case):
    """The trap every raw statement must avoid: the ORM converts, raw SQL needs id_db()."""
    case = cases.register_case(make_case("kandas"), session=session)
    con = session.connection()
    assert con.execute(text("SELECT typeof(id) FROM cases WHERE id = id_db(:c)"), {"c": case.id}).scalar() == "blob"
    assert con.execute(text("SELECT count(*) FROM cases WHERE id = :c"), {"c": case.id}).scalar() == 0
    assert session.get(Case, case.id).applicant_id == case.applicant_id  # the ORM sees text
    assert session.get(Person, case.applicant_id) is not None
