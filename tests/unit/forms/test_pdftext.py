"""The register's fast paths give ReportLab's own output: table text written by TextWriter, grid
paths, and local days converted once per day (issue 17 §6)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from migreg_desktop.forms.pdftext import TextWriter
from migreg_desktop.forms.text import font_name

from ...forms_helpers import pdf_text

# Kazakh and Russian letters, PDF string delimiters, a no-break space, a letter Noto Sans lacks
STRINGS = ["Құрманғазы Әлия", "Сейітқали Дәурен (үш)", r"back\slash ) (", "1\xa0250", "Ұ ү ҳ і ғ қ ң ө һ",
           "облысқа жіберілді", "снеговик ☃ конец"]


def _pdf(path, draw) -> str:  # noqa: ANN001
    canvas = Canvas(str(path), initialFontName=font_name("NotoSans-Regular.ttf"))
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return pdf_text(path, raw=True)


def _lines(strings: list[str]) -> list[tuple[float, float, str]]:
    return [(40.0, 800.0 - 14 * i, s) for i, s in enumerate(strings)]


def _reportlab(canvas: Canvas, font: str, strings: list[str]) -> None:
    for x, y, s in _lines(strings):
        canvas.setFont(font, 9)
        canvas.drawString(x, y, s)


def test_text_extracts_exactly_as_from_drawstring(tmp_path):
    font = font_name("NotoSans-Regular.ttf")
    ours = _pdf(tmp_path / "ours.pdf", lambda c: TextWriter(c).text_object(font, 9, 11, _lines(STRINGS)))
    theirs = _pdf(tmp_path / "rl.pdf", lambda c: _reportlab(c, font, STRINGS))
    assert ours == theirs
    assert "Құрманғазы Әлия" in ours and r"back\slash ) (" in ours


def test_a_second_font_subset_is_switched_to_and_back(tmp_path):
    """More than 255 distinct letters: ReportLab opens a second subset; the text still reads back."""
    font = font_name("NotoSans-Regular.ttf")
    many = "".join(chr(c) for c in range(0x410, 0x4FF) if chr(c).isalpha())  # Cyrillic and its supplement
    strings = [many[i:i + 30] for i in range(0, len(many), 30)] + ["abc " + many[-3:] + " Әлия", "Әлия"]
    ours = _pdf(tmp_path / "ours.pdf", lambda c: TextWriter(c).text_object(font, 9, 11, _lines(strings)))
    theirs = _pdf(tmp_path / "rl.pdf", lambda c: _reportlab(c, font, strings))
    assert ours == theirs and many[-3:] in ours


def test_the_same_string_twice_is_the_same_bytes(tmp_path):
    canvas = Canvas(str(tmp_path / "x.pdf"))
    writer = TextWriter(canvas)
    font = font_name("NotoSans-Regular.ttf")
    first = writer.runs(font, "Павлодар облысы")
    assert writer.runs(font, "Павлодар облысы") == first and len(first) == 1


def test_a_font_without_subsets_goes_through_reportlab(tmp_path):
    text = _pdf(tmp_path / "h.pdf", lambda c: TextWriter(c).text_object("Helvetica", 9, 11, _lines(["plain (text)"])))
    assert "plain (text)" in text


def test_numbers_and_grid_paths_are_reportlabs(tmp_path):
    a, b = Canvas(str(tmp_path / "a.pdf")), Canvas(str(tmp_path / "b.pdf"))
    segments = [(34.0157, 560.5, 807.8, 560.5), (0.1, 1e-9, 1234.56789, 99.99999)]
    a.lines(segments)
    TextWriter(b).lines(segments)
    assert " ".join(a._code) == " ".join(b._code)  # the same operators (ReportLab joins them by lines)
    writer = TextWriter(b)
    assert [writer.num(v) for v in (0.0, 12.5, 34.015748, 595.2756, -3.25)] == \
        [fp_str(v) for v in (0.0, 12.5, 34.015748, 595.2756, -3.25)]


@pytest.fixture
def zone(monkeypatch):  # noqa: ANN201
    """Run under a given local time zone (the clerk's computer), restored afterwards."""
    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("name, start", [
    ("Asia/Almaty", datetime(2026, 3, 1, tzinfo=UTC)),
    ("America/Santiago", datetime(2026, 4, 2, tzinfo=UTC)),  # clocks go back at midnight (5 April)
    ("America/Santiago", datetime(2026, 9, 4, tzinfo=UTC)),  # and forward at midnight (6 September)
    ("Asia/Kolkata", datetime(2026, 3, 1, tzinfo=UTC)),  # a half-hour offset
])
def test_local_days_once_per_day_match_the_conversion_of_each_row(zone, name, start):
    from migreg_desktop.forms.register import LocalDays, _local_day

    zone(name)
    days = LocalDays()
    stamps = [(start + timedelta(minutes=7 * i)).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
              for i in range(6 * 24 * 60 // 7)]
    stamps += [s[:10] + " 00:00:00.000000" for s in stamps[::200]]  # out of order: still right
    assert [days(s) for s in stamps] == [_local_day(s) for s in stamps]
    assert days.lo and days.hi  # the span was kept: the fast path was taken
