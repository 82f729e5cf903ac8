"""`migreg form refusal_receipt CASE` (issue 14, ⚠ 2026 voluntary resettlement rules): the missing
and expired documents listed in kk and ru, the act named in full; nothing to refuse → exit 2, no file."""

from __future__ import annotations

import json

import pytest

from ...conftest import EXAMPLES
from ...forms_helpers import pdf_fonts, pdf_text

EXPECTED = {
    "kk": ("Құжаттарды қабылдаудан бас тарту туралы қолхат", "жеке куәлік", "мерзімі 13.05.2021 өткен",
           "тұрақты тіркеу туралы анықтама", "ұсынылмаған",
           "Алматы облыстық мәслихатының 2024 жылғы 29 наурыздағы № 18-85 шешімімен бекітілген"),
    "ru": ("Расписка об отказе в приёме документов", "удостоверение личности", "срок истёк 13.05.2021",
           "справка о постоянной регистрации", "не представлен",
           "утверждённые решением маслихата Алматинской области от 29 марта 2024 года № 18-85"),
}


def _case(cli, data_dir, documents=None):  # noqa: ANN001, ANN202
    assert cli("init", "--office", "ALM-KNV").code == 0
    doc = json.loads((EXAMPLES / "case-resettler.json").read_text(encoding="utf-8"))
    if documents is not None:
        doc["documents"] = documents
    path = data_dir.parent / "case.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    added = cli("case", "add", "--file", str(path), "--json")
    assert added.code == 0, added.err
    return added.json["number"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_refusal_receipt_lists_expired_and_missing(cli, data_dir, tmp_path, lang):
    expired = [{"doc_type": "identity_card", "number": "045612378", "issued_on": "2011-05-14",
                "expires_on": "2021-05-13"}]  # and no certificate of permanent registration
    number = _case(cli, data_dir, expired)
    out = tmp_path / f"refusal-{lang}.pdf"
    done = cli("form", "refusal_receipt", number, "--lang", lang, "--out", str(out), "--json")
    assert done.code == 0, done.err
    assert done.json["form"] == "refusal_receipt" and done.json["pages"] == 1
    text = " ".join(pdf_text(out, raw=True).split())
    for words in EXPECTED[lang]:
        assert words in text, words
    assert number in text and "⚠" not in text and "*" in text  # unconfirmed basis: footnote mark
    assert all(f["emb"] == "yes" for f in pdf_fonts(out))
    forms = cli("forms", "--json").json
    assert "refusal_receipt" in forms


def test_nothing_to_refuse_is_refused(cli, data_dir, tmp_path):
    number = _case(cli, data_dir)  # the example's papers are complete and valid
    out = tmp_path / "nothing.pdf"
    refused = cli("form", "refusal_receipt", number, "--lang", "ru", "--out", str(out), "--json")
    assert refused.code == 2 and "нет отсутствующих или просроченных документов" in refused.json["error"]["message"]
    assert not out.exists()
