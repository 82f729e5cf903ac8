"""Audit gaps found in review (issue 7 audit fix): printing, family/document edits, Cyrillic
person filter, eligibility check. Each reproduces the issue's CLI steps."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import EXAMPLES, cli_in
from tests.snapshots import copied

ADMIN_PW = "admin-pass-1"


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):
    """Three example cases, an admin 'boss' logged in for every command; returns {kind: number}
    (built once per process, copied: tests/snapshots.py)."""
    def build(root):
        run = cli_in(capsys, root / data_dir.name)
        assert run("init", "--office", "ALM-KNV").code == 0
        numbers = {kind: run("case", "add", "--file", str(EXAMPLES / f"case-{kind}.json"), "--json").json["number"]
                   for kind in ("kandas", "resettler", "intra_oblast")}
        assert run("user", "add", "boss", "--role", "admin").code == 0
        return numbers

    monkeypatch.setenv("MIGREG_PASSWORD", ADMIN_PW)
    numbers = copied("audit-gaps-office", build, data_dir.parent, tmp_path_factory)
    monkeypatch.setenv("MIGREG_USER", "boss")
    return numbers


def _entries(cli, *filters):
    result = cli("audit", "list", "--limit", "1000", *filters, "--json")
    assert result.code == 0, result.err
    return result.json


def _case(cli, number):
    return cli("case", "show", number, "--json").json


# ---- 2. printing -------------------------------------------------------------------------------

def test_form_print_is_audited_without_personal_data(cli, office, tmp_path):
    case = _case(cli, office["resettler"])
    out = tmp_path / "receipt.pdf"
    assert cli("form", "receipt", office["resettler"], "--lang", "kk", "--out", str(out)).code == 0
    [entry] = _entries(cli, "--action", "print")
    assert (entry["entity"], entry["entity_id"], entry["user"]) == ("case", case["id"], "boss")
    assert entry["changes"] == {"form": [None, "receipt"], "lang": [None, "kk"], "output": [None, "file"]}
    text = json.dumps(entry["changes"], ensure_ascii=False)
    for personal in (case["applicant"]["iin"], case["applicant"]["surname"], str(out), out.name):
        assert personal not in text
    assert [e["entity_id"] for e in _entries(cli, "--action", "print", "--case", office["resettler"])] == [case["id"]]


def test_register_print_is_audited_with_office_and_period(cli, office, tmp_path):
    args = ("register", "--office", "ALM-KNV", "--from", "2026-01-01", "--to", "2026-12-31", "--lang", "ru")
    assert cli(*args, "--out", str(tmp_path / "r.pdf")).code == 0
    [entry] = _entries(cli, "--action", "print")
    assert (entry["entity"], entry["entity_id"]) == ("register", "ALM-KNV")
    assert entry["changes"]["period"] == [None, "2026-01-01/2026-12-31"]
    assert entry["changes"]["office"] == [None, "ALM-KNV"] and entry["changes"]["form"] == [None, "register"]


def test_slips_of_a_day_one_entry_per_case(cli, office, tmp_path):
    day = date.today().isoformat()
    result = cli("slips", "--day", day, "--lang", "ru", "--out", str(tmp_path / "s.pdf"), "--json")
    assert result.code == 0 and result.json["cases"] == 3
    entries = _entries(cli, "--action", "print")
    ids = {_case(cli, n)["id"] for n in office.values()}
    assert {e["entity_id"] for e in entries} == ids and len(entries) == 3
    assert all(e["changes"]["day"] == [None, day] for e in entries)


def test_refused_print_leaves_no_entry(cli, office, tmp_path):
    assert cli("form", "receipt", "ALM-KNV-2026-999999", "--lang", "ru", "--out", str(tmp_path / "x.pdf")).code == 2
    assert _entries(cli, "--action", "print") == []


# ---- 3. family members and documents ----------------------------------------------------------

def _update(cli, number, doc, tmp_path):
    path = tmp_path / "upd.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("case", "update", number, "--file", str(path), "--json")
    assert result.code == 0, result.err
    return _entries(cli, "--action", "update")[0]["changes"]


def test_family_member_name_change_with_id_is_audited_old_to_new(cli, office, tmp_path):
    doc = _case(cli, office["resettler"])
    old = doc["family"][1]["name"]
    doc["family"][1]["name"] = "Нұрлан"
    changes = _update(cli, office["resettler"], doc, tmp_path)
    assert changes == {"family.2.name": [old, "Нұрлан"]}


def test_family_member_without_id_shows_who_left_and_who_came(cli, office, tmp_path):
    doc = _case(cli, office["resettler"])
    for member in doc["family"]:
        member.pop("id")
    old = doc["family"][0]
    doc["family"][0] = dict(old, name="Алия")
    changes = _update(cli, office["resettler"], doc, tmp_path)
    full = f"{old['surname']} {old['name']} {old['patronymic']}"
    assert changes == {"family.1": [full, full.replace(old["name"], "Алия")]}


def test_added_and_removed_members_and_documents_are_visible(cli, office, tmp_path):
    doc = _case(cli, office["resettler"])
    gone = doc["family"].pop(2)
    doc["family"].append({"iin": None, "surname": "Сейіт", "name": "Ата", "relation": "parent"})
    doc["family"][0]["relation"] = "other"
    doc["documents"][0]["number"] = "045612399"
    removed_doc = doc["documents"].pop(1)
    doc["documents"].append({"doc_type": "kandas_certificate", "number": "K-1"})
    changes = _update(cli, office["resettler"], doc, tmp_path)
    assert changes["family.1.relation"] == ["spouse", "other"]
    assert changes["family.3"] == [f"{gone['surname']} {gone['name']}", "Сейіт Ата"]
    assert changes["documents.1.number"] == ["045612378", "045612399"]
    assert changes["documents.2"][0] == removed_doc["doc_type"]
    assert changes["documents.3"][1] == "kandas_certificate K-1"


def test_unchanged_update_writes_no_entry(cli, office, tmp_path):
    doc = _case(cli, office["resettler"])
    before = len(_entries(cli, "--action", "update"))
    path = tmp_path / "same.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert cli("case", "update", office["resettler"], "--file", str(path), "--json").json["version"] == doc["version"]
    assert len(_entries(cli, "--action", "update")) == before


# ---- 4. person filter in Cyrillic -------------------------------------------------------------

@pytest.mark.parametrize("text", ["Құрманғазы", "құрманғазы", "ҚҰРМАНҒАЗЫ", "Курмангазы", "kurmangazy", "Құрман"])
def test_person_filter_finds_kazakh_surnames_in_any_spelling(cli, office, text):
    case_id = _case(cli, office["resettler"])["id"]
    found = _entries(cli, "--person", text)
    assert found and {e["entity_id"] for e in found} == {case_id}


def test_person_filter_finds_russian_surname_and_family_member_and_iin(cli, office):
    kandas = _case(cli, office["kandas"])
    surname = kandas["applicant"]["surname"]
    assert {e["entity_id"] for e in _entries(cli, "--person", surname.upper())} >= {kandas["id"]}
    assert {e["entity_id"] for e in _entries(cli, "--person", surname.lower())} >= {kandas["id"]}
    resettler = _case(cli, office["resettler"])
    member_iin = resettler["family"][1]["iin"]
    assert {e["entity_id"] for e in _entries(cli, "--person", member_iin)} == {resettler["id"]}
    assert _entries(cli, "--person", "Ноусучфамилия") == []


# ---- 5. eligibility check ---------------------------------------------------------------------

def test_check_case_is_audited_with_the_verdict(cli, office):
    case_id = _case(cli, office["kandas"])["id"]
    result = cli("check", office["kandas"], "--json")
    verdict = result.json["verdict"]
    [entry] = _entries(cli, "--action", "check")
    assert (entry["entity"], entry["entity_id"]) == ("case", case_id)
    assert entry["changes"]["verdict"][1] == verdict
    cli("check", office["kandas"], "--json")
    newest = _entries(cli, "--action", "check")[0]
    assert newest["changes"]["verdict"] == [verdict, verdict]  # the previous verdict → this one


def test_check_all_is_one_summary_entry(cli, office):
    result = cli("check", "--all", "--json")
    [entry] = _entries(cli, "--action", "check")
    assert entry["entity_id"] is None and entry["changes"]["checked"] == [None, result.json["checked"]]
