"""Issue 14 on paper: the support sheet prints the forecast as a forecast, the employer subsidy
in its own table outside the family's total, "*" on amounts not confirmed; a kind with no
measures prints the state and why, without any amount (kk and ru)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES
from tests.forms_helpers import pdf_text

WORDS = {
    "kk": ("Қолдау шараларының есебі (болжам)", "Отбасына барлығы (болжам): 9 017 625 ₸",
           "Жұмыс берушіге төленеді (отбасының жалпы сомасына кірмейді)", "Жұмыс берушіге субсидия*",
           "1 730 000 ₸", "* Ресми мәтінмен әлі расталмаған"),
    "ru": ("Расчёт мер поддержки (прогноз)", "Итого семье (прогноз): 9 017 625 ₸",
           "Выплачивается работодателю (не входит в сумму семьи)", "Субсидия работодателю*", "1 730 000 ₸",
           "* Ещё не подтверждено официальным текстом"),
}


def _add(cli, tmp_path, kind, **changes):  # noqa: ANN001, ANN003, ANN202
    doc = json.loads((EXAMPLES / f"case-{kind}.json").read_text(encoding="utf-8"))
    doc.update(changes)
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    added = cli("case", "add", "--file", str(path), "--json")
    assert added.code == 0, added.err
    return added.json["number"]


def _sheet(cli, tmp_path, number, lang):  # noqa: ANN001, ANN202
    out = tmp_path / f"support-{number}-{lang}.pdf"
    assert cli("form", "support", number, "--lang", lang, "--out", str(out)).code == 0
    return " ".join(pdf_text(out, raw=True).split())


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_forecast_with_the_employer_apart(cli, data_dir, tmp_path, lang):
    assert cli("init", "--office", "ALM-KNV").code == 0
    number = _add(cli, tmp_path, "resettler", has_job_offer=True, employer="ТОО «Павлодар Агро»")
    support = cli("support", number, "--json").json
    assert support["employer_tenge"] == 400 * 4325 and support["total_tenge"] == (280 + 180 + 1625) * 4325
    text = _sheet(cli, tmp_path, number, lang)
    for words in WORDS[lang]:
        assert words in text, words
    family_total = text.index(WORDS[lang][1])
    assert text.index(WORDS[lang][2]) > family_total  # the employer's table comes after the family's total


@pytest.mark.parametrize(("lang", "reason"), [
    ("kk", "Қолдау шараларына құқығы жоқ —"), ("ru", "Права на меры поддержки нет —")])
def test_a_kind_with_no_measures_prints_no_amount(cli, data_dir, tmp_path, lang, reason):
    assert cli("init", "--office", "ALM-KNV").code == 0
    number = _add(cli, tmp_path, "intra_oblast")  # the Rules give intra-oblast movers no quota measures
    assert cli("support", number, "--json").json["entitlement_reason"] == "no_measures"
    text = _sheet(cli, tmp_path, number, lang)
    assert reason in text and "₸" not in text
