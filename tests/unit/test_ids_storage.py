"""Issue 17 §1: how an id is stored (ids.py) — one conversion, the same in Python, in the SQL
functions of the program's connections and in the plain SQL of the change-log triggers."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st
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


# ---- ids.to_db_all: a whole column at once, always what to_db gives value by value -------------

class _Text(str):
    """A str subclass: to_db leaves it as it is; the column path must too."""


_HOSTILE = [*ODD, None, 7, b"\x00" * 16, _Text("01a24b87-5c74-72fc-b2df-b64b62f6aa1f"),
            "01a24b87-5c74-72fc-b2df-b64b62f6aa1f\n", "01a24b87-5c74-72fc-b2df-b64b62f6aa1", "01a24b87-5c74-72fc-b2df-b64b62f6aa1ff",
            "01a24b875-c74-72fc-b2df-b64b62f6aa1f", "０1a24b87-5c74-72fc-b2df-b64b62f6aa1f"]


def test_a_column_of_canonical_ids_is_converted_at_once_as_one_by_one():
    values = ids.uuid7_many(100)
    assert ids.to_db_all(values) == [ids.to_db(v) for v in values]
    assert ids.to_db_all([]) == []


@pytest.mark.parametrize("bad", _HOSTILE, ids=repr)
@pytest.mark.parametrize("where", [0, 5, 9])
def test_one_value_not_canonical_anywhere_in_a_column_is_kept_as_it_came(bad, where):
    values: list = ids.uuid7_many(10)
    values[where] = bad
    got = ids.to_db_all(values)
    assert got == [ids.to_db(v) for v in values]
    assert [type(v) for v in got] == [type(ids.to_db(v)) for v in values]


def test_a_short_and_a_long_id_that_join_into_canonical_text_are_not_converted():
    """36 + 36 characters joined, yet neither value is a UUID: each value's length counts."""
    a, b = ids.uuid7_many(2)
    values = [a[:-1], a[-1] + b, *ids.uuid7_many(3)]
    assert [len(v) for v in values[:2]] == [35, 37] and len("".join(values)) == 36 * len(values)
    assert ids.to_db_all(values) == [ids.to_db(v) for v in values] and ids.to_db_all(values)[0] == a[:-1]


_HEX = "0123456789abcdefABCDEF-"


@given(st.lists(st.one_of(st.none(), st.text(alphabet=_HEX, min_size=34, max_size=38), st.text(max_size=40),
                          st.uuids().map(str), st.uuids().map(lambda u: str(u).upper())), max_size=12))
def test_any_column_gives_what_to_db_gives_value_by_value(values):
    got = ids.to_db_all(values)
    assert got == [ids.to_db(v) for v in values]
    assert [type(v) for v in got] == [type(ids.to_db(v)) for v in values]


def test_uuid7_ids_are_version_7_rfc_variant_unique_and_ascending():
    """Each id a canonical UUIDv7 (RFC 9562: version 7, variant 10), every one new, and in the
    order made (time first, then a counter): also across calls and past 4,096 in one millisecond."""
    import uuid

    made = ids.uuid7_many(10_000) + ids.uuid7_many(3) + [ids.uuid7()]
    parsed = [uuid.UUID(u) for u in made]
    assert all(str(p) == u for p, u in zip(parsed, made, strict=True))  # canonical: lower case, dashes
    assert {p.version for p in parsed} == {7} and {p.variant for p in parsed} == {uuid.RFC_4122}
    assert len(set(made)) == len(made) and made == sorted(made)
    assert ids.uuid7_many(0) == []
