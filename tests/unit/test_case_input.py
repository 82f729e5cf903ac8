"""The shape check of case documents and the argv reading of a failed command line."""

import pytest

from migreg_desktop import i18n
from migreg_desktop.cases import case_document, case_input, cases
from migreg_desktop.cli.usage import output_options
from migreg_desktop.fields import label


def test_the_shape_check_knows_every_case_and_document_field():
    assert set(case_input.CASE_TYPES) == set(cases.CASE_FIELDS)
    assert set(case_input.DOC_TYPES) == {"id", *cases.DOC_FIELDS}


def test_a_well_typed_document_has_no_shape_problems(make_case):
    for kind in ("kandas", "resettler", "intra_oblast"):
        assert case_document.shape_problems(make_case(kind)) == []


def test_null_is_always_a_fitting_value(make_case):
    data = make_case("kandas")
    data.update(family=None, documents=None, has_job_offer=None, quota_year=None)
    data["applicant"].update(patronymic=None, birth_date=None)
    assert case_document.shape_problems(data) == []


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_whole_list_has_a_label_without_a_number(lang):
    i18n.set_language(lang)
    for key in ("family", "documents"):
        assert "{" not in label(key)
    assert "2" in label("family.2.iin")


@pytest.mark.parametrize(("argv", "expected"), [
    (["--lang", "kk", "--json", "case", "list"], ("kk", True, None)),
    (["case", "list", "--lang=ru", "--data-dir=/x"], ("ru", False, "/x")),
    (["--data-dir", "/d", "case", "list", "--lang", "de"], (None, False, "/d")),
    (["case", "add", "--", "--json"], (None, False, None)),
    (["case", "list", "--lang"], (None, False, None)),
])
def test_output_options_read_from_argv(argv, expected):
    assert output_options(argv) == expected


def test_a_message_that_names_its_field_is_not_prefixed_twice():
    from migreg_desktop.errors import UserError

    i18n.set_language("ru")
    try:
        text = UserError("case {number}: there is no quota for its destination and year {year}", field="case",
                         number="ALM-KNV-2026-000003", year=2026).message()
        assert text.startswith("Дело ALM-KNV-2026-000003") and "Дело: дело" not in text
        assert UserError("unknown region {kato}", field="region", kato="1").message().startswith(label("region") + ": ")
    finally:
        i18n.set_language("en")
