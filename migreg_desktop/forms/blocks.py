"""Flowing blocks of a layout's body: text, label/value fields, repeating tables, signatures.

Each function moves the renderer's cursor ``r.y`` (points from the page top) and asks for a new
page (``r._room``) when the next line or row does not fit; a table repeats its header row on
every page it continues on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from reportlab.lib.units import mm

from migreg_desktop.forms.palette import GRID_GREY, SHADE, Style
from migreg_desktop.forms.pdftext import TextWriter
from migreg_desktop.forms.text import Measure


class Renderer(Protocol):
    """What a block needs of the renderer (forms/render.Renderer, which imports this module):
    the cursor and frame in points from the page top, the styles, the data, the drawing calls."""

    c: Any
    y: float
    top: float
    bottom: float
    left: float
    right: float
    shift: float
    styles: dict[str, Style]
    measure: Measure
    text: TextWriter
    data: dict[str, Any]

    def _room(self, height: float) -> None: ...
    def _break(self) -> None: ...
    def _pdf_y(self, y_from_top: float) -> float: ...
    def _baseline(self, top: float, style_name: str | Style) -> float: ...
    def _set_font(self, style: Style) -> None: ...
    def _text_line(self, text: str, x: float, baseline: float, style: Style, align: str = "left",
                   width: float = 0.0) -> None: ...
    def _line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5, dashed: bool = False,
              color: Any = None) -> None: ...

Block = dict[str, Any]
Plan = tuple[int, list[tuple[int, float, str]]]  # a cell: its line count, its non-empty lines placed


def draw_block(r: Renderer, block: Block) -> None:
    DRAW[block["type"]](r, block)


def _space(r: Renderer, block: Block, key: str) -> None:
    gap = block.get(key, 0) * mm
    if gap and r.y > r.top + r.shift + 0.01:  # no blank band at the top of a page
        r.y = min(r.y + gap, r.bottom)


def _style(r: Renderer, block: Block, key: str = "style", default: str = "body") -> Style:
    name = block.get(key) or (default if default in r.styles else next(iter(r.styles)))
    return r.styles[name]


def draw_text(r: Renderer, block: Block) -> None:
    value = r.data.get(block["field"])
    if not value:
        return
    style = _style(r, block)
    _space(r, block, "space_before")
    indent = block.get("indent", 0) * mm
    width = r.right - r.left - indent
    for line in r.measure.wrap(str(value), style.font, style.size, width):
        r._room(style.leading)
        r._text_line(line, r.left + indent, r._baseline(r.y, style), style, block.get("align", "left"), width)
        r.y += style.leading
    _space(r, block, "space_after")


def draw_fields(r: Renderer, block: Block) -> None:
    """Label on the left, value on the right, value underlined like a paper form."""
    style, label_style = _style(r, block), _style(r, block, "label_style", "label")
    label_w = block["label_width"] * mm
    value_x = r.left + label_w
    value_w = r.right - value_x
    _space(r, block, "space_before")
    for key in block["items"]:
        pair = r.data.get(key)
        if not pair:
            continue
        labels = r.measure.wrap(str(pair.get("label", "")), label_style.font, label_style.size, label_w - 2 * mm)
        values = r.measure.wrap(str(pair.get("value") or "—"), style.font, style.size, value_w - 1 * mm)
        leading = max(style.leading, label_style.leading)
        r._room(leading * max(len(labels), len(values)))
        top = r.y
        for i, line in enumerate(labels):  # the label sits on the value's baseline
            r._text_line(line, r.left, r._baseline(top + i * leading, style), label_style)
        for i, line in enumerate(values):
            base = r._baseline(top + i * leading, style)
            r._text_line(line, value_x + 1 * mm, base, style)
            if block.get("underline", True):
                r._line(value_x, base + 1.6, r.right, base + 1.6, 0.3, color=GRID_GREY)
        r.y = top + leading * max(len(labels), len(values)) + 0.8 * mm
    _space(r, block, "space_after")


class _Plans:
    """A column's cell plans by value, kept while the values repeat (kinds, places, dates) and
    dropped for a column whose values do not (case numbers, names, IINs): those would only
    fill memory with 20,000 plans of a 1,000-page register."""

    TRIAL = 400  # lookups before judging the column
    LIMIT = 5000

    def __init__(self) -> None:
        self.found: dict[tuple[str, float, Any], Plan] = {}
        self.looks = self.hits = 0
        self.on = True

    def get(self, key: tuple[str, float, Any]) -> Plan | None:
        if not self.on:
            return None
        self.looks += 1
        found = self.found.get(key)
        if found is not None:
            self.hits += 1
        return found

    def put(self, key: tuple[str, float, Any], plan: Plan) -> Plan:
        if not self.on:
            return plan
        if self.looks >= self.TRIAL and self.hits * 2 < self.looks:  # mostly new values
            self.on, self.found = False, {}
            return plan
        if len(self.found) >= self.LIMIT:
            self.found.clear()
        self.found[key] = plan
        return plan


class _Table:
    """State of one table while it flows over pages (column x positions, segment tops for grid).

    A body cell's lines and their x positions are kept per distinct value: a register repeats
    its kinds, statuses, places, dates and family sizes on every page (issue 17 §6)."""

    def __init__(self, r: Renderer, block: Block, spec: dict[str, Any]) -> None:
        self.r, self.block = r, block
        self.cols = block["columns"]
        self.titles = spec.get("columns", {})
        self.style = _style(r, block)
        self.head_style = _style(r, block, "header_style", "th")
        self.pad = block.get("padding", 1.0) * mm
        self.grid = block.get("grid", True)
        xs = [r.left]
        for col in self.cols:
            xs.append(xs[-1] + col["width"] * mm)
        self.xs = xs
        self.seg_top = r.y
        self.rules: list[float] = []  # row bottoms of the current page segment, drawn by close()
        self._plans = [_Plans() for _ in self.cols]

    def cell_lines(self, text: Any, col: dict[str, Any], style: Style) -> list[str]:
        width = col["width"] * mm - 2 * self.pad
        return self.r.measure.wrap("" if text is None else str(text), style.font, style.size, width,
                                   col.get("max_lines", 3))

    def plan(self, i: int, text: Any, style: Style, center: bool = False) -> Plan:
        """(number of lines, [(line index, x, line)]) of column ``i``'s cell showing ``text``."""
        col = self.cols[i]
        lines = self.cell_lines(text, col, style)
        align = "center" if center else col.get("align", "left")
        left, width = self.xs[i] + self.pad, col["width"] * mm - 2 * self.pad
        placed = []
        for n, line in enumerate(lines):
            if not line:
                continue
            x = left
            if align != "left":
                w = self.r.measure.width(line, style.font, style.size)
                x += width - w if align == "right" else (width - w) / 2
            placed.append((n, x, line))
        return len(lines), placed

    def header(self) -> None:
        r, st = self.r, self.head_style
        plans = [self.plan(i, self.titles.get(c["key"], ""), st, center=True) for i, c in enumerate(self.cols)]
        height = max(n for n, _ in plans) * st.leading + 2 * self.pad
        self.seg_top = r.y
        if self.block.get("shade_header", True):
            r.c.saveState()
            r.c.setFillColor(SHADE)
            r.c.rect(self.xs[0], r._pdf_y(r.y + height), self.xs[-1] - self.xs[0], height, stroke=0, fill=1)
            r.c.restoreState()
        self._show(plans, st, height)

    def row(self, values: dict[str, Any], on_break: Callable[[], None]) -> None:
        r = self.r
        st = r.styles.get(values.get("_style", ""), self.style)  # e.g. a bold "Total" row
        plans = []
        for i, (col, cache) in enumerate(zip(self.cols, self._plans, strict=True)):
            text = values.get(col["key"])
            key = (st.font, st.size, text)
            found = cache.get(key) if type(text) is str else None  # a str is hashable, and its own text
            if found is None:
                found = cache.put(key, self.plan(i, text, st)) if type(text) is str else self.plan(i, text, st)
            plans.append(found)
        height = max(n for n, _ in plans) * st.leading + 2 * self.pad
        if r.y + height > r.bottom + 0.01:
            self.close()
            on_break()
            self.header()
        self._show(plans, st, height)

    def _show(self, plans: list[Plan], st: Style, height: float) -> None:
        """One PDF text object per row (not one per cell): a register draws 300,000 cells."""
        r = self.r
        top = r.y
        r._set_font(st)
        ys = [r._pdf_y(r._baseline(top + self.pad + n * st.leading, st)) for n in range(max(n for n, _ in plans))]
        r.text.text_object(st.font, st.size, st.leading,
                           [(x, ys[n], line) for _count, placed in plans for n, x, line in placed])
        r.y = top + height
        if self.grid:
            self.rules.append(r.y)

    def close(self) -> None:
        """The grid of a page segment in one path (row rules and verticals), not one graphics
        state per row: a 1,000-page register draws 21,000 rules (issue 17 §6)."""
        if not self.grid:
            return
        r, left, right = self.r, self.xs[0], self.xs[-1]
        top, bottom = r._pdf_y(self.seg_top), r._pdf_y(r.y)
        segments = [(left, top, right, top)] + [(left, r._pdf_y(y), right, r._pdf_y(y)) for y in self.rules]
        segments += [(x, top, x, bottom) for x in self.xs]
        r.c.saveState()
        r.c.setLineWidth(0.3)
        r.c.setStrokeColor(GRID_GREY)
        r.text.lines(segments)
        r.c.restoreState()
        self.rules = []


