"""The settlement list from draft to every akimat (issue 16 §4, Rules §6–8): `settlements fix`
(warning after 15 December, a fixed list refuses edits and imports until an admin reopens it),
`settlements publish` (reference package, kk/ru PDF, the Labour Exchange workbook),
`settlements sent` and `settlements recipients`; a district is refused."""

from __future__ import annotations

import stat
from datetime import date

import pytest
from openpyxl import load_workbook

from migreg_desktop.storage.db import session_scope
from tests.forms_helpers import pdf_fonts, pdf_text

YEAR = "2026"  # the shipped sample list's year


@pytest.fixture
def oblast(cli, data_dir):  # noqa: ANN001, ANN201
    assert cli("init", "--office", "ALM-OBL").code == 0
    return data_dir


def test_fix_then_edits_and_imports_are_refused_until_reopened(cli, oblast, tmp_path):
    result = cli("settlements", "fix", "--year", YEAR, "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["status"] == "fixed" and doc["count"] == 8 and doc["fixed_on"] == date.today().isoformat()
    # Rules §7: fixed today, after 15 December 2025: still done, with a warning
    assert doc["warnings"] and "2026" in doc["warnings"][0]["message"]
    listed = cli("settlements", "list", "--year", YEAR, "--json").json
    assert listed["status"] == "fixed"
    assert {e["fixed_on"] for e in listed["entries"]} == {date.today().isoformat()}

    assert cli("settlements", "fix", "--year", YEAR, "--json").code == 1  # already fixed
    out = tmp_path / "list.csv"
    assert cli("settlements", "export", str(out), "--year", YEAR).code == 0
    result = cli("settlements", "import", str(out), "--json")
    assert result.code == 1 and "reopen" in result.json["error"]["message"]

    result = cli("settlements", "fix", "--year", YEAR, "--reopen", "--json")
    assert result.code == 0 and result.json["status"] == "open"
    assert cli("settlements", "list", "--year", YEAR, "--json").json["status"] == "open"
    assert cli("settlements", "import", str(out), "--json").code == 0
    assert cli("settlements", "fix", "--year", YEAR, "--reopen").code == 1  # not fixed: nothing to reopen
    assert {"fix", "reopen"} <= set(_audit_actions())


def _audit_actions() -> list[str]:
    from sqlmodel import select

    from migreg_desktop.models import AuditEntry
    from migreg_desktop.refdata.setup import open_existing

    engine = open_existing()
    with session_scope(engine, actor="tester") as session:
        out = [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.entity == "settlement_list"))]
    engine.dispose()
    return out


def test_fix_before_the_deadline_has_no_warning(oblast, data_dir):
    from migreg_desktop.department import settlement_desk
    from migreg_desktop.refdata.setup import open_existing

    engine = open_existing()
    with session_scope(engine, actor="tester") as session:
        doc = settlement_desk.fix(2026, session=session, today=date(2025, 12, 10))
    engine.dispose()
    assert doc["warnings"] == [] and doc["fixed_on"] == "2025-12-10"


def test_window_edit_of_a_fixed_list_is_refused(cli, oblast):
    from migreg_desktop.refdata import settlements
    from migreg_desktop.refdata.setup import open_existing

    assert cli("settlements", "fix", "--year", YEAR).code == 0
    engine = open_existing()
    with session_scope(engine, actor="tester") as session, pytest.raises(settlements.ListFixed):
        settlements.delete_entry(2026, "191000000", session=session)
    engine.dispose()


def test_nothing_to_fix(cli, oblast):
    result = cli("settlements", "fix", "--year", "2031", "--json")
    assert result.code == 1


