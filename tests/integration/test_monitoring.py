"""`migreg monitoring` (issue 16 §1): the JSON contract on a small oblast database with cases of
several offices, each filter, exit codes, the xlsx and the PDF in Kazakh and Russian, roles."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from migreg_desktop.storage.db import session_scope
from tests.conftest import example_case
from tests.forms_helpers import pdf_fonts, pdf_text
from tests.snapshots import copied

KEYS = ["totals", "by_office", "by_destination", "by_month", "quota", "adaptation", "indicators"]
PATHS = {"draft": (), "submitted": ("submitted",), "included": ("submitted", "forwarded", "included"),
         "moved": ("submitted", "forwarded", "included", "moved"), "refused": ("submitted", "refused")}
# (office, kind, family members, created (UTC noon), status, quota year, reserve a place)
CASES = [
    ("ALM-KNV", "resettler", 3, date(2026, 1, 15), "included", 2026, True),
    ("ALM-KNV", "kandas", 1, date(2026, 2, 10), "submitted", 2026, False),
    ("ALM-TLG", "resettler", 0, date(2026, 2, 20), "moved", 2026, False),
    ("ALM-TLG", "intra_oblast", 0, date(2026, 3, 5), "draft", 2026, False),
    ("ALM-ENB", "resettler", 1, date(2025, 12, 20), "refused", 2026, False),
    ("ALM-KNV", "resettler", 2, date(2025, 3, 1), "draft", 2025, False),  # another quota year
]


def _persons(data: dict, family: int, serial: list[int]) -> None:
    from migreg_desktop.rules.iin import make

    data["family"] = data["family"][:family]
    for person in [data["applicant"], *data["family"]]:
        born = date.fromisoformat(person["birth_date"])
        while True:
            serial[0] += 1
            iin = make(born, person["sex"], serial[0])
            if iin:
                person["iin"] = iin
                break


@pytest.fixture
def oblast(data_dir, tmp_path_factory):  # noqa: ANN001, ANN201
    """The oblast office's database holding cases of ALM-KNV, ALM-TLG and ALM-ENB, made by the
    services (register, status, quota reservation); the office is set as an import would. Made
    once per test process and copied into the test's data dir (tests/snapshots.py)."""
    copied("monitoring-oblast", lambda root: _oblast_cases(root / data_dir.name), data_dir.parent, tmp_path_factory)
    return data_dir


def _oblast_cases(data_dir):  # noqa: ANN001, ANN202
    from migreg_desktop import paths
    from migreg_desktop.cases.cases import change_status, register_case
    from migreg_desktop.eligibility import eligibility, quotas
    from migreg_desktop.refdata.setup import init_database

    paths.set_data_dir(data_dir)
    engine, _ = init_database("ALM-OBL")
    serial = [100]
    with session_scope(engine, actor="tester") as session:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 10, session=session)
        for office, kind, family, created, status, year, reserve in CASES:
            data = example_case(kind)
            data["quota_year"] = year
            _persons(data, family, serial)
            case = register_case(data, session=session, confirm_warnings=True)
            case.office_code = office
            case.created_at = datetime(created.year, created.month, created.day, 12, tzinfo=UTC)
            session.add(case)
            session.flush()
            if reserve:
                eligibility.check_case(case.id, session=session, trigger="manual")  # reserve needs a decision
                quotas.reserve(case.id, session=session)
            for step in PATHS[status]:
                change_status(case.id, step, session=session)
    engine.dispose()


def _office(doc: dict, code: str) -> dict:
    return next(o for o in doc["by_office"] if o["office"] == code)


def test_json_contract(cli, oblast):
    result = cli("monitoring", "--year", "2026", "--json")
    assert result.code == 0, result.err
    doc = result.json
    assert list(doc) == KEYS
    t = doc["totals"]
    assert (t["cases"], t["persons"]) == (5, 4 + 2 + 1 + 1 + 2)
    assert t["by_kind"]["resettler"] == {"cases": 3, "persons": 7}
    assert t["by_kind"]["kandas"] == {"cases": 1, "persons": 2}
    assert t["by_kind"]["intra_oblast"] == {"cases": 1, "persons": 1}
    assert t["by_status"]["included"] == {"cases": 1, "persons": 4}
    assert t["by_status"]["withdrawn"] == {"cases": 0, "persons": 0}
    assert set(t["by_status"]) >= {"draft", "submitted", "forwarded", "included", "refused", "moved"}
    knv, tlg, enb = _office(doc, "ALM-KNV"), _office(doc, "ALM-TLG"), _office(doc, "ALM-ENB")
    assert (knv["cases"], knv["persons"], tlg["cases"], tlg["persons"], enb["cases"]) == (2, 6, 2, 2, 1)
    assert set(knv) == {"office", "cases", "persons", "by_kind", "by_status"}
    assert knv["by_kind"]["kandas"]["cases"] == 1 and tlg["by_status"]["moved"]["cases"] == 1
    assert _office(doc, "ALM-OBL")["cases"] == 0  # every office is listed, with zeros
    pavlodar = next(d for d in doc["by_destination"] if d["kato"] == "550000000")
    assert pavlodar == {"kato": "550000000", "name_kk": pavlodar["name_kk"], "name_ru": pavlodar["name_ru"],
                        "cases": 3, "persons": 7}
    assert "Павлодар" in pavlodar["name_ru"] and doc["by_destination"][0]["kato"] == "550000000"
    assert [m["month"] for m in doc["by_month"]] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert doc["by_month"][1] == {"month": "2026-01", "cases": 1, "persons": 4}
    quota = next(q for q in doc["quota"] if (q["region_kato"], q["kind"]) == ("550000000", "resettler"))
    # shipped order: 1,655 persons; one place reserved (counting: applicants); two applicants included
    assert quota == {"region_kato": "550000000", "kind": "resettler", "limit": 1655, "reserved": 1,
                     "included": 2, "percent": 0.1}
    assert all(set(q) == {"region_kato", "kind", "limit", "reserved", "included", "percent"} for q in doc["quota"])
    assert doc["adaptation"] == [] and doc["indicators"] == []


