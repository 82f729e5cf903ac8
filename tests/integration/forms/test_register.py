"""Register of cases: 1,000 cases over many pages, page numbers "3 of N", totals by kind and status."""

from __future__ import annotations

import re

import pytest

from ...forms_helpers import bulk_cases, pdf_pages, pdf_text


@pytest.fixture
def thousand(capsys, data_dir, tmp_path_factory):  # noqa: ANN001, ANN201
    """1,000 cases of ALM-KNV and 5 of ALM-ALT: made once per test process and copied."""
    from tests.conftest import cli_in
    from tests.snapshots import copied

    def build(root):  # noqa: ANN001, ANN202
        from migreg_desktop.storage.db import make_engine

        assert cli_in(capsys, root / data_dir.name)("init", "--office", "ALM-KNV").code == 0
        engine = make_engine(root / data_dir.name / "migreg.sqlite3")
        bulk_cases(engine, 1000)
        bulk_cases(engine, 5, office="ALM-ALT")  # another office's cases never show up
        engine.dispose()

    copied("register-thousand", build, data_dir.parent, tmp_path_factory)


@pytest.mark.parametrize("lang, label, total_word", [
    ("ru", "стр. {page} из {total}", "Итого"),
    ("kk", "{page}-бет, барлығы {total}", "Барлығы"),
])
def test_register_of_1000_cases(cli, thousand, tmp_path, lang, label, total_word):
    out = tmp_path / f"register-{lang}.pdf"
    result = cli("register", "--office", "ALM-KNV", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--lang", lang, "--out", str(out), "--json")
    assert result.code == 0, result.err
    doc = result.json
    pages = pdf_pages(out)
    assert doc["cases"] == 1000 and doc["pages"] == pages
    assert pages == EXPECTED_PAGES[lang]
    text = pdf_text(out)
    numbers = re.findall(r"ALM-KNV-2026-1\d{5}", text)
    assert len(numbers) == 1000 == len(set(numbers))
    assert "ALM-ALT" not in text.replace("ALM-ALT-", "")  # no case of the other office
    assert label.format(page=3, total=pages) in pdf_text(out, 3, 3)
    last = " ".join(pdf_text(out, pages - 1, pages).split())
    assert label.format(page=pages, total=pages) in last
    assert re.search(total_word + r" 1\s?000 2\s?500", last)  # cases and persons (1+i%4 each)


# Rows of one line (names, numbers) or two (the kind "intra-oblast resettlement" wraps in its
# column): 1,000 cases need this many landscape A4 pages with the totals.
EXPECTED_PAGES = {"ru": 47, "kk": 43}


def test_empty_period_prints_one_page_that_says_so(cli, thousand, tmp_path):
    out = tmp_path / "empty.pdf"
    result = cli("register", "--office", "ALM-KNV", "--from", "2025-01-01", "--to", "2025-01-31",
                 "--lang", "ru", "--out", str(out), "--json")
    assert result.code == 0 and result.json["cases"] == 0 and pdf_pages(out) == 1
    assert "В этом периоде дела не регистрировались." in " ".join(pdf_text(out).split())


def test_slips_of_a_day_in_one_file(cli, printed, tmp_path):
    from datetime import date

    out = tmp_path / "slips.pdf"
    result = cli("slips", "--day", date.today().isoformat(), "--lang", "kk", "--out", str(out), "--json")
    assert result.code == 0, result.err
    assert result.json["cases"] == result.json["pages"] == pdf_pages(out) == 3
    text = pdf_text(out)
    assert all(number in text for number in printed.values())


def test_register_of_demo_cases_every_case_once(engine, session, tmp_path):
    """Realistic names and families from `migreg demo` (the cases spread over offices and years)."""
    from datetime import date

    from sqlalchemy import text

    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.forms import render_register

    generate_demo(engine, 1000, seed=11)
    office, count = session.execute(text(
        "SELECT office_code, count(*) FROM cases GROUP BY office_code ORDER BY 2 DESC LIMIT 1")).one()
    out = tmp_path / "demo.pdf"
    result = render_register(office, date(2020, 1, 1), date(2030, 12, 31), "kk", out, session=session)
    assert result["cases"] == count and result["pages"] == pdf_pages(out)
    text_ = pdf_text(out)
    numbers = set(re.findall(rf"{office}-20\d\d-\d{{6}}", text_))
    assert len(numbers) == count
    assert f"{result['pages']}-бет, барлығы {result['pages']}" in text_


def test_rows_come_in_time_order_chunk_by_chunk_and_a_cancelled_read_frees_the_database(engine, session):
    """One ordered statement read by fetchmany (issue 17 §6): every case once, oldest first, ties
    by insertion; a print cancelled after one chunk leaves the database writable."""
    from datetime import date

    from sqlalchemy import text

    from migreg_desktop.cases import register_query

    bulk_cases(engine, 1200)
    bulk_cases(engine, 3, base=5000)  # the same minutes as the first three: ties, inserted later
    chunks = list(register_query.row_chunks("ALM-KNV", date(2026, 3, 1), date(2026, 3, 31), "ru", 500,
                                            session=session))
    assert [len(c) for c in chunks] == [500, 500, 203]
    numbers = [row[0] for chunk in chunks for row in chunk]
    first = ["ALM-KNV-2026-100000", "ALM-KNV-2026-105000", "ALM-KNV-2026-100001", "ALM-KNV-2026-105001"]
    assert numbers[:4] == first and len(set(numbers)) == 1203
    stamps = [row[1] for chunk in chunks for row in chunk]
    assert stamps == sorted(stamps)

    reading = register_query.row_chunks("ALM-KNV", date(2026, 3, 1), date(2026, 3, 31), "ru", 500, session=session)
    assert len(next(reading)) == 500
    reading.close()  # what a cancelled print does to its rows
    session.execute(text("UPDATE cases SET status = 'submitted' WHERE number = 'ALM-KNV-2026-100000'"))
    session.commit()
    assert session.execute(text("SELECT status FROM cases WHERE number = 'ALM-KNV-2026-100000'")).scalar() == "submitted"
