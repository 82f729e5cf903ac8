"""Settlement list: CSV/XLSX import with preview and row errors, dry run, edit, export, warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from migreg_desktop.errors import UserError, ValidationError
from migreg_desktop.refdata import settlements
from migreg_desktop.storage.db import session_scope

from ...conftest import count_rows

HEADER = "year,kato,kind,potential,fixed_on,source\n"
GOOD = HEADER + ("2027,191000000,city_oblast,high,2026-12-10,Decision 1\n"
                 "2027,194020100,city_district,medium,2026-12-10,Decision 1\n"
                 "2027,194230100,rural_settlement,high,10.12.2026,Decision 1\n")


def _write(tmp_path, text, name="list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sample_list_of_2026(session):
    doc = settlements.list_year(2026, session=session, today=date(2026, 6, 1))
    katos = {e["kato"] for e in doc["entries"]}
    assert {"191000000", "191800000", "194020100", "195220100", "196220100"} <= katos
    assert doc["sample"] is True and doc["warnings"] == []


def test_import_csv_then_list(engine, tmp_path):
    with session_scope(engine) as s:
        doc = settlements.import_file(_write(tmp_path, GOOD), session=s, today=date(2026, 12, 20))
    assert doc["imported"] and doc["errors"] == [] and doc["added"] == 3 and doc["years"] == [2027]
    assert "import" in Path(doc["backup"]).name and Path(doc["backup"]).exists()  # issue 7 §3
    with session_scope(engine) as s:
        listed = settlements.list_year(2027, session=s)
    assert listed["count"] == 3 and listed["fixed_on"] == "2026-12-10" and not listed["sample"]


def test_dry_run_writes_nothing(engine, tmp_path):
    before = count_rows(engine, "settlement_list_entry", "refdata_version", "audit_entry")
    with session_scope(engine) as s:
        doc = settlements.import_file(_write(tmp_path, GOOD), session=s, dry_run=True)
    assert doc["dry_run"] and not doc["imported"] and doc["added"] == 3 and "backup" not in doc
    assert count_rows(engine, "settlement_list_entry", "refdata_version", "audit_entry") == before


@pytest.mark.parametrize(("row", "field"), [
    ("2027,19100000X,city_oblast,high,2026-12-10,x", "kato"),
    ("2027,999999999,city_oblast,high,2026-12-10,x", "kato"),
    ("2027,550000000,city_oblast,high,2026-12-10,x", "kato"),
    ("2027,194000000,city_oblast,high,2026-12-10,x", "kato"),
    ("2027,191000000,metropolis,high,2026-12-10,x", "kind"),
    ("2027,191000000,city_oblast,huge,2026-12-10,x", "potential"),
    ("2027,194230100,rural_settlement,low,2026-12-10,x", "potential"),
    ("20x7,191000000,city_oblast,high,2026-12-10,x", "year"),
    ("2027,191000000,city_oblast,high,31.02.2026,x", "fixed_on"),
    ("2027,191000000,city_oblast,high,,x", "fixed_on"),
    ("2027,194020100,city_district,medium,2026-12-10,again", "kato"),  # duplicate of row 2
])
def test_row_errors_stop_the_import(engine, tmp_path, row, field):
    before = count_rows(engine, "settlement_list_entry", "refdata_version")
    with session_scope(engine) as s:
        doc = settlements.import_file(_write(tmp_path, GOOD + row + "\n"), session=s)
    assert not doc["imported"]
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(4, field)]
    assert count_rows(engine, "settlement_list_entry", "refdata_version") == before


def test_xlsx_import_and_export_round_trip(engine, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Year", "KATO", "kind", "potential", "fixed_on", "source"])
    ws.append([2027, "195220100", "city_district", "high", date(2026, 12, 1), "xlsx"])
    ws.append([2027, "196847100", "rural_settlement", "medium", "2026-12-01", "xlsx"])
    wb.save(tmp_path / "list.xlsx")
    with session_scope(engine) as s:
        doc = settlements.import_file(tmp_path / "list.xlsx", session=s)
    assert doc["imported"] and doc["valid_rows"] == 2
    with session_scope(engine) as s:
        assert settlements.export(tmp_path / "out.xlsx", 2027, session=s) == 2
        assert settlements.export(tmp_path / "out.csv", 2027, session=s) == 2
    again = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "195220100" in again and "Қаскелең" in again
    with session_scope(engine) as s:  # exported file imports back with no change
        doc = settlements.import_file(tmp_path / "out.xlsx", session=s, dry_run=True)
    assert doc["errors"] == [] and (doc["added"], doc["removed"], doc["changed"], doc["unchanged"]) == (0, 0, 0, 2)


def test_warnings_late_and_after_year(engine, tmp_path):
    text = HEADER + "2027,191000000,city_oblast,high,2026-12-20,late\n"
    with session_scope(engine) as s:
        doc = settlements.import_file(_write(tmp_path, text), session=s, dry_run=True, today=date(2026, 12, 21))
        assert "15.12.2026" in doc["warnings"][0]["message"]
        after = settlements.list_year(2026, session=s, today=date(2027, 1, 2))
        assert after["warnings"] and "after its year" in after["warnings"][0]["message"]


@pytest.mark.parametrize(("name", "text"), [("list.txt", GOOD), ("list.csv", "a,b\n1,2\n")])
def test_unreadable_files_are_bad_input(engine, tmp_path, name, text):
    with pytest.raises(UserError), session_scope(engine) as s:
        settlements.import_file(_write(tmp_path, text, name), session=s)


def test_edit_and_delete_entry(engine):
    with session_scope(engine) as s:
        settlements.save_entry({"year": 2026, "kato": "196220100", "kind": "city_district", "potential": "medium",
                                "fixed_on": "2025-12-12", "source": "edited"}, session=s)
    with session_scope(engine) as s:
        row = next(e for e in settlements.entries(2026, session=s) if e["kato"] == "196220100")
        assert row["potential"] == "medium" and row["source"] == "edited"
        settlements.delete_entry(2026, "196220100", session=s)
    with pytest.raises(ValidationError), session_scope(engine) as s:
        settlements.save_entry({"year": 2026, "kato": "1", "kind": "x", "potential": "y", "fixed_on": ""}, session=s)