def test_filters(cli, oblast):
    doc = cli("monitoring", "--year", "2026", "--from", "2026-02-01", "--to", "2026-02-28", "--json").json
    assert doc["totals"]["cases"] == 2 and [m["month"] for m in doc["by_month"]] == ["2026-02"]
    doc = cli("monitoring", "--year", "2026", "--office", "alm-tlg", "--json").json
    assert doc["totals"]["cases"] == 2 and [o["office"] for o in doc["by_office"]] == ["ALM-TLG"]
    doc = cli("monitoring", "--year", "2026", "--kind", "resettler", "--json").json
    assert doc["totals"]["cases"] == 3 and {q["kind"] for q in doc["quota"]} == {"resettler"}
    doc = cli("monitoring", "--year", "2025", "--json").json
    assert doc["totals"]["cases"] == 1 and doc["totals"]["persons"] == 3
    # one office sees its own allotment: 10 places, 1 reserved, 1 included
    doc = cli("monitoring", "--year", "2026", "--office", "ALM-KNV", "--kind", "resettler", "--json").json
    assert doc["quota"] == [{"region_kato": "550000000", "kind": "resettler", "limit": 10, "reserved": 1,
                             "included": 1, "percent": 10.0}]
    doc = cli("monitoring", "--year", "2026", "--from", "2027-01-01", "--json").json
    assert doc["totals"]["cases"] == 0 and doc["by_month"] == [] and doc["by_destination"] == []


@pytest.mark.parametrize("args", [
    ("--year", "2019"), ("--year", "2101"), ("--year", "twenty"),
    ("--year", "2026", "--from", "2026-02-30"), ("--year", "2026", "--to", "01.02.2026"),
    ("--year", "2026", "--from", "2026-03-01", "--to", "2026-02-01"),
    ("--year", "2026", "--office", "ALM-XXX"), ("--year", "2026", "--kind", "tourist"),
])
def test_bad_input_is_exit_2(cli, oblast, args):
    result = cli("monitoring", *args, "--json")
    assert result.code == 2, result.err
    assert result.json["error"]["message"]


def test_files_need_kk_or_ru(cli, oblast, tmp_path):
    result = cli("monitoring", "--year", "2026", "--xlsx", str(tmp_path / "m.xlsx"), "--json", lang="en")
    assert result.code == 2 and not (tmp_path / "m.xlsx").exists()


def test_human_summary_in_the_language(cli, oblast):
    result = cli("monitoring", "--year", "2026", lang="kk")
    assert result.code == 0 and "Мониторинг, квота жылы 2026: 5 іс" in result.out
    result = cli("monitoring", "--year", "2026", lang="ru")
    assert "Мониторинг, год квоты 2026: дел — 5" in result.out and "Павлодар" in result.out


