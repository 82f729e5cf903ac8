"""Referral to the kandas adaptation and integration centre (issue 14 §2.3, Rules §9–10), kk and
ru: the persons with a recorded stay and its dates at the oblast; the whole family with blank
dates where none is recorded; kandas cases only; offered by the print dialog for a kandas case."""

from __future__ import annotations

import pytest

from tests.forms_helpers import pdf_text
from tests.integration.test_adaptation import oblast  # noqa: F401  (fixture)

TITLE = {"kk": "Қандастарды бейімдеу және кіріктіру орталығына жолдама",
         "ru": "Направление в центр адаптации и интеграции кандасов"}
POINTS = {"kk": "Қағидалардың 2-тармағының 3) тармақшасына, 9 және 10-тармақтарына",
          "ru": "подпунктом 3) пункта 2, пунктами 9 и 10 Правил"}


def _text(cli, tmp_path, number, lang):  # noqa: ANN001, ANN202
    out = tmp_path / f"referral-{lang}.pdf"
    done = cli("form", "adaptation_referral", number, "--lang", lang, "--out", str(out), "--json")
    assert done.code == 0, done.err
    return " ".join(pdf_text(out, raw=True).split())


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_recorded_stay_is_printed_with_its_dates(cli, oblast, tmp_path, lang):  # noqa: F811
    added = cli("adaptation", "add", oblast["kandas"], "--kind", "adaptation_centre", "--from", "2026-02-01",
                "--to", "2026-05-31", "--person", oblast["son"], "--json")
    assert added.code == 0, added.err
    text = _text(cli, tmp_path, oblast["kandas"], lang)
    assert TITLE[lang] in text and POINTS[lang] in text
    assert "Оралбаев Ерлан" in text and "01.02.2026 – 31.05.2026" in text
    assert "Оралбаева Гүлнар" not in text  # only the person referred


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_without_a_recorded_stay_the_family_is_referred(cli, printed, tmp_path, lang):
    text = _text(cli, tmp_path, printed["kandas"], lang)
    assert TITLE[lang] in text
    assert "Оралбаев Қайрат Бақытұлы" in text and "Оралбаева Гүлнар" in text and "__________ –" in text
    other = cli("form", "adaptation_referral", printed["resettler"], "--lang", lang, "--out",
                str(tmp_path / "no.pdf"), "--json")
    assert other.code == 2 and not (tmp_path / "no.pdf").exists()
