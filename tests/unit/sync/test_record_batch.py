"""Issue 17 §3: an import's batch of rows checked column by column (cases/record_batch) gives the
per-row models' verdict exactly.

- a row the column rules clear passes ``record_checks.check_record`` unchanged: for every declared
  value of every record type, good rows and every kind of bad or odd value (each field type's
  failures, text that is not NFC, non-ASCII digits, control and bidi characters, too long, bad
  dates, unknown KATO codes, wrong JSON types, missing keys);
- a batch checked with them (``batch_checks.check_batch``) is refused at the same first line with
  the same message, or comes out with the same normalised values, as line by line;
- ``safe_text.plainly_clean`` and ``rules.iin.all_plainly_valid`` (their column-wide steps) agree
  with ``clean_text`` and ``plainly_valid``;
- good rows of every type take the fast path (no row left to the models);
- a worker's checks import neither SQLAlchemy nor the models.
"""

from __future__ import annotations

import copy
import functools
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migreg_desktop import ids
from migreg_desktop.cases import record_batch, record_checks
from migreg_desktop.cases.limits import CODE_MAX
from migreg_desktop.errors import ValidationError
from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.safe_text import TextProblem, clean_text, plainly_clean
from migreg_desktop.storage import records
from migreg_desktop.sync import batch_checks
from migreg_desktop.sync.container import Rejected

KATO = frozenset({"751110000", "194430100", "270000000"})
known = KATO.__contains__
ABSENT = record_batch.ABSENT
ROOT = Path(__file__).resolve().parents[3]


def make_iin(born: date, serial: int = 1, female: bool = False) -> str:
    """A valid IIN of someone born on ``born`` (the first serial with a check digit)."""
    century = 3 if born.year < 2000 else 5
    for n in range(serial, serial + 20):
        first11 = f"{born:%y%m%d}{century + female}{n:04d}"
        digit = iin_rules.check_digit(first11)
        if digit is not None:
            return first11 + str(digit)
    raise AssertionError("no IIN")


GOOD_IIN = make_iin(date(1979, 2, 16))


def good_row(record_type: str, i: int = 0) -> dict[str, Any]:
    uid = ids.uuid7()
    common = {"id": uid, "version": 1, "base_version": 0, "updated_at": "2025-02-08 05:39:45.000000"}
    rows: dict[str, dict[str, Any]] = {
        "persons": {
            "iin": make_iin(date(1979, 2, 16) + timedelta(days=i), i + 1), "surname": "Іскаков", "name": "Ерлан",
            "patronymic": "Нұрланұлы", "name_latin": "Iskakov Erlan", "birth_date": "1979-02-16", "sex": "M",
            "citizenship": "citizen", "phone": None, "address": "Алматы, Абай 5", "registered_since": None,
            "employment_status": "jobseeker", "jobseeker_since": "2024-01-05", "education": None,
            "profession": "жүргізуші", "kandas_certificate_no": None, "kandas_certificate_date": None,
            "origin_country": "Өзбекстан", "former_citizenship": None, "nationality": "қазақ",
            "owner_office": "ALM-KNV"},
        "cases": {
            "number": f"ALM-KNV-2025-{i:06d}", "office_code": "ALM-KNV", "kind": "kandas", "status": "withdrawn",
            "applicant_id": ids.uuid7(), "origin_kato": "194430100", "destination_kato": "270000000",
            "quota_year": 2025, "channel": "in_person", "employer": None, "has_job_offer": 0,
            "has_business_plan": 0, "housing": "rent", "notes": "Бірінші жол\nекінші жол", "legal_representative": None,
            "representative_basis": None, "clerk": "ALM-KNV", "applicant_iin": GOOD_IIN,
            "applicant_name": "Іскаков Ерлан Нұрланұлы", "family_size": 5, "created_at": "2025-02-08 05:39:45.000000",
            "owner_office": "ALM-KNV"},
        "family_members": {"case_id": ids.uuid7(), "person_id": ids.uuid7(), "relation": "spouse", "position": i % 3},
        "documents": {"case_id": ids.uuid7(), "person_id": ids.uuid7(), "doc_type": "identity_card",
                      "number": "016322028", "issued_on": "2025-02-08", "expires_on": None, "note": None},
        "status_changes": {"case_id": ids.uuid7(), "from_status": None, "to_status": "draft",
                           "at": "2025-02-08 05:39:45.000000", "by_user": "demo", "comment": None},
    }
    return {**common, **rows[record_type]}


