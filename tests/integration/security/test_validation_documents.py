"""Issue 12 item 2: the case documents (services/case_document) — each limit, each Unicode class,
and IIN digits folded to ASCII before the one-active-case-per-IIN check."""

from __future__ import annotations

import copy

import pytest

from migreg_desktop.cases import cases
from migreg_desktop.cases.case_document import CaseDoc, read_case
from migreg_desktop.cases.case_input import CASE_TYPES, DOC_TYPES, MEMBER_TYPES
from migreg_desktop.errors import DuplicateError, ValidationError
from migreg_desktop.safe_text import fold_digits, printable
from tests.conftest import count_rows, example_case

IIN = "850612312344"  # the resettler example's applicant
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in IIN)
ARABIC_INDIC = "".join(chr(0x0660 + int(d)) for d in IIN)


def problems_of(data) -> dict[str, str]:  # noqa: ANN001
    with pytest.raises(ValidationError) as err:
        read_case(data)
    return {f: m for f, m, _p in err.value.problems}


def with_surname(value: str) -> dict:
    data = example_case("resettler")
    data["applicant"]["surname"] = value
    return data


def test_the_documents_know_every_key_of_a_case_file():
    assert set(CaseDoc.model_fields) == {*CASE_TYPES, "applicant", "family", "documents"}
    family = CaseDoc.model_fields["family"]
    assert set(family.annotation.__args__[0].__args__[0].model_fields) == set(MEMBER_TYPES)  # list[FamilyMemberDoc]
    assert set(CaseDoc.model_fields["documents"].annotation.__args__[0].__args__[0].model_fields) == set(DOC_TYPES)


def test_the_examples_pass_unchanged():
    for kind in ("kandas", "resettler", "intra_oblast"):
        data = example_case(kind)
        values = read_case(data)
        assert values["applicant"]["surname"] == data["applicant"]["surname"]


@pytest.mark.parametrize(("field", "edit", "limit"), [
    ("applicant.surname", lambda d: d["applicant"].update(surname="А" * 101), "100"),
    ("applicant.name", lambda d: d["applicant"].update(name="x" * 10_000_000), "100"),
    ("family.2.patronymic", lambda d: d["family"][1].update(patronymic="Ж" * 101), "100"),
    ("notes", lambda d: d.update(notes="n" * 4001), "4000"),
    ("documents.1.note", lambda d: d["documents"][0].update(note="n" * 4001), "4000"),
    ("applicant.address", lambda d: d["applicant"].update(address="a" * 501), "500"),
    ("family", lambda d: d.update(family=[d["family"][0]] * 31), "30"),
    ("family", lambda d: d.update(family=[d["family"][0]] * 10_000), "30"),
    ("documents", lambda d: d.update(documents=[d["documents"][0]] * 51), "50"),
])
def test_each_limit(field, edit, limit):
    data = example_case("resettler")
    edit(data)
    found = problems_of(data)
    assert list(found) == [field]
    assert limit in ValidationError([(field, found[field], {"max": int(limit), "length": 0, "count": 0})]).message()


def test_limits_hold_at_their_edge():
    data = example_case("resettler")
    data["applicant"]["surname"] = "А" * 100
    data["notes"] = "n" * 4000
    data["family"] = [copy.deepcopy(data["family"][0]) for _ in range(30)]
    assert len(read_case(data)["family"]) == 30


def test_the_longest_names_survive_show_update_and_export(session):
    from migreg_desktop.cases.record_checks import check_record

    data = example_case("resettler")
    data["applicant"].update(surname="Щ" * 100, name="щ" * 100, patronymic="Ш" * 100, name_latin=None)
    case = cases.register_case(data, session=session, confirm_warnings=True)
    shown = cases.case_dict(case, session=session)
    assert len(shown["applicant"]["name_latin"]) > 300  # щ → shch
    cases.update_case(case.id, shown, session=session, confirm_warnings=True)
    row = {"kind": case.kind, "status": case.status, "quota_year": case.quota_year, "family_size": case.family_size,
           "applicant_name": case.applicant_name, "applicant_iin": case.applicant_iin}
    assert len(row["applicant_name"]) == 302
    assert check_record("cases", row, kato_known=lambda k: True) == {}
    assert check_record("persons", shown["applicant"], kato_known=lambda k: True) == {}