def draw_table(r: Renderer, block: Block) -> None:
    spec = r.data.get(block["source"])
    if spec is None:
        return
    rows = iter(spec.get("rows", ()))
    first = next(rows, None)  # rows may be a generator: peek to know whether the table is empty
    _space(r, block, "space_before")
    table = _Table(r, block, spec)
    if first is None:
        if spec.get("empty"):
            r._room(table.style.leading)
            r._text_line(str(spec["empty"]), r.left, r._baseline(r.y, table.style), table.style)
            r.y += table.style.leading
        _space(r, block, "space_after")
        return
    r._room(table.head_style.leading * 2 + table.style.leading + 4 * table.pad)  # header + one row together
    table.header()
    table.row(first, r._break)
    for values in rows:
        table.row(values, r._break)
    table.close()
    _space(r, block, "space_after")


def draw_signatures(r: Renderer, block: Block) -> None:
    """"Applicant: name ______ (signature, date)" lines; each kept whole on one page."""
    style = _style(r, block)
    small = r.styles.get("small", style)
    line_w = block.get("line_width", 60) * mm
    _space(r, block, "space_before")
    for key in block["items"]:
        sig = r.data.get(key)
        if not sig:
            continue
        r._room(style.leading * 2 + small.leading + 4 * mm)
        r.y += 4 * mm  # room to sign above the line
        base = r._baseline(r.y, style)
        label = f"{sig.get('label', '')}"
        r._text_line(label, r.left, base, style)
        x_line = r.right - line_w
        if sig.get("name"):
            r._text_line(str(sig["name"]), r.left, base + style.leading, style)
        r._line(x_line, base + 1, r.right, base + 1, 0.5)
        if sig.get("caption"):
            r._text_line(str(sig["caption"]), x_line, base + small.leading + 1, small, "center", line_w)
        r.y += style.leading * 2 + 1 * mm
    _space(r, block, "space_after")


def draw_spacer(r: Renderer, block: Block) -> None:
    r.y = min(r.y + block["height"] * mm, r.bottom)


def draw_rule(r: Renderer, block: Block) -> None:
    _space(r, block, "space_before")
    r._line(r.left, r.y, r.right, r.y, block.get("width", 0.5))
    r.y += 1 * mm
    _space(r, block, "space_after")


def draw_page_break(r: Renderer, block: Block) -> None:
    if r.y > r.top + r.shift + 0.01:
        r._break()


def draw_keep_together(r: Renderer, block: Block) -> None:
    if r.y + block["keep"] * mm > r.bottom:
        draw_page_break(r, block)


DRAW: dict[str, Callable[[Renderer, Block], None]] = {
    "text": draw_text, "paragraph": draw_text, "fields": draw_fields, "table": draw_table,
    "signatures": draw_signatures, "spacer": draw_spacer, "rule": draw_rule,
    "page_break": draw_page_break, "keep_together": draw_keep_together,
}