TYPES = list(record_checks.RECORDS)


# ---- odd values by the kind of column -----------------------------------------------------------

def _texts(limit: int) -> list[Any]:
    return [None, ABSENT, "", " ", "   ", "a" * limit, "a" * (limit + 1), "ж" * limit, "ж" * (limit + 1),
            "e\u0301", "Пе\u0308тр", "\u2126", "\u212b", "a\x00b", "a\x1bb", "\x7f", "a\u0085b", "a\u202eb",
            "\u2067x", "\u200b", "\u200b\u200b", "\u3164", "\u0301", "\u0483", "a\nb", "\n", "a\r\nb", "a\tb",
            "\t", "\ud800", "a\U000e0001", "\u0378", "\u00a0А", "А\u2028", "—", "-", "Ａ", "١٢", "  А  ", "\ufeffA",
            5, 0, 1.5, True, False]


def _iins() -> list[Any]:
    born = date(1990, 5, 17)
    good = make_iin(born)
    wrong_check = good[:11] + str((int(good[11]) + 1) % 10)
    future = make_iin(iin_rules.today() + timedelta(days=400)) if iin_rules.today().year < 2099 else good
    return [None, ABSENT, good, make_iin(born, 7, female=True), wrong_check, good[:11], good + "0", "",
            " " + good, good[:6] + " " + good[6:], good.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            good.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), "abcdefghijkl", good[:6] + "0" + good[7:],
            good[:6] + "9" + good[7:], "991332300001", future, int(good), 1.5, True, "1" * 12, "0" * 12,
            make_iin(date(1900, 1, 1)), "\u0661" * 12]


_DAYS: list[Any] = [None, ABSENT, "2020-01-01", "1979-02-16", "20200101", "2020-W01-1", "2020-13-01", "2020-02-30",
                    "", " 2020-01-01", "2020-01-01 ", "２０２０-01-01", "2020-01-01T00:00", "2020-1-1", "x",
                    "2020\u201101-01", "9999-12-31", "0000-01-01", 20200101, 1.5, True, "a" * 65]
_KATOS: list[Any] = [None, ABSENT, "751110000", "194430100", "000000000", "", " 751110000", "751110000\n",
                     "７５１１１００００", 751110000, 1.5, True, "a" * 65]


def _choices(column: record_batch.Choice) -> list[Any]:
    some = sorted(column.choices)
    return [None, ABSENT, *some, some[0].upper(), some[0] + " ", " " + some[0], "", "bogus", "Ｍ", 1, True,
            some[0] + "\u0301"]


def _wholes(column: record_batch.Whole) -> list[Any]:
    return [None, ABSENT, column.low, column.high, column.low - 1, column.high + 1, (column.low + column.high) // 2,
            True, False, float(column.low), str(column.low), 10 ** 30, -(10 ** 30)]


def odd_values(column: record_batch.Column) -> list[Any]:
    if isinstance(column, record_batch.Text):
        return _texts(column.limit)
    if isinstance(column, record_batch.Choice):
        return _choices(column)
    if isinstance(column, record_batch.Whole):
        return _wholes(column)
    return {record_batch.Day: _DAYS, record_batch.Iin: _iins(), record_batch.Kato: _KATOS}[type(column)]


