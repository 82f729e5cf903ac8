"""Official statistics (issue 16 §2, Rules §3, §9): `stats template` (kk/ru headers, the shipped
templates), `stats import` (bad rows listed by sheet row, nothing written unless all are valid),
and monitoring's ``indicators`` per district."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.integration.test_monitoring import oblast  # noqa: F401  (the fixture: cases of three offices)

ROOT = Path(__file__).resolve().parents[2]
HEADER_RU = ["Год", "КАТО", "Район или город", "Численность населения на начало года", "Прибывшие", "Выбывшие",
             "Родившиеся", "Умершие"]


def _book(path: Path, header: list[str], rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("lang,first", [("kk", "Жыл"), ("ru", "Год")])
def test_template_in_both_languages_matches_the_shipped_one(cli, oblast, tmp_path, lang, first):  # noqa: F811
    out = tmp_path / f"t-{lang}.xlsx"
    result = cli("stats", "template", "--out", str(out), "--json", lang=lang)
    assert result.code == 0, result.err
    made = [list(r) for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    shipped = [list(r) for r in load_workbook(ROOT / "resources" / "templates" / f"stats-{lang}.xlsx")
               .worksheets[0].iter_rows(values_only=True)]
    assert made == shipped and made[0][0] == first and len(made) == 12  # 9 districts, 2 cities
    assert ("191000000" in [r[1] for r in made]) and ("195220100" not in [r[1] for r in made])
    assert cli("stats", "template", "--out", str(out), lang="en").code == 2


def test_bad_rows_are_listed_and_nothing_is_written(cli, oblast, tmp_path):  # noqa: F811
    f = _book(tmp_path / "bad.xlsx", HEADER_RU, [
        [2026, "191000000", "Конаев", 100000, 3000, 2000, 1500, 700],
        [2026, "999999999", "", 5000, 1, 1, None, None],          # row 3: not a district
        [2026, "196200000", "", "много", 10, 10, None, None],     # row 4: not a number
        [2026, "191000000", "", 100000, 1, 1, None, None],        # row 5: duplicate of row 2
        [1990, "196800000", "", 100, 1, 1, None, None],           # row 6: year
    ])
    result = cli("stats", "import", str(f), "--json")
    assert result.code == 2
    doc = result.json
    assert doc["imported"] is False
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(3, "kato"), (4, "population"), (5, "kato"), (6, "year")]
    assert cli("monitoring", "--year", "2026", "--json").json["indicators"] == []
    assert cli("stats", "import", str(_book(tmp_path / "h.xlsx", ["year", "kato"], [[2026, "191000000"]]))).code == 2
    assert cli("stats", "import", str(tmp_path / "missing.xlsx")).code == 2


def test_import_and_indicators(cli, oblast, tmp_path):  # noqa: F811
    f = _book(tmp_path / "ok.xlsx", HEADER_RU, [
        [2026, "191000000", "город Конаев", 100000, 3000, 2000, 1500, 700],   # inflow
        [2026, "196200000", "Талгарский район", 50000, 1000, 2500, 900, 400],  # outflow 1500 > growth 500
        [2026, "196800000", "", 20000, 100, 150, None, None],                  # no births/deaths
        [2026, "193600000", "", None, None, None, None, None],                 # a template line left empty
    ])
    result = cli("stats", "import", str(f), "--json")
    assert result.code == 0, result.out
    assert result.json["imported"] and result.json["rows"] == 3
    rows = {r["kato"]: r for r in cli("monitoring", "--year", "2026", "--json").json["indicators"]}
    assert set(rows) == {"191000000", "196200000", "196800000"}
    knv, tlg, ile = rows["191000000"], rows["196200000"], rows["196800000"]
    assert knv["net_migration"] == 1000 and knv["net_migration_per_1000"] == 10.0
    assert knv["participants"] == 4 and knv["participants_per_1000"] == 0.04  # ALM-KNV's included case, 4 persons
    assert knv["natural_growth"] == 800 and knv["outflow_exceeds_growth"] is False
    assert tlg["net_migration_per_1000"] == -30.0 and tlg["outflow_exceeds_growth"] is True
    assert tlg["participants"] == 1  # ALM-TLG's moved case
    assert ile["natural_growth"] is None and ile["outflow_exceeds_growth"] is None
    assert tlg["name_ru"] == "Талгарский район"
    assert cli("monitoring", "--year", "2025", "--json").json["indicators"] == []

    # a second import of the same district and year replaces its figures
    f2 = _book(tmp_path / "ok2.xlsx", ["year", "kato", "population", "arrivals", "departures"],
               [[2026, "196800000", 20000, 300, 100]])
    assert cli("stats", "import", str(f2)).code == 0
    ile = next(r for r in cli("monitoring", "--year", "2026", "--json").json["indicators"] if r["kato"] == "196800000")
    assert ile["net_migration"] == 200

    out = tmp_path / "m.xlsx"
    assert cli("monitoring", "--year", "2026", "--xlsx", str(out), lang="kk").code == 0
    ws = load_workbook(out)["Көрсеткіштер"]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][5] == "1 000 адамға көші-қон сальдосы" and len(values) == 4
    pdf = tmp_path / "m.pdf"
    assert cli("monitoring", "--year", "2026", "--pdf", str(pdf), lang="ru").code == 0
    from tests.forms_helpers import pdf_text

    text = pdf_text(pdf)
    assert "Отток превышает" in text and "Талгарский район" in text


def test_a_district_is_refused(cli, tmp_path):
    assert cli("init", "--office", "ALM-KNV").code == 0
    f = _book(tmp_path / "ok.xlsx", ["year", "kato", "population", "arrivals", "departures"],
              [[2026, "191000000", 1000, 1, 1]])
    result = cli("stats", "import", str(f), "--json")
    assert result.code == 1 and "ALM-OBL" in result.json["error"]["message"]
