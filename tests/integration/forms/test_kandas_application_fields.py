"""Issue 14: the kandas application form prints nationality, country of origin and former
citizenship (kk and ru); forms of the other kinds do not ask for them."""

from __future__ import annotations

import pytest

from ...forms_helpers import pdf_text


@pytest.mark.parametrize(("lang", "labels"), [
    ("kk", ("Ұлты қазақ / казах", "Шыққан елі Моңғолия / Монголия", "Бұрынғы азаматтығы Моңғолия / Монголия")),
    ("ru", ("Национальность қазақ / казах", "Страна выезда Моңғолия / Монголия",
            "Прежнее гражданство Моңғолия / Монголия")),
])
def test_kandas_application_prints_origin_fields(cli, printed, tmp_path, lang, labels):
    out = tmp_path / f"kandas-{lang}.pdf"
    assert cli("form", "application_kandas", printed["kandas"], "--lang", lang, "--out", str(out)).code == 0
    text = " ".join(pdf_text(out, raw=True).split())
    for words in labels:
        assert words in text, words
    other = tmp_path / f"resettler-{lang}.pdf"
    assert cli("form", "application_resettler", printed["resettler"], "--lang", lang, "--out", str(other)).code == 0
    assert labels[0].split()[0] not in " ".join(pdf_text(other, raw=True).split())