def _set(row: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    row = dict(row)
    if value is ABSENT:
        row.pop(name, None)
    else:
        row[name] = value
    return row


def _slow(record_type: str, row: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", record_checks.check_record(record_type, dict(row), kato_known=known)
    except ValidationError as exc:
        return "refused", exc.problems[0]


def assert_cleared_rows_pass_unchanged(record_type: str, rows: list[dict[str, Any]]) -> list[int]:
    unplain = record_batch.unplain_rows(record_type, rows, known)
    assert unplain == sorted(set(unplain))
    for i, row in enumerate(rows):
        if i not in unplain:
            assert _slow(record_type, row) == ("ok", {}), (i, row)
    return unplain


# ---- the column rules ----------------------------------------------------------------------------

def test_every_declared_value_has_a_column_rule():
    assert set(record_batch.COLUMNS) == set(record_checks.RECORDS)
    for record_type, model in record_checks.RECORDS.items():
        assert set(record_batch.COLUMNS[record_type]) == set(model.model_fields), record_type


def test_every_choice_is_a_clean_code():
    for columns in record_batch.COLUMNS.values():
        for column in columns.values():
            if isinstance(column, record_batch.Choice):
                assert all(clean_text(c, CODE_MAX) == c for c in column.choices)


@pytest.mark.parametrize("record_type", TYPES)
def test_good_rows_take_the_fast_path(record_type):
    rows = [good_row(record_type, i) for i in range(40)]
    assert assert_cleared_rows_pass_unchanged(record_type, rows) == []


@pytest.mark.parametrize("record_type", TYPES)
@pytest.mark.parametrize("where", [0, 2])
def test_an_odd_value_in_any_column_is_cleared_only_when_the_model_passes_it_unchanged(record_type, where):
    """Every odd value of every column, alone in a good batch; the rows the models refuse or change
    are left to them, and some of each column's odd values are (the test finds something)."""
    for name, column in record_batch.COLUMNS[record_type].items():
        left = 0
        for value in odd_values(column):
            rows = [good_row(record_type, i) for i in range(3)]
            rows[where] = _set(rows[where], name, value)
            unplain = assert_cleared_rows_pass_unchanged(record_type, rows)
            assert set(unplain) <= {where}, (name, value)
            left += bool(unplain)
            if _slow(record_type, rows[where]) != ("ok", {}):
                assert unplain == [where], (name, value)
        assert left, name


def test_a_row_the_model_normalises_is_left_to_it():
    rows = [good_row("persons", i) for i in range(3)]
    rows[1]["name"] = "Пе\u0308тр"
    rows[2]["iin"] = GOOD_IIN.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert record_batch.unplain_rows("persons", rows, known) == [1, 2]
    assert _slow("persons", rows[1]) == ("ok", {"name": "Пётр"})
    assert _slow("persons", rows[2]) == ("ok", {"iin": GOOD_IIN})


def test_rows_lacking_columns_are_read_key_by_key():
    rows = [good_row("family_members", i) for i in range(3)]
    del rows[1]["position"]
    assert assert_cleared_rows_pass_unchanged("family_members", rows) == []
    del rows[2]["relation"]
    assert assert_cleared_rows_pass_unchanged("family_members", rows) == [2]


def test_a_type_without_declared_values_has_no_rows_to_check():
    assert record_batch.unplain_rows("quota_ledger", [{"uid": "x", "persons": "not a number"}], known) == []
    assert record_checks.check_record("quota_ledger", {"uid": "x", "persons": "not a number"}, kato_known=known) == {}


# ---- random rows ---------------------------------------------------------------------------------

_TRICKY = st.text(alphabet="aZ0Жө \u0301\u0308\u00a0\u200b\u202e\u3164\x00\x1b\n\t\u2126-.", max_size=6)


@functools.cache
def _odd(record_type: str, name: str) -> st.SearchStrategy[Any]:
    """A column's odd values or tricky text: the same strategy for every draw, made once (making
    it for each draw cost most of these tests' time)."""
    return st.one_of(st.sampled_from(odd_values(record_batch.COLUMNS[record_type][name])), _TRICKY)


@st.composite
def _rows(draw: Any, record_type: str) -> list[dict[str, Any]]:
    rows = []
    for i in range(draw(st.integers(1, 4))):
        row = good_row(record_type, i)
        for name in record_batch.COLUMNS[record_type]:
            if draw(st.integers(0, 3)) == 0:
                row = _set(row, name, draw(_odd(record_type, name)))
        rows.append(row)
    return rows


@pytest.mark.parametrize("record_type", TYPES)
def test_random_rows_are_cleared_only_when_the_model_passes_them_unchanged(record_type):
    @settings(max_examples=150, deadline=None)
    @given(_rows(record_type))
    def check(rows: list[dict[str, Any]]) -> None:
        assert_cleared_rows_pass_unchanged(record_type, rows)

    check()


# ---- a whole batch: the same verdict and values as line by line ----------------------------------

def _line(record_type: str, data: dict[str, Any], deleted: bool = False) -> dict[str, Any]:
    return {"id": data.get("id", ids.uuid7()), "version": 1, "base_version": 0, "deleted": deleted, "owner": "ALM-KNV",
            "data": None if deleted else data}


def _outcome(fn: Any, rt: records.RecordType, batch: list[dict[str, Any]]) -> tuple[Any, ...]:
    batch = copy.deepcopy(batch)
    try:
        fn(rt, batch)
    except Rejected as exc:
        return "refused", exc.reason_code, exc.msgid, exc.params
    return "ok", batch


def _line_by_line(rt: records.RecordType, batch: list[dict[str, Any]]) -> None:
    cols = set(rt.columns())
    for line in batch:
        batch_checks.validate(rt, line, cols)
        batch_checks.check_values(rt, line, known)


def _checked(rt: records.RecordType, batch: list[dict[str, Any]]) -> None:
    batch_checks.check_batch(rt, batch, set(rt.columns()), known, {})


@pytest.mark.parametrize("record_type", TYPES)
def test_a_batch_gives_the_line_by_line_verdict_and_values(record_type):
    rt = records.get(record_type)
    assert rt is not None
    cols = set(rt.columns())

    @settings(max_examples=100, deadline=None)
    @given(_rows(record_type), st.lists(st.booleans(), min_size=4, max_size=4))
    def check(rows: list[dict[str, Any]], deleted: list[bool]) -> None:
        datas = [{k: v for k, v in row.items() if k in cols} for row in rows]
        batch = [_line(record_type, d, gone) for d, gone in zip(datas, deleted, strict=False)]
        assert _outcome(_checked, rt, batch) == _outcome(_line_by_line, rt, batch)

    check()


def test_a_batch_names_the_first_bad_line_and_keeps_normalised_values():
    rt = records.get("persons")
    assert rt is not None
    batch = [_line("persons", {k: v for k, v in good_row("persons", i).items() if k in set(rt.columns())})
             for i in range(6)]
    batch[1]["data"]["surname"] = "Ахме\u0301тов"  # normalised: NFC
    fine = copy.deepcopy(batch)
    _checked(rt, fine)
    assert fine[1]["data"]["surname"] == "Ахме́тов" and fine[2:] == batch[2:]
    batch[4]["data"]["sex"], batch[3]["data"]["birth_date"] = "X", "2020-02-30"
    assert _outcome(_checked, rt, batch) == _outcome(_line_by_line, rt, batch)
    assert _outcome(_checked, rt, batch)[3]["id"] == batch[3]["id"]


# ---- the column-wide steps ---------------------------------------------------------------------

def _clean_verdict(value: str, limit: int, multiline: bool) -> bool:
    try:
        return clean_text(value, limit, multiline=multiline) == value
    except TextProblem:
        return False


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_TRICKY, st.text(max_size=8)), max_size=5), st.sampled_from([3, 6, 64]), st.booleans())
def test_plainly_clean_values_are_given_back_by_clean_text(values, limit, multiline):
    if plainly_clean(values, limit, multiline):
        assert all(_clean_verdict(v, limit, multiline) for v in values)
    assert plainly_clean(values, limit, multiline) <= all(plainly_clean([v], limit, multiline) for v in values)


