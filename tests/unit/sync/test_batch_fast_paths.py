"""Issue 17 §3: each fast path of an import gives the slow path's verdict, on hostile input too.

- ``batch_checks._plainly_valid`` (a batch's package format checked in C) never passes a batch in
  which ``batch_checks.validate`` refuses a line;
- ``record_checks._changes`` (one comparison) gives what the key-by-key comparison gives;
- a text checker's short-value path (``case_document.text_check``) gives ``clean_text``'s verdict;
- ``RecordType.stored_rows`` gives the rows ``ids.to_db`` would give value by value;
- the optional rules moved inside ``| None`` still refuse every bad value and pass None.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from migreg_desktop import ids
from migreg_desktop.cases import case_document, record_checks
from migreg_desktop.errors import ValidationError
from migreg_desktop.safe_text import TextProblem, clean_text
from migreg_desktop.storage import records
from migreg_desktop.sync import batch_checks
from migreg_desktop.sync.container import Rejected

PERSONS = records.get("persons")
COLS = set(PERSONS.columns())


def _line(uid: str | None = None) -> dict[str, Any]:
    uid = uid or ids.uuid7()
    return {"id": uid, "version": 1, "base_version": 0, "deleted": False, "owner": "ALM-KNV",
            "data": {"id": uid, "surname": "Ахметов", "name": "Ерлан", "iin": None, "version": 1}}


def _per_line_ok(batch: list[dict[str, Any]]) -> bool:
    try:
        for line in batch:
            batch_checks.validate(PERSONS, line, COLS)
    except Rejected:
        return False
    return True


class _Str(str):
    pass


# One change to one line of a good batch: each must be refused by validate, or pass both.
MUTATIONS: dict[str, Any] = {
    "id int": lambda ln: ln.update(id=5),
    "id short": lambda ln: ln.update(id="abc"),
    "id with newline": lambda ln: ln.update(id=ln["id"] + "\n"),
    "id subclass": lambda ln: ln.update(id=_Str(ln["id"])),
    "no id": lambda ln: ln.pop("id"),
    "version 0": lambda ln: ln.update(version=0),
    "version bool": lambda ln: ln.update(version=True),
    "version float": lambda ln: ln.update(version=1.0),
    "version text": lambda ln: ln.update(version="1"),
    "no version": lambda ln: ln.pop("version"),
    "base_version none": lambda ln: ln.update(base_version=None),
    "base_version bool": lambda ln: ln.update(base_version=False),
    "deleted int": lambda ln: ln.update(deleted=0),
    "no deleted": lambda ln: ln.pop("deleted"),
    "owner int": lambda ln: ln.update(owner=1),
    "owner none": lambda ln: ln.update(owner=None),
    "owner subclass": lambda ln: ln.update(owner=_Str("ALM-KNV")),
    "data none": lambda ln: ln.update(data=None),
    "data list": lambda ln: ln.update(data=[1]),
    "no data": lambda ln: ln.pop("data"),
    "data unknown column": lambda ln: ln["data"].update(evil=1),
    "data other key": lambda ln: ln["data"].update(id=ids.uuid7()),
    "data no key": lambda ln: ln["data"].pop("id"),
    "data nested": lambda ln: ln["data"].update(surname={"a": 1}),
    "data list value": lambda ln: ln["data"].update(surname=["a"]),
    "data float": lambda ln: ln["data"].update(version=1.5),
    "deleted without data": lambda ln: ln.update(deleted=True, data=None),
    "deleted with junk data": lambda ln: ln.update(deleted=True, data=[1, 2]),
}


def test_a_good_batch_takes_the_fast_path():
    batch = [_line() for _ in range(50)]
    assert batch_checks._plainly_valid(PERSONS, batch, COLS) and _per_line_ok(batch)


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("where", [0, 24, 49])
def test_the_fast_path_passes_a_batch_only_when_every_line_passes(mutation, where):
    batch = [_line() for _ in range(50)]
    MUTATIONS[mutation](batch[where])
    if batch_checks._plainly_valid(PERSONS, batch, COLS):
        assert _per_line_ok(batch), mutation


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.floats(allow_nan=True), st.text(max_size=5),
                    st.uuids().map(str), st.lists(st.integers(), max_size=1),
                    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1))
_LINES = st.fixed_dictionaries({}, optional={
    "id": _VALUES, "version": _VALUES, "base_version": _VALUES, "deleted": _VALUES, "owner": _VALUES,
    "data": st.one_of(_VALUES, st.dictionaries(st.sampled_from(["id", "surname", "evil", "version"]), _VALUES,
                                               max_size=4))})


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=4), st.integers(0, 3))
def test_the_fast_path_never_passes_what_validate_refuses(lines, good):
    batch = [_line() for _ in range(good)] + lines
    if batch_checks._plainly_valid(PERSONS, batch, COLS):
        assert _per_line_ok(batch)


# ---- record_checks._changes ------------------------------------------------------------------

_FIELD_VALUES = st.one_of(st.none(), st.integers(0, 3), st.booleans(), st.text(alphabet="aé\u0301", max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcde"), _FIELD_VALUES), st.dictionaries(st.sampled_from("abcdef"), _FIELD_VALUES))
def test_changes_are_those_the_key_by_key_comparison_finds(fields, data):
    assert record_checks._changes(fields, data) == {k: v for k, v in fields.items() if k in data and v != data[k]}


def test_a_row_of_decomposed_text_gives_its_nfc_values_as_changes():
    row = {"id": ids.uuid7(), "surname": "Ахметов", "name": "П\u0435\u0308тр", "version": 1}
    assert record_checks.check_record("persons", row, kato_known=lambda k: True) == {"name": "Пётр"}


# ---- the text checker's short-value path ------------------------------------------------------

def _verdict(fn: Any, value: Any) -> tuple[str, Any]:
    try:
        return ("ok", fn(value))
    except TextProblem as exc:
        return ("refused", exc.msgid)
    except PydanticCustomError as exc:
        return ("refused", (exc.context or {})["msgid"])


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=140), st.sampled_from([3, 64, 100]), st.booleans())
def test_the_text_checker_gives_clean_texts_verdict(value, limit, multiline):
    check = case_document.text_check(limit, multiline=multiline)
    assert _verdict(check, value) == _verdict(lambda v: clean_text(v, limit, multiline=multiline), value)


# ---- ids in the rows of a bulk insert ---------------------------------------------------------

@pytest.mark.parametrize("odd", [None, "P-OLD-7", "01A24B87-5C74-72FC-B2DF-B64B62F6AA1F", ""])
def test_stored_rows_give_what_to_db_gives_value_by_value(odd):
    fam = records.get("family_members")
    keys = ("id", "case_id", "person_id", "relation", "position", "version", "updated_at")
    datas = [dict(zip(keys, (ids.uuid7(), ids.uuid7(), ids.uuid7(), "spouse", i, 1, "2026-01-01"), strict=True))
             for i in range(5)]
    datas[2]["person_id"] = odd
    order, rows = fam.stored_rows(keys, copy.deepcopy(datas))
    assert sorted(order) == sorted(keys) and order[-3:] == ["id", "case_id", "person_id"]
    assert rows == [tuple(ids.to_db(d[k]) if k in fam.id_columns() else d[k] for k in order) for d in datas]


# ---- optional rules: None passes without a call, every bad value is still refused --------------

@pytest.mark.parametrize(("record_type", "field", "bad"), [
    ("persons", "sex", "X"), ("persons", "citizenship", "mars"), ("persons", "employment_status", "boss"),
    ("persons", "iin", "123"), ("persons", "birth_date", "2020-13-45"), ("persons", "jobseeker_since", 5),
    ("cases", "channel", "pigeon"), ("cases", "housing", "castle"), ("cases", "origin_kato", "000000000"),
    ("cases", "applicant_iin", "１２３"), ("status_changes", "from_status", "bogus"),
])
def test_an_optional_rule_passes_none_and_refuses_a_bad_value(record_type, field, bad):
    good = {
        "persons": {"surname": "Ахметов", "name": "Ерлан"},
        "cases": {"kind": "resettler", "status": "draft", "quota_year": 2025, "family_size": 1},
        "status_changes": {"to_status": "draft"},
    }[record_type]
    known = {"751110000"}.__contains__
    assert record_checks.check_record(record_type, {**good, field: None}, kato_known=known) == {}
    with pytest.raises(ValidationError) as caught:
        record_checks.check_record(record_type, {**good, field: bad}, kato_known=known)
    assert caught.value.problems[0][0] == field
