"""`case_list.export_xlsx` (issue 15): the filtered list, opened back with openpyxl."""

from __future__ import annotations

import os
import stat
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from migreg_desktop.cases import cases
from migreg_desktop.cases.case_list import CaseFilter, export_xlsx, query_rowids
from migreg_desktop.errors import UserError
from migreg_desktop.models import AuditEntry

HEADERS = {
    "kk": ["Іс нөмірі", "Түрі", "Мәртебесі", "Өтініш беруші", "ЖСН", "Отбасы", "Баратын жері", "Жылы",
           "Құрылған күні", "Мансап орталығы"],
    "ru": ["№ дела", "Вид", "Статус", "Заявитель", "ИИН", "Семья", "Место вселения", "Год", "Создано",
           "Карьерный центр"],
}


@pytest.fixture
def out_dir(tmp_path):
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


@pytest.fixture
def three(session, make_case):
    return [cases.register_case(make_case(k), session=session, confirm_warnings=True)
            for k in ("kandas", "resettler", "intra_oblast")]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_headers_in_the_clerks_language_and_every_filtered_row(session, three, out_dir, lang):
    out = out_dir / f"cases-{lang}.xlsx"
    flt = CaseFilter(year=2026, kind="kandas")
    assert export_xlsx(flt, out, lang, session=session) == 1
    book = load_workbook(out)
    assert book.sheetnames == [{"kk": "Істер", "ru": "Дела"}[lang]]
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS[lang]
    assert len(rows) - 1 == len(query_rowids(flt, db=session)) == 1
    number, kind, status, applicant, iin, family, destination, year, created, office = rows[1]
    assert number == three[0].number and iin == "781130344101" and family == 2 and year == 2026
    assert kind == {"kk": "Қандас", "ru": "Кандас"}[lang]
    assert status == {"kk": "Жоба", "ru": "Черновик"}[lang]
    assert "Оралбаев" in applicant and office == "ALM-KNV" and destination
    assert isinstance(created, date) and created.year >= 2026  # a date cell, not text


def test_all_rows_in_the_lists_order_frozen_header_and_widths(session, three, out_dir):
    out = out_dir / "all.xlsx"
    assert export_xlsx(CaseFilter(), out, "ru", session=session, sort="number", descending=False) == 3
    book = load_workbook(out)
    sheet = book.active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == sorted(c.number for c in three)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width >= len("ALM-KNV-2026-000001")
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["F"].width  # names vs family size
    assert sheet["I2"].number_format == "DD.MM.YYYY" and sheet["E2"].data_type == "s"
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.entity == "case" and entry.entity_id is None and '"rows": [null, 3]' in entry.changes


def test_the_search_filter_exports_what_it_finds(session, three, out_dir):
    out = out_dir / "found.xlsx"
    assert export_xlsx(CaseFilter(search="Oralbayev"), out, "kk", session=session) == 1
    assert export_xlsx(CaseFilter(search="nobody-like-this"), out, "kk", session=session) == 0
    assert [r for r in load_workbook(out).active.iter_rows(values_only=True)][1:] == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_file_is_readable_by_its_owner_only(session, three, out_dir):
    out = out_dir / "private.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o644)
    export_xlsx(CaseFilter(), out, "ru", session=session)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out_dir.iterdir()] == ["private.xlsx"]  # no partial left beside it


def test_progress_and_a_cancel_that_leaves_nothing(session, three, out_dir, monkeypatch):
    from migreg_desktop.cases import case_list

    monkeypatch.setattr(case_list, "EXPORT_CHUNK", 2)
    seen = []
    export_xlsx(CaseFilter(), out_dir / "a.xlsx", "ru", session=session, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 3), (2, 3), (3, 3)]

    def cancel(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_xlsx(CaseFilter(), out_dir / "b.xlsx", "ru", session=session, progress=cancel)
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.xlsx"]


def test_refuses_another_suffix_or_a_missing_folder(session, out_dir):
    with pytest.raises(UserError) as err:
        export_xlsx(CaseFilter(), out_dir / "cases.csv", "ru", session=session)
    assert err.value.field == "file"
    with pytest.raises(UserError):
        export_xlsx(CaseFilter(), out_dir / "no" / "such" / "cases.xlsx", "ru", session=session)


def test_text_that_looks_like_a_formula_stays_text(session, three, out_dir):
    from sqlalchemy import text

    from migreg_desktop.cases import case_list

    session.execute(text("UPDATE cases SET applicant_name = '=HYPERLINK(\"http://x\",\"y\")'"))
    out = out_dir / "formula.xlsx"
    case_list.export_xlsx(CaseFilter(), out, "ru", session=session)
    cell = load_workbook(out).active["D2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
