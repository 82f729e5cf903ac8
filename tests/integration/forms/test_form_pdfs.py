"""Every form in kk and ru: the text comes back from the PDF exactly, fonts are embedded."""

from __future__ import annotations

import pytest

from migreg_desktop.i18n import translator

from ...forms_helpers import pdf_fonts, pdf_pages, pdf_text

# form → (case kind to print it for, applicant name in Kazakh letters, title msgid)
FORMS = {
    "application_kandas": ("kandas", "Оралбаев Қайрат Бақытұлы",
                           "Application for inclusion in the regional quota of kandases"),
    "application_resettler": ("resettler", "Құрманғазы Ерлан Сағатұлы",
                              "Application for inclusion in the regional quota of resettlers"),
    "application_intra_oblast": ("intra_oblast", "Сейітқали Дәурен Маратұлы", "Application for intra-oblast resettlement"),
    "receipt": ("resettler", "Құрманғазы Ерлан Сағатұлы", "Receipt for the documents accepted"),
    "decision": ("kandas", "Оралбаев Қайрат Бақытұлы", "Decision on the right to take part"),
    "support": ("resettler", "Құрманғазы Ерлан Сағатұлы", "Calculation of support measures"),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_renders_with_name_number_title_and_embedded_fonts(cli, printed, tmp_path, form, lang):
    kind, name, title = FORMS[form]
    out = tmp_path / f"{form}-{lang}.pdf"
    result = cli("form", form, printed[kind], "--lang", lang, "--out", str(out), "--json")
    assert result.code == 0, result.err
    assert result.json == {"form": form, "case": printed[kind], "lang": lang, "out": str(out),
                           "pages": pdf_pages(out)}
    text = _flat(pdf_text(out))
    t = translator(lang)
    expected_title = t.pgettext("form", title)
    page_label = t.pgettext("form", "Page {page} of {total}").format(page=1, total=pdf_pages(out))
    assert expected_title != title  # really translated
    assert name in text and printed[kind] in text and expected_title in text
    assert page_label in text  # «1-бет, барлығы 1» / «стр. 1 из 1»
    fonts = pdf_fonts(out)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert {f["name"].split("+")[-1] for f in fonts} <= {"NotoSans-Regular", "NotoSans-Bold"}
    assert not list(tmp_path.glob("*.part"))


def test_kazakh_letters_come_back_exactly(cli, printed, tmp_path):
    out = tmp_path / "kk.pdf"
    assert cli("form", "application_resettler", printed["resettler"], "--lang", "kk", "--out", str(out)).code == 0
    text = pdf_text(out)
    for word in ("Құрманғазы", "Әлия", "Бекқызы", "Нұрсұлтан", "Айгүл", "Ұзынағаш", "өңірлік", "ЖСН"):
        assert word in text
    assert all(ch in text for ch in "әғқңөұүі")


def test_receipt_in_both_languages_on_one_sheet(cli, printed, tmp_path):
    out = tmp_path / "both.pdf"
    result = cli("form", "receipt", printed["kandas"], "--both", "--out", str(out), "--json")
    assert result.code == 0 and result.json["pages"] == 1 == pdf_pages(out)
    text = _flat(pdf_text(out))
    assert "Құжаттарды қабылдағаны туралы қолхат" in text and "Расписка о приёме документов" in text
    assert text.count(printed["kandas"]) >= 4  # header and how-to-check line of each copy


def test_application_refused_for_a_case_of_another_kind(cli, printed, tmp_path):
    out = tmp_path / "x.pdf"
    result = cli("form", "application_kandas", printed["resettler"], "--lang", "ru", "--out", str(out))
    assert result.code == 2 and "application_kandas" in result.err and not out.exists()


def test_forms_json_lists_the_names(cli):
    result = cli("forms", "--json")
    assert result.code == 0
    assert result.json == ["application_kandas", "application_resettler", "application_intra_oblast",
                           "receipt", "decision", "support", "refusal_receipt", "adaptation_referral", "register"]


def test_decision_sheet_says_not_checked_yet_for_an_unchecked_case(cli, printed, data_dir, tmp_path):
    import sqlite3

    with sqlite3.connect(data_dir / "migreg.sqlite3") as con:  # a case nobody has checked
        con.execute("DELETE FROM eligibility_decision")
    out = tmp_path / "d.pdf"
    assert cli("form", "decision", printed["kandas"], "--lang", "ru", "--out", str(out)).code == 0
    assert "Право на участие ещё не проверено" in _flat(pdf_text(out))
