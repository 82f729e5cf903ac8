"""Issue 14 through the CLI: a case that is not eligible cannot reserve a quota place (exit 1,
nothing written); a stale or missing decision refuses too; `support --json` keys."""

from __future__ import annotations

import json
import sqlite3

from migreg_desktop.rules import RULES_VERSION

from ..conftest import EXAMPLES, count_rows


def _setup(cli, data_dir, changes=None):  # noqa: ANN001, ANN202
    assert cli("init", "--office", "ALM-KNV").code == 0
    assert cli("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "resettler",
               "--office", "ALM-KNV", "--slots", "10").code == 0
    doc = json.loads((EXAMPLES / "case-resettler.json").read_text(encoding="utf-8"))
    for key, value in (changes or {}).items():
        doc[key] = value
    path = data_dir.parent / "case.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    added = cli("case", "add", "--file", str(path), "--json")
    assert added.code == 0, added.err
    return added.json["number"]


def _written(data_dir):  # noqa: ANN001, ANN202
    from migreg_desktop.storage.db import make_engine

    engine = make_engine(data_dir / "migreg.sqlite3")
    try:
        return count_rows(engine, "quota_ledger", "audit_entry")
    finally:
        engine.dispose()


def test_a_case_failing_a_rule_cannot_reserve(cli, data_dir):
    expired = [{"doc_type": "identity_card", "number": "045612378", "issued_on": "2011-05-14",
                "expires_on": "2021-05-13"}, {"doc_type": "address_certificate", "issued_on": "2026-03-01"}]
    number = _setup(cli, data_dir, {"documents": expired})
    assert cli("check", number, "--json").json["verdict"] == "not_eligible"
    before = _written(data_dir)
    refused = cli("quota", "reserve", number, "--json")
    assert refused.code == 1, refused.out + refused.err
    assert "not eligible" in refused.json["error"]["message"]
    assert "Documents complete and valid" in refused.json["error"]["message"]
    assert _written(data_dir) == before


def test_only_quota_room_may_fail_and_open_questions_may_reserve(cli, data_dir):
    number = _setup(cli, data_dir, {"documents": [{"doc_type": "identity_card", "number": "1"},  # no expiry
                                                  {"doc_type": "address_certificate"}]})
    assert cli("check", number, "--json").json["verdict"] == "needs_check"
    support = cli("support", number, "--json").json  # a forecast that does not say "eligible"
    assert support["entitlement"] == "forecast" and "open questions" in support["entitlement_text"]
    reserved = cli("quota", "reserve", number, "--json")
    assert reserved.code == 0 and reserved.json["persons"] == 1


def test_a_stale_or_missing_decision_refuses(cli, data_dir):
    number = _setup(cli, data_dir)
    db = data_dir / "migreg.sqlite3"
    with sqlite3.connect(db) as con:  # the case changed behind the decision's back
        con.execute("UPDATE cases SET version = version + 1 WHERE number = ?", (number,))
    before = _written(data_dir)
    stale = cli("quota", "reserve", number, "--json")
    assert stale.code == 1 and "changed after its last check" in stale.json["error"]["message"]
    with sqlite3.connect(db) as con:  # another program's rules
        con.execute("UPDATE eligibility_decision SET case_version = (SELECT version FROM cases WHERE number = ?), "
                    "rules_version = '2020.1'", (number,))
    assert "rules changed" in cli("quota", "reserve", number, "--json").json["error"]["message"]
    with sqlite3.connect(db) as con:
        con.execute("UPDATE eligibility_decision SET rules_version = ?, reference_version = 'mci=1999.1'",
                    (RULES_VERSION,))
    assert "reference data changed" in cli("quota", "reserve", number, "--json").json["error"]["message"]
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM eligibility_decision")
    missing = cli("quota", "reserve", number, "--json")
    assert missing.code == 1 and "no eligibility decision" in missing.json["error"]["message"]
    assert _written(data_dir) == before
    assert cli("check", number, "--json").code in (0, 1)
    assert cli("quota", "reserve", number, "--json").code == 0  # checked again: it may reserve