def test_a_decomposed_name_is_stored_composed_nfc():
    decomposed = "Ахметова Йе\u0308"  # Й is NFC already; ё written as е + combining diaeresis
    values = read_case(with_surname(decomposed))
    assert values["applicant"]["surname"] == "Ахметова Йё"
    long_decomposed = "е\u0308" * 100  # 200 code points, 100 letters once composed
    assert read_case(with_surname(long_decomposed))["applicant"]["surname"] == "ё" * 100


@pytest.mark.parametrize(("value", "rule"), [
    ("\x00", "control"), ("Ахметов\x00", "control"), ("\x1b[31mАхметов", "control"),
    ("Ахметов\x9b2J", "control"), ("Ахметов\n", "control"), ("Ах\tметов", "control"),
    ("\u202eвотемхА", "direction"), ("Ахметов\u2066", "direction"), ("\u202aАхметов", "direction"),
    ("\u200b", "invisible"), ("\u200b\u200c\u200d\ufeff", "invisible"), ("\u2060\u3164", "invisible"),
    ("\u0301\u0301", "invisible"),
    ("\ud800", "invalid"), ("Ахметов\U000e0000", "invalid"),
])
def test_each_unicode_class_is_refused(value, rule):
    message = problems_of(with_surname(value))["applicant.surname"]
    assert rule in message


def test_notes_may_have_several_lines_but_no_escape_codes():
    data = example_case("resettler")
    data["notes"] = "first line\nsecond\ttabbed"
    assert read_case(data)["notes"] == "first line\nsecond\ttabbed"
    data["notes"] = "ok\x1b[2J"
    assert "control" in problems_of(data)["notes"]


def test_blank_names_stay_a_missing_value_not_an_invisible_one(session):
    data = with_surname("   ")
    with pytest.raises(ValidationError) as err:
        cases.register_case(data, session=session)
    assert [(f, m) for f, m, _p in err.value.problems] == [("applicant.surname", "is required")]


def test_digits_of_any_script_fold_to_ascii():
    assert fold_digits(FULL_WIDTH) == IIN and fold_digits(ARABIC_INDIC) == IIN
    assert fold_digits("１２a３") == "12a3"
    assert read_case(_with_iin(FULL_WIDTH))["applicant"]["iin"] == IIN


def _with_iin(iin: str) -> dict:
    data = example_case("resettler")
    data["applicant"]["iin"] = iin
    return data


@pytest.mark.parametrize("spelling", [FULL_WIDTH, ARABIC_INDIC])
def test_a_second_active_case_in_other_digits_is_a_duplicate(engine, spelling):
    from migreg_desktop.storage.db import session_scope

    with session_scope(engine, actor="t") as s:
        first = cases.register_case(_with_iin(spelling), session=s)
        assert first.applicant_iin == IIN  # stored in ASCII, whatever was typed
    before = count_rows(engine, "cases", "person")
    for again in (IIN, FULL_WIDTH, ARABIC_INDIC):
        with pytest.raises(DuplicateError), session_scope(engine, actor="t") as s:
            cases.register_case(_with_iin(again), session=s)
    assert count_rows(engine, "cases", "person") == before


def test_superscript_digits_are_not_an_iin():
    message = problems_of_service(_with_iin("²" * 12))
    assert "digits only" in message["applicant.iin"]


def problems_of_service(data) -> dict[str, str]:  # noqa: ANN001
    from migreg_desktop.rules import iin

    result = iin.check(data["applicant"]["iin"])
    assert not result.valid
    return {"applicant.iin": result.errors[0][0]}


def test_messages_are_in_the_clerks_language():
    from migreg_desktop import i18n

    for lang, word in (("ru", "Фамилия"), ("kk", "Тегі")):
        i18n.set_language(lang)
        with pytest.raises(ValidationError) as err:
            read_case(with_surname("\x1b"))
        text = err.value.message()
        assert word in text and "U+001B" in text and "control character" not in text, text


def test_printable_escapes_what_would_drive_a_terminal():
    assert printable("Ахметов") == "Ахметов"
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("\x00\x9b\u202e\u2066\ud800") == "\\x00\\x9b\\u202e\\u2066\\ud800"
    assert printable("line\nnext\tcol") == "line\nnext\tcol"
