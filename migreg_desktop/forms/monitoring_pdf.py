"""The printable monitoring report: the monitoring tables and three charts drawn with ReportLab's
own ``graphics.charts`` (quota fill by region, cases by office, cases by month), A4 landscape,
Noto Sans embedded (forms/text.font_name), numbers through Babel in the clerk's language."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from migreg_desktop.department.report_table import DECIMAL, INT, PERCENT, Table, write_private
from migreg_desktop.forms.text import font_name
from migreg_desktop.i18n import N_, fmt_date, fmt_number, tr

PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
BAR = colors.HexColor("#3b6ea5")
GRID = colors.HexColor("#9aa5b1")
HEAD_BG = colors.HexColor("#dde6f0")


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = font_name("NotoSans-Regular.ttf"), font_name("NotoSans-Bold.ttf")
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=regular, fontSize=9, leading=12),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4,
                             keepWithNext=1),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9),
        "num": ParagraphStyle("num", fontName=regular, fontSize=7.5, leading=9, alignment=2),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.5),
        "note": ParagraphStyle("note", fontName=regular, fontSize=9, leading=12, textColor=colors.grey),
    }


def _fmt(value: Any, kind: str, lang: str) -> str:
    if value is None:
        return "—"
    if kind == PERCENT:
        return f"{fmt_number(round(float(value), 1), lang)} %"
    if kind == INT:
        return fmt_number(int(value), lang)
    if kind == DECIMAL:
        return fmt_number(round(float(value), 2), lang)
    return str(value)


def _col_widths(table: Table, width: float = WIDTH) -> list[float]:
    """A code column stays narrow, a name column is as wide as its longest value up to a cap
    (less when many number columns share the page), the number columns share the rest."""
    nums = [f for f in table.formats if f != "text"]
    texts = [i for i, f in enumerate(table.formats) if f == "text"]
    short = [i for i in texts if all(len(str(r[i])) <= 10 for r in table.rows) and len(table.headers[i]) <= 12]
    longs = [i for i in texts if i not in short]
    short_w, cap = 20 * mm, (58 if len(nums) > 8 else 95) * mm
    room = width - short_w * len(short) - 16 * mm * len(nums)
    want = {i: min(cap, max(24 * mm, 4 * mm + 1.8 * mm * max([len(table.headers[i])] + [len(str(r[i])) for r in table.rows])))
            for i in longs}
    scale = min(1.0, room / sum(want.values())) if want else 1.0
    long_w = {i: w * scale for i, w in want.items()}
    num_w = min(20 * mm, (width - short_w * len(short) - sum(long_w.values())) / max(1, len(nums)))
    return [num_w if f != "text" else short_w if i in short else long_w[i] for i, f in enumerate(table.formats)]


def _header_size(table: Table, widths: list[float], font: str) -> float:
    """The largest size (≤ 7 pt) at which every header word fits its column: no word is cut."""
    size = 7.0
    for head, width in zip(table.headers, widths, strict=True):
        for word in head.split():
            need = stringWidth(word, font, 1) * size
            if need > width - 6:
                size = max(5.0, (width - 6) / stringWidth(word, font, 1))
    return size


def _table(table: Table, lang: str, st: dict[str, ParagraphStyle], width: float = WIDTH) -> Any:
    if not table.headers:
        return Paragraph(escape(table.note), st["note"])
    widths = _col_widths(table, width)
    size = _header_size(table, widths, st["head"].fontName)
    head = ParagraphStyle("head_fit", parent=st["head"], fontSize=size, leading=size * 1.2)
    data = [[Paragraph(escape(h), head) for h in table.headers]]
    for row in table.rows:
        data.append([Paragraph(escape(_fmt(v, f, lang)), st["cell"] if f == "text" else st["num"])
                     for v, f in zip(row, table.formats, strict=True)])
    if not table.rows:
        data.append([Paragraph(escape(tr(N_("No cases match."), lang)), st["cell"])] + [""] * (len(table.headers) - 1))
    out = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    out.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font_name("NotoSans-Regular.ttf")),  # the cells' own font
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return out


def _drawing(height: float, title: str) -> Drawing:
    d = Drawing(WIDTH, height)
    d.initialFontName = font_name("NotoSans-Regular.ttf")  # renderPDF's starting font: not Helvetica
    _title(d, title)
    return d


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 12, text, fontName=font_name("NotoSans-Bold.ttf"), fontSize=10))


def _axis_font(chart: Any) -> None:
    regular = font_name("NotoSans-Regular.ttf")
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = regular, 7
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, colors.HexColor("#e3e7ec")


def quota_chart(table: Table, lang: str) -> Drawing | None:
    if not table.rows:
        return None
    labels = [f"{(r[1] or r[0])[:40]} ({r[2]})" for r in table.rows]
    values = [float(r[6] or 0) for r in table.rows]
    label_w = min(260.0, max(len(s) for s in labels) * 4.2 + 10)
    height = 30 + 16 * len(labels)
    d = _drawing(height + 20, tr(N_("Quota fill by region"), lang) + ", %")
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = label_w, 18, WIDTH - label_w - 30, height - 14
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(100.0, max(values) * 1.1)
    chart.valueAxis.labelTextFormat = lambda v: fmt_number(v, lang)
    chart.bars[0].fillColor = BAR
    _axis_font(chart)
    d.add(chart)
    return d


def office_chart(table: Table, lang: str) -> Drawing | None:
    if not table.rows:
        return None
    d = _drawing(190, tr(N_("Cases by office"), lang))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 35, WIDTH - 50, 130
    chart.data = [[r[2] for r in table.rows]]
    chart.categoryAxis.categoryNames = [str(r[0]).removeprefix("ALM-") for r in table.rows]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: fmt_number(v, lang)
    chart.bars[0].fillColor = BAR
    _axis_font(chart)
    d.add(chart)
    return d


def month_chart(table: Table, lang: str) -> Drawing | None:
    if not table.rows:
        return None
    d = _drawing(190, tr(N_("Cases by month"), lang))
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 40, WIDTH - 50, 125
    chart.data = [[r[1] for r in table.rows]]
    chart.categoryAxis.categoryNames = [r[0] for r in table.rows]
    if len(table.rows) > 12:
        chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 45, "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: fmt_number(v, lang)
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = BAR, 1.5
    _axis_font(chart)
    d.add(chart)
    return d


def report_bytes(tables: list[Table], lang: str, *, heading: list[str], printed: date) -> bytes:
    """``heading``: the title, then the lines under it (office, filter)."""
    st = _styles()
    by_key = {t.key: t for t in tables}
    story: list[Any] = [Paragraph(escape(heading[0]), st["title"])]
    story += [Paragraph(escape(line), st["sub"]) for line in heading[1:]]
    story.append(Paragraph(escape(tr(N_("Printed on {date}"), lang).format(date=fmt_date(printed, lang, "long"))), st["sub"]))
    charts = {"quota": quota_chart, "by_office": office_chart, "by_month": month_chart}
    for table in tables:
        story += [Paragraph(escape(table.title), st["h2"]), _table(table, lang, st)]
        if table.key in charts and (drawing := charts[table.key](by_key[table.key], lang)) is not None:
            story += [Spacer(1, 6), drawing]
    buf = io.BytesIO()
    page_word = tr(N_("Page {page}"), lang)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font_name("NotoSans-Regular.ttf"), 7.5)
        canvas.drawRightString(PAGE[0] - MARGIN, 7 * mm, page_word.format(page=doc.page))
        canvas.drawString(MARGIN, 7 * mm, heading[0])
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=14 * mm, title=heading[0], lang=lang, initialFontName=font_name("NotoSans-Regular.ttf"))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def write_pdf(path: Path, tables: list[Table], lang: str, *, heading: list[str], printed: date) -> Path:
    return write_private(Path(path), report_bytes(tables, lang, heading=heading, printed=printed))