@pytest.mark.parametrize("lang,sheets,header", [
    ("kk", ["Жиынтық", "Мансап орталықтары бойынша", "Баратын жері бойынша", "Айлар бойынша",
            "Квотаның толуы", "Бейімдеу", "Көрсеткіштер"], "Толуы, %"),
    ("ru", ["Итоги", "По карьерным центрам", "По месту вселения", "По месяцам", "Заполнение квот",
            "Адаптация", "Показатели"], "Заполнено, %"),
])
def test_xlsx(cli, oblast, tmp_path, lang, sheets, header):
    from openpyxl import load_workbook

    out = tmp_path / f"monitoring-{lang}.xlsx"
    result = cli("monitoring", "--year", "2026", "--xlsx", str(out), "--json", lang=lang)
    assert result.code == 0, result.err
    assert list(result.json) == KEYS  # the files do not change the JSON document
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    wb = load_workbook(out)
    assert wb.sheetnames == sheets
    quota = wb[sheets[4]]
    assert header in [c.value for c in quota[1]] and quota.freeze_panes == "A2"
    row = next(r for r in quota.iter_rows(min_row=2) if r[0].value == "550000000" and r[5].value == 2)
    assert row[3].value == 1655 and row[3].number_format == "#,##0" and row[6].number_format == "0.0%"
    assert abs(row[6].value - 0.001) < 1e-9
    offices = wb[sheets[1]]
    assert offices.freeze_panes == "A2" and offices["A1"].font.bold
    assert [c.value for c in offices["A"]][1:].count("ALM-KNV") == 1
    for index in (1, 3, 4):  # cases by office, by month, quota fill by region: native charts
        assert len(wb[sheets[index]]._charts) == 1  # noqa: SLF001 - openpyxl keeps charts here
    assert not wb[sheets[0]]._charts  # noqa: SLF001
    assert wb[sheets[5]]["A1"].value  # a table without figures yet says so


@pytest.mark.parametrize("lang,words", [
    ("kk", ["Көші-қон мониторингі", "Мансап орталықтары бойынша", "Өңірлер бойынша квотаның толуы",
            "Айлар бойынша істер", "Қоныс аударушы", "Павлодар облысы", "Квота жылы: 2026"]),
    ("ru", ["Мониторинг миграции", "По карьерным центрам", "Заполнение квот по регионам",
            "Дела по месяцам", "Переселенец", "Павлодарская область", "Год квоты: 2026"]),
])
def test_pdf(cli, oblast, tmp_path, lang, words):
    out = tmp_path / f"monitoring-{lang}.pdf"
    result = cli("monitoring", "--year", "2026", "--from", "2025-12-01", "--to", "2026-03-31", "--pdf", str(out),
                 lang=lang)
    assert result.code == 0, result.err
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = pdf_text(out)
    for word in words:
        assert word in " ".join(text.split()), word
    assert "1 655" in text.replace("\u00a0", " ")  # Babel's grouping in both languages
    assert {f["name"].split("+")[-1] for f in pdf_fonts(out)} == {"NotoSans-Regular", "NotoSans-Bold"}
    assert all(f["emb"] == "yes" for f in pdf_fonts(out))


def test_files_are_audited_without_their_name(cli, oblast, tmp_path):
    from migreg_desktop.refdata.setup import open_existing

    out = tmp_path / "secret-name.pdf"
    assert cli("monitoring", "--year", "2026", "--pdf", str(out), lang="ru").code == 0
    engine = open_existing()
    with engine.connect() as con:
        rows = con.exec_driver_sql("SELECT changes FROM audit_entry WHERE entity = 'monitoring'").fetchall()
    engine.dispose()
    assert len(rows) == 1 and '"pdf"' in rows[0][0] and "secret-name" not in rows[0][0]


def test_a_district_is_refused(cli):
    assert cli("init", "--office", "ALM-KNV").code == 0
    result = cli("monitoring", "--year", "2026", "--json")
    assert result.code == 1
    assert "ALM-OBL" in result.json["error"]["message"]
    result = cli("monitoring", "--year", "2026", lang="ru")
    assert result.code == 1 and "областной" in result.err


def test_only_head_and_admin_of_the_oblast(cli, oblast, monkeypatch):
    monkeypatch.setenv("MIGREG_PASSWORD", "admin-pass-2026")
    assert cli("user", "add", "boss", "--role", "admin").code == 0
    monkeypatch.setenv("MIGREG_USER", "boss")
    for name, role in (("aida", "clerk"), ("bolat", "head")):
        monkeypatch.setenv("MIGREG_NEW_PASSWORD", f"{name}-pass-2026")
        assert cli("user", "add", name, "--role", role).code == 0
    monkeypatch.delenv("MIGREG_NEW_PASSWORD")
    assert cli("monitoring", "--year", "2026", "--json").code == 0  # admin
    monkeypatch.setenv("MIGREG_USER", "bolat")
    monkeypatch.setenv("MIGREG_PASSWORD", "bolat-pass-2026")
    assert cli("monitoring", "--year", "2026", "--json").code == 0  # head
    monkeypatch.setenv("MIGREG_USER", "aida")
    monkeypatch.setenv("MIGREG_PASSWORD", "aida-pass-2026")
    result = cli("monitoring", "--year", "2026", "--json")
    assert result.code == 2 and result.json["error"]["message"]  # a clerk: the role check of every command


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(cli, oblast, tmp_path):
    out = tmp_path / "monitoring.xlsx"
    assert cli("monitoring", "--year", "2026", "--xlsx", str(out), lang="ru").code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(out)], check=True, capture_output=True, timeout=300)
    text = " ".join(pdf_text(tmp_path / "lo" / "monitoring.pdf").split())
    assert "Заполнено, %" in text and "ALM-KNV" in text