def test_plainly_clean_takes_the_common_texts():
    assert plainly_clean(["Іскаков", "Ерлан", "", "ALM-KNV", "Алматы, Абай 5"], 100)
    assert plainly_clean(["Бірінші жол\nекінші жол"], 4000, multiline=True)
    assert not plainly_clean(["Бірінші жол\nекінші жол"], 4000)
    assert not plainly_clean(["Пе\u0308тр"], 100) and not plainly_clean(["\u3164"], 100)


_IIN_LIKE = st.one_of(st.sampled_from(_iins()).filter(lambda v: isinstance(v, str)),
                      st.text(alphabet="0123456789", min_size=11, max_size=13),
                      st.builds(lambda d, n, f: make_iin(d, n, f), st.dates(date(1900, 1, 1), date(2099, 12, 31)),
                                st.integers(0, 9000), st.booleans()))


@settings(max_examples=400, deadline=None)
@given(st.lists(_IIN_LIKE, max_size=6))
def test_all_plainly_valid_is_plainly_valid_of_each(iins):
    today = iin_rules.today()
    assert iin_rules.all_plainly_valid(iins, today) == all(iin_rules.plainly_valid(i, today) for i in iins)


# ---- the worker's imports --------------------------------------------------------------------------

def test_the_checks_of_a_worker_import_neither_the_models_nor_sqlalchemy_nor_pydantic_models():
    """A worker process imports batch_checks (and the search words of reindex_cases): ~0.6 s and
    ~40 MB less without SQLAlchemy, sqlmodel and the record models (issue 17 §3)."""
    code = ("import sys, migreg_desktop.sync.batch_checks, migreg_desktop.storage.search, migreg_desktop.parallel; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic'}), "
            "sorted(m for m in sys.modules if m.startswith(('migreg_desktop.models', 'migreg_desktop.cases.record_checks'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["[]", "[]"], out.stdout
