"""Proposals to the Ministry (issue 16 §3, Rules §4): `migreg proposal` — the JSON draft (quotas
with applications, places used and the suggestion by the stated rule; territories to add or
remove), the saved and audited paragraphs (one text per language), the PDF letter in kk and ru
and the workbook, exit codes, a district refused."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from migreg_desktop.department.proposal import Thresholds, suggest
from tests.forms_helpers import pdf_fonts, pdf_text
from tests.integration.test_monitoring import oblast  # noqa: F401  (the fixture: cases of three offices)


@pytest.mark.parametrize("demand,limit,expected", [
    (121, 100, ("increase", 121.0)), (120, 100, ("keep", 120.0)), (80, 100, ("keep", 80.0)),
    (79, 100, ("decrease", 79.0)), (3, 0, ("increase", None)), (0, 0, ("keep", None)),
])
def test_the_rule(demand, limit, expected):
    assert suggest(demand, limit, Thresholds()) == expected


def test_draft_json(cli, oblast, tmp_path):  # noqa: F811
    out = tmp_path / "p.pdf"
    result = cli("proposal", "--year", "2026", "--out", str(out), "--json", lang="ru")
    assert result.code == 0, result.err
    doc = result.json
    assert doc["year"] == 2026 and doc["for_year"] == 2027 and doc["lang"] == "ru"
    assert doc["thresholds"] == {"increase_above": 120.0, "decrease_below": 80.0}
    assert set(doc["paragraphs"]) == {"intro", "quotas", "territories", "foreign_labour", "labour_immigrants",
                                      "closing"}
    row = next(q for q in doc["quotas"] if q["region_kato"] == "550000000" and q["kind"] == "resettler")
    # places used as monitoring counts them; applications add the refused case (demand too)
    assert set(row) >= {"region_kato", "name_kk", "name_ru", "kind", "limit", "applications", "used",
                        "demand_percent", "suggestion"}
    quota = next(q for q in cli("monitoring", "--year", "2026", "--json").json["quota"]
                 if q["region_kato"] == "550000000" and q["kind"] == "resettler")
    assert row["used"] == quota["included"] == 2 and row["applications"] == 3 and row["limit"] == quota["limit"]
    assert row["suggestion"] in ("increase", "keep", "decrease")
    assert set(doc["territories"]) == {"add", "remove"}
    assert all(r["cases"] == 0 for r in doc["territories"]["remove"])
    text = pdf_text(out)
    assert "Предложения Управления на 2027 год" in text and "Министерство труда" in text
    assert "Квота на привлечение иностранной рабочей силы" in text and "больше 120 %" in text
    assert {f["name"].split("+")[-1] for f in pdf_fonts(out)} >= {"NotoSans-Regular", "NotoSans-Bold"}


def test_thresholds_change_the_suggestion(cli, oblast, tmp_path):  # noqa: F811
    out = tmp_path / "p.pdf"
    low = cli("proposal", "--year", "2026", "--out", str(out), "--increase-above", "0.1", "--decrease-below", "0",
              "--json", lang="kk").json
    assert {q["suggestion"] for q in low["quotas"] if q["applications"]} == {"increase"}
    assert cli("proposal", "--year", "2026", "--out", str(out), "--increase-above", "50", "--decrease-below", "60",
               lang="kk").code == 2


def test_paragraphs_are_saved_per_language_and_audited(cli, oblast, tmp_path):  # noqa: F811
    out = tmp_path / "kk.pdf"
    result = cli("proposal", "--year", "2026", "--out", str(out), "--paragraph",
                 "foreign_labour=Шетелдік жұмыс күшін тарту квотасын сақтау ұсынылады.", "--json", lang="kk")
    assert result.code == 0, result.err
    assert result.json["paragraphs"]["foreign_labour"].startswith("Шетелдік")
    assert "Шетелдік жұмыс күшін тарту квотасын сақтау ұсынылады" in pdf_text(out)
    again = cli("proposal", "--year", "2026", "--out", str(out), "--json", lang="kk").json
    assert again["paragraphs"]["foreign_labour"].startswith("Шетелдік")  # kept in the draft
    ru = cli("proposal", "--year", "2026", "--out", str(tmp_path / "ru.pdf"), "--json", lang="ru").json
    assert ru["paragraphs"]["foreign_labour"] == ""  # the Russian letter has its own text
    assert cli("proposal", "--year", "2026", "--out", str(out), "--paragraph", "nonsense=x", lang="kk").code == 2
    assert cli("proposal", "--year", "2026", "--out", str(out), "--paragraph", "no equals sign", lang="kk").code == 2

    from sqlmodel import select

    from migreg_desktop.models import AuditEntry
    from migreg_desktop.refdata.setup import open_existing
    from migreg_desktop.storage.db import session_scope

    engine = open_existing()
    with session_scope(engine, actor="t") as session:
        rows = [(e.action, e.entity) for e in session.exec(select(AuditEntry).where(
            AuditEntry.entity.in_(("proposal_draft", "proposal"))))]  # type: ignore[attr-defined]
    engine.dispose()
    assert ("create", "proposal_draft") in rows and ("print", "proposal") in rows


def test_workbook(cli, oblast, tmp_path):  # noqa: F811
    xlsx = tmp_path / "p.xlsx"
    assert cli("proposal", "--year", "2026", "--out", str(tmp_path / "p.pdf"), "--xlsx", str(xlsx), lang="ru").code == 0
    wb = load_workbook(xlsx)
    assert wb.sheetnames[0].startswith("Квоты для кандасов") and len(wb.sheetnames) == 3
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[-1] == "Предложение" and "Заявки" in header


def test_bad_input_and_refusals(cli, oblast, tmp_path):  # noqa: F811
    out = str(tmp_path / "p.pdf")
    assert cli("proposal", "--year", "2026", "--out", out, lang="en").code == 2
    assert cli("proposal", "--year", "1999", "--out", out, lang="ru").code == 2
    assert cli("proposal", "--year", "2026", "--out", str(tmp_path / "no" / "p.pdf"), lang="ru").code == 2


def test_a_district_is_refused(cli, tmp_path):
    assert cli("init", "--office", "ALM-KNV").code == 0
    result = cli("proposal", "--year", "2026", "--out", str(tmp_path / "p.pdf"), "--json", lang="ru")
    assert result.code == 1