def test_support_json_keys_and_words(cli, data_dir):
    number = _setup(cli, data_dir, {"has_job_offer": True})
    doc = cli("support", number, "--json").json
    assert {"entitlement", "entitlement_text", "verdict", "measures", "total_tenge", "employer_tenge",
            "total_mci", "mci_tenge", "year", "persons"} <= set(doc)
    assert doc["entitlement"] == "forecast" and doc["forecast"] is True
    employer = next(m for m in doc["measures"] if m["measure"] == "employer_subsidy")
    assert employer["recipient"] == "employer" and doc["employer_tenge"] == employer["tenge"] == 1_730_000
    assert doc["total_tenge"] == sum(m["tenge"] for m in doc["measures"] if m["recipient"] == "family")
    rent = next(m for m in doc["measures"] if m["measure"] == "rent_utilities")
    assert rent["range_mci"] == [15, 30] and rent["rate_mci"] == 15 and rent["rate_rule_confirmed"] is False
    assert "15–30" in rent["detail"] and "confirmed" in rent["detail"]
    assert all("reference" in m and "reference_text" in m for m in doc["measures"])
    ru = cli("support", number, lang="ru").out
    assert "прогноз" in ru and "Работодатель" in ru and "15–30 МРП" in ru
    kk = cli("support", number, lang="kk").out
    assert "болжам" in kk and "субсидия" in kk.lower() and "өтемақы" not in kk


def test_kandas_to_almaty_city_is_shown_nothing(cli, data_dir):
    """Issue 14, wrong answer 1: a kandas moving to Almaty city was shown 1,081,250 ₸."""
    assert cli("init", "--office", "ALM-KNV").code == 0
    doc = json.loads((EXAMPLES / "case-kandas.json").read_text(encoding="utf-8"))
    doc["destination_kato"] = "750000000"
    path = data_dir.parent / "k.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    number = cli("case", "add", "--file", str(path), "--json").json["number"]
    support = cli("support", number, "--json").json
    assert (support["entitlement"], support["measures"], support["total_tenge"]) == ("none", [], 0)
    assert support["entitlement_reason"] == "not_eligible"


def test_decision_and_support_sheets_agree_for_a_case_not_entitled(cli, data_dir, tmp_path):
    """Issue 14, wrong answer 1: the decision sheet said "not entitled" while the support sheet of
    the same case printed a total. Both now read the same answer: no measure, total 0."""
    from ..forms_helpers import pdf_text

    assert cli("init", "--office", "ALM-KNV").code == 0
    doc = json.loads((EXAMPLES / "case-kandas.json").read_text(encoding="utf-8"))
    doc["destination_kato"] = "750000000"
    path = tmp_path / "k.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    number = cli("case", "add", "--file", str(path), "--json").json["number"]
    assert cli("check", number, "--json").json["verdict"] == "not_eligible"
    out = tmp_path / "support.pdf"
    assert cli("form", "support", number, "--lang", "ru", "--out", str(out)).code == 0
    text = " ".join(pdf_text(out).split())
    assert "Права на меры поддержки нет — дело не отвечает условиям" in text  # the state and why
    assert "Итого" not in text and "₸" not in text  # no amounts at all
    assert "Субсидия на переезд:" not in text and "7 028 125" not in text and "1 081 250" not in text


def test_an_unknown_quota_is_amber_until_the_figure_is_given(cli, data_dir):
    """Issue 14 §9: East Kazakhstan's 2025 resettler quota is unknown — "to be confirmed", not "no
    quota"; once the oblast gives the figure (and an allotment) the usual counting applies."""
    assert cli("init", "--office", "ALM-KNV").code == 0
    doc = json.loads((EXAMPLES / "case-resettler.json").read_text(encoding="utf-8"))
    doc.update(destination_kato="630000000", quota_year=2025)
    path = data_dir.parent / "r.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    number = cli("case", "add", "--file", str(path), "--json").json["number"]

    def quota_room(lang="en"):  # noqa: ANN001, ANN202
        rules = cli("check", number, "--json", lang=lang).json["rules"]
        return next(r for r in rules if r["rule"] == "quota_room")

    unknown = quota_room("ru")
    assert unknown["result"] == "needs_check" and "ещё не известна" in unknown["reason"]
    assert "Восточно-Казахстанская" in unknown["reason"]
    assert cli("quota", "set", "--year", "2025", "--region", "630000000", "--kind", "resettler",
               "--limit", "300").code == 0
    assert cli("quota", "allot", "--year", "2025", "--region", "630000000", "--kind", "resettler",
               "--office", "ALM-KNV", "--slots", "10").code == 0
    assert quota_room()["result"] == "ok"