def test_publish_writes_package_pdfs_and_exchange_workbook(cli, oblast, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert cli("settlements", "publish", "--year", YEAR, "--out", str(out)).code == 1  # not fixed yet
    assert cli("keys", "init").code == 0
    assert cli("settlements", "fix", "--year", YEAR).code == 0
    result = cli("settlements", "publish", "--year", YEAR, "--out", str(out), "--json", lang="ru")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["refdata"]["status"] == "exported" and "settlement_list" in doc["refdata"]["versions"]
    assert (out / "refdata-2026.migreg").is_file()
    kk, ru = (pdf_text(out / f"settlements-2026-{lang}.pdf") for lang in ("kk", "ru"))
    assert "Қонаев қаласы" in kk and "Жамбыл ауданы" in kk and "Байсерке" in kk
    assert "город Конаев" in ru and "Перечень" in ru and "Жамбылский район" in ru
    assert {f["name"].split("+")[-1] for f in pdf_fonts(out / "settlements-2026-kk.pdf")} >= {"NotoSans-Regular"}
    wb = load_workbook(out / "settlements-2026-enbek.xlsx")
    ws = wb.worksheets[0]
    assert ws.title == "Переселение"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "КАТО" and len(rows) == 9 and rows[1][1] == "191000000" and rows[1][-1] == 2026
    for f in doc["pdf"] + [doc["xlsx"]]:
        assert stat.S_IMODE((out / f.split("/")[-1]).stat().st_mode) == 0o600


def test_sent_and_recipients(cli, oblast):
    today = date.today().isoformat()
    assert cli("settlements", "sent", "--year", YEAR, "--to", "LMC", "--on", today).code == 1  # not fixed
    assert cli("settlements", "fix", "--year", YEAR).code == 0
    doc = cli("settlements", "recipients", "--year", YEAR, "--json").json
    kinds = {r["kind"] for r in doc["recipients"]}
    assert kinds == {"labour_mobility_centre", "career_centre", "rural_akimat"}
    assert doc["sent"] == 0 and len(doc["not_sent"]) == doc["total"] > 100
    assert sum(r["kind"] == "career_centre" for r in doc["recipients"]) == 11

    assert cli("settlements", "sent", "--year", YEAR, "--to", "lmc", "--on", today, "--json").code == 0
    result = cli("settlements", "sent", "--year", YEAR, "--to", "Карьерный центр города Конаев", "--on", today,
                 "--json")
    assert result.code == 0 and result.json["key"] == "ALM-KNV"
    akimat = next(r for r in doc["recipients"] if r["kind"] == "rural_akimat")
    assert cli("settlements", "sent", "--year", YEAR, "--to", akimat["key"], "--on", today).code == 0
    doc = cli("settlements", "recipients", "--year", YEAR, "--json").json
    assert doc["sent"] == 3 and "LMC" not in doc["not_sent"] and "ALM-TLG" in doc["not_sent"]
    assert akimat["key"] not in doc["not_sent"]

    assert cli("settlements", "sent", "--year", YEAR, "--to", "nobody", "--on", today).code == 2
    assert cli("settlements", "sent", "--year", YEAR, "--to", "LMC", "--on", "2099-01-01").code == 2
    assert cli("settlements", "sent", "--year", YEAR, "--to", "LMC", "--on", "yesterday").code == 2
    assert cli("settlements", "sent", "--year", YEAR, "--to", "LMC", "--on", "2020-01-01").code == 2  # before fixing


def test_recipients_names_in_kazakh(cli, oblast):
    doc = cli("settlements", "recipients", "--year", YEAR, "--json").json
    akimat = next(r for r in doc["recipients"] if r["kind"] == "rural_akimat")
    assert "әкім" in akimat["name_kk"] and "акима" in akimat["name_ru"]
    result = cli("settlements", "recipients", "--year", YEAR, lang="kk")
    assert result.code == 0 and "Еңбек ұтқырлығы орталығы" in result.err + result.out


@pytest.mark.parametrize("args", [("fix", "--year", YEAR), ("recipients", "--year", YEAR),
                                  ("sent", "--year", YEAR, "--to", "LMC", "--on", "2026-01-01")])
def test_a_district_is_refused(cli, args):
    assert cli("init", "--office", "ALM-KNV").code == 0
    result = cli("settlements", *args, "--json")
    assert result.code == 1 and "ALM-OBL" in result.json["error"]["message"]


def test_reopen_needs_an_admin(cli, oblast, monkeypatch):
    monkeypatch.setenv("MIGREG_PASSWORD", "admin-pass-2026")
    assert cli("user", "add", "boss", "--role", "admin").code == 0
    monkeypatch.setenv("MIGREG_USER", "boss")
    for name, role in (("aida", "clerk"), ("bolat", "head")):
        monkeypatch.setenv("MIGREG_NEW_PASSWORD", f"{name}-pass-2026")
        assert cli("user", "add", name, "--role", role).code == 0
    monkeypatch.delenv("MIGREG_NEW_PASSWORD")
    monkeypatch.setenv("MIGREG_USER", "aida")
    monkeypatch.setenv("MIGREG_PASSWORD", "aida-pass-2026")
    assert cli("settlements", "fix", "--year", YEAR).code == 2  # a clerk
    monkeypatch.setenv("MIGREG_USER", "bolat")
    monkeypatch.setenv("MIGREG_PASSWORD", "bolat-pass-2026")
    assert cli("settlements", "fix", "--year", YEAR).code == 0  # a head fixes
    result = cli("settlements", "fix", "--year", YEAR, "--reopen", "--json")
    assert result.code == 2 and "admin" in result.json["error"]["message"]
    monkeypatch.setenv("MIGREG_USER", "boss")
    monkeypatch.setenv("MIGREG_PASSWORD", "admin-pass-2026")
    assert cli("settlements", "fix", "--year", YEAR, "--reopen").code == 0
