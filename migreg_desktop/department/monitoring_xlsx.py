"""The monitoring workbook (openpyxl): one sheet per table, translated headers, number formats,
frozen header rows and native Excel charts (quota fill by region, cases by office, cases by month)
that Excel and LibreOffice draw themselves."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from migreg_desktop.department.report_table import DECIMAL, INT, PERCENT, TEXT, Table, write_private
from migreg_desktop.i18n import N_, tr

NUMBER_FORMATS = {INT: "#,##0", PERCENT: "0.0%", TEXT: "@", DECIMAL: "#,##0.00"}
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WIDTHS = {INT: 12, PERCENT: 12, TEXT: 16, DECIMAL: 12}
WIDE_TEXT = 44  # names of offices, regions and settlements
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(title: str, used: set[str]) -> str:
    """Excel: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = title.translate(_FORBIDDEN).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _write_table(ws: Worksheet, table: Table) -> None:
    if not table.headers:
        ws["A1"] = table.note
        ws["A1"].font = Font(italic=True)
        ws.column_dimensions["A"].width = 60
        return
    ws.append(table.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        ws.append([v / 100 if fmt == PERCENT and v is not None else v
                   for v, fmt in zip(row, table.formats, strict=True)])
    for col, fmt in enumerate(table.formats, start=1):
        letter = get_column_letter(col)
        wide = fmt == TEXT and any(len(str(r[col - 1])) > 16 for r in table.rows)
        ws.column_dimensions[letter].width = WIDE_TEXT if wide else WIDTHS[fmt]
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = NUMBER_FORMATS[fmt]
    ws.freeze_panes = "A2"  # the header row stays on screen
    ws.auto_filter.ref = ws.dimensions


def _bar(title: str, y_title: str, *, horizontal: bool = False, percent: bool = False) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title, chart.y_axis.title = title, y_title
    chart.legend = None
    chart.height, chart.width = 9, 18
    chart.y_axis.numFmt = "0%" if percent else "#,##0"
    chart.y_axis.delete = False  # openpyxl ≥ 3.1 hides axes unless told
    chart.x_axis.delete = False
    return chart


def _add_charts(sheets: dict[str, tuple[Worksheet, Table]], lang: str) -> None:
    t: Callable[[str], str] = lambda msg: tr(msg, lang)  # noqa: E731
    if not {"quota", "by_office", "by_month"} <= sheets.keys():  # another workbook (the §4 proposal)
        return
    ws, table = sheets["quota"]
    if table.rows:  # quota fill by region: percent column, categories "region — kind"
        chart = _bar(t(N_("Quota fill by region")), t(N_("Filled, %")), horizontal=True, percent=True)
        label_col = len(table.headers) + 2  # a helper column next to the table: "region (kind)"
        ws.cell(row=1, column=label_col, value=t(N_("Quota")))
        for i, row in enumerate(table.rows, start=2):
            ws.cell(row=i, column=label_col, value=f"{row[1] or row[0]} ({row[2]})")
        ws.column_dimensions[get_column_letter(label_col)].width = WIDE_TEXT
        n = len(table.rows) + 1
        chart.add_data(Reference(ws, min_col=7, min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=label_col, min_row=2, max_row=n))
        chart.height = max(9, 0.6 * len(table.rows))
        ws.add_chart(chart, f"{get_column_letter(label_col + 1)}2")
    ws, table = sheets["by_office"]
    if table.rows:
        chart = _bar(t(N_("Cases by office")), t(N_("Cases")))
        n = len(table.rows) + 1
        chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
        ws.add_chart(chart, f"A{n + 3}")
    ws, table = sheets["by_month"]
    if table.rows:
        chart = LineChart()
        chart.title, chart.y_axis.title, chart.legend = t(N_("Cases by month")), t(N_("Cases")), None
        chart.height, chart.width = 9, 18
        chart.y_axis.numFmt, chart.y_axis.delete, chart.x_axis.delete = "#,##0", False, False
        n = len(table.rows) + 1
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
        ws.add_chart(chart, "E2")


def workbook_bytes(tables: list[Table], lang: str, *, title: str = "") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    sheets: dict[str, tuple[Worksheet, Table]] = {}
    for table in tables:
        ws = wb.create_sheet(sheet_title(table.title, used))
        _write_table(ws, table)
        sheets[table.key] = (ws, table)
    _add_charts(sheets, lang)
    wb.properties.title = title
    wb.properties.language = lang
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(path: Path, tables: list[Table], lang: str, *, title: str = "") -> Path:
    return write_private(Path(path), workbook_bytes(tables, lang, title=title))

