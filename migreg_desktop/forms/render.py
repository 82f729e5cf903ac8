"""The one renderer: draws any form from its layout (resources/forms/*.json) and its data.

Data is a dict already in the clerk's chosen language (built by the form's data function):
plain strings for ``text``/``paragraph`` fields, ``{"label", "value"}`` pairs for ``fields``,
``{"columns": {key: title}, "rows": iterable of dicts, "empty": text}`` for tables, and
``{"label", "name", "caption"}`` for signatures. Rows may be a generator: a register of 30,000
cases is drawn page by page while the rows are read in chunks, never held all at once.

"Page 3 of 12" needs the total before it is known: each page draws the total as a PDF form
XObject that is defined once the document ends (one pass, nothing buffered).
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from migreg_desktop.errors import Cancelled, UserError
from migreg_desktop.forms.palette import GRID_GREY, SHADE, Style  # noqa: F401  (the renderer's own cells)
from migreg_desktop.forms.pdftext import TextWriter
from migreg_desktop.forms.qr import draw_qr
from migreg_desktop.forms.text import Measure, font_name
from migreg_desktop.i18n import N_

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
MSG_CANNOT_WRITE = N_("cannot write {path}: {error}")
MSG_CANCELLED = N_("printing was cancelled")
BASE_FONT = "NotoSans-Regular.ttf"


@dataclass
class Job:
    """One document: a layout and one data dict per language copy (two for "kk and ru")."""

    layout: dict[str, Any]
    copies: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)


def write_pdf(out: str | os.PathLike[str], jobs: Iterable[Job], *, progress: Progress | None = None,
              cancelled: IsCancelled | None = None, total_hint: int = 0) -> int:
    """Render jobs into ``out`` through a temp file renamed at the end (no half-written PDF)."""
    target = Path(out).expanduser().resolve()
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".part")
    except OSError as exc:
        raise UserError(MSG_CANNOT_WRITE, field="out", path=str(target), error=exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            # The initial font is the shipped Noto Sans, so no page refers to a non-embedded Helvetica.
            canvas = Canvas(fh, pagesize=A4, pageCompression=1, initialFontName=font_name(BASE_FONT),
                            initialFontSize=9)
            canvas.setCreator("migreg-desktop")
            renderer = Renderer(canvas, progress, cancelled, total_hint)
            for job in jobs:
                renderer.document(job)
            canvas.save()
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise UserError(MSG_CANNOT_WRITE, field="out", path=str(target), error=exc.strerror or str(exc)) from exc
    except BaseException:
        _remove(tmp)
        raise
    return renderer.pages


def compact_last_page(canvas: Canvas) -> None:
    """Deflate the page just finished instead of at save time: ReportLab keeps every page's
    content until it writes the file, so a 1,000-page register would hold ~35 MB of text
    streams; compressed it is a tenth. Falls back silently if ReportLab's internals differ."""
    try:
        page = canvas._doc.Pages.pages[-1]
        if page.Contents or not page.stream:
            return
        data = page.stream.encode("latin-1") if isinstance(page.stream, str) else page.stream
        stream = pdfdoc.PDFStream(content=zlib.compress(data), filters=[])
        stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        stream.__Comment__ = "page stream"
        page.Contents, page.stream = stream, None
    except (AttributeError, IndexError, UnicodeEncodeError):
        return


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class Renderer:
    def __init__(self, canvas: Canvas, progress: Progress | None, cancelled: IsCancelled | None,
                 total_hint: int = 0) -> None:
        self.c = canvas
        self.measure = Measure()
        self.text = TextWriter(canvas)
        self.progress, self.cancelled, self.total_hint = progress, cancelled, total_hint
        self.pages = 0
        self.doc_index = 0
        self.page_open = False
        self._font: tuple[str, float] | None = None
        self._color: Any = None

    # ---- documents and pages ------------------------------------------------------------
    def document(self, job: Job) -> None:
        self.doc_index += 1
        self.layout = job.layout
        self.styles = {k: self._style(v) for k, v in job.layout["styles"].items()}
        orientation = job.layout["page"].get("orientation", "portrait")
        self.page_w, self.page_h = landscape(A4) if orientation == "landscape" else A4
        frame = job.layout["frame"]
        self.left, self.right = frame["left"] * mm, self.page_w - frame["right"] * mm
        self.top, self.bottom_margin = frame["top"] * mm, frame["bottom"] * mm
        self.doc_pages = 0
        self.total_digits = len(str(max(int(job.meta.get("pages_hint", 1)), 1)))
        self.copy_start_page = 1
        self.shift = 0.0
        self.total_form = f"total{self.doc_index}"
        self._define_qr_forms(job.copies)
        if not job.meta.get("title_set"):
            self.c.setTitle(str(job.copies[0].get("title", "")))
        for n, data in enumerate(job.copies):
            self.data = data
            if n > 0 and self._can_stack():
                self.copy_start_page = self.doc_pages
                self._stack_copy()
            else:
                self.copy_start_page = self.doc_pages + 1
                self._new_page(shift=0.0)
            self._flow(job.layout["body"])
        self._end_page()
        self._define_total()

    def _can_stack(self) -> bool:
        both = self.layout.get("both_languages")
        if not both:
            return False
        return self.shift == 0 and self.doc_pages == self.copy_start_page and self.y <= both["offset"] * mm

    def _stack_copy(self) -> None:
        """kk and ru on one page: the second copy goes below a cut line (Rules: slip for the applicant)."""
        offset = self.layout["both_languages"]["offset"] * mm
        if self.layout["both_languages"].get("cut_line", True):
            self._line(0, offset, self.page_w, offset, 0.4, dashed=True)
        self.shift = offset
        self._page_elements()
        self.y = self.top + offset
        self.bottom = self.page_h - self.bottom_margin + offset

    def _new_page(self, shift: float) -> None:
        self._end_page()
        if self.cancelled and self.cancelled():
            raise Cancelled(MSG_CANCELLED)
        self.c.setPageSize((self.page_w, self.page_h))
        self.page_open = True
        self._font = self._color = None
        self.pages += 1
        self.doc_pages += 1
        self.shift = shift
        self.y = self.top + shift
        self.bottom = self.page_h - self.bottom_margin + shift
        self._page_elements()

    def _end_page(self) -> None:
        if self.page_open:
            self.c.showPage()
            compact_last_page(self.c)
            self.page_open = False
            if self.progress:
                self.progress(self.pages, max(self.total_hint, self.pages))

    def _break(self) -> None:
        self._new_page(shift=0.0)

    def _room(self, height: float) -> None:
        if self.y + height > self.bottom + 0.01 and self.y > self.top + self.shift + 0.01:
            self._break()

    # ---- page elements (absolute positions) ---------------------------------------------
    def _page_elements(self) -> None:
        first = self.doc_pages == self.copy_start_page
        for el in self.layout["page_elements"]:
            if el.get("first_page_only") and not first:
                continue
            kind = el["type"]
            if kind == "text":
                self._page_text(el)
            elif kind == "qr" and self.data.get(el["field"]):
                size = el["size"] * mm
                self.c.saveState()
                self.c.translate(el["x"] * mm, self._pdf_y(el["y"] * mm + self.shift + size))
                self.c.doForm(self._qr_name(str(self.data[el["field"]])))
                self.c.restoreState()
            elif kind == "line":
                self._line(el["x1"] * mm, el["y1"] * mm + self.shift, el["x2"] * mm, el["y2"] * mm + self.shift,
                           el.get("width", 0.5), el.get("dashed", False))
            elif kind == "page_number":
                self._page_number(el)

    def _page_text(self, el: dict[str, Any]) -> None:
        """A header or footer text; with a width it wraps to two lines at most (long office names)."""
        value = self.data.get(el["field"])
        if not value:
            return
        style, width = self.styles[el["style"]], el.get("width", 0) * mm
        lines = self.measure.wrap(str(value), style.font, style.size, width, 2) if width else [str(value)]
        top = el["y"] * mm + self.shift
        for i, line in enumerate(lines):
            self._text_line(line, el["x"] * mm, self._baseline(top + i * style.leading, style), style,
                            el.get("align", "left"), width)

    def _page_number(self, el: dict[str, Any]) -> None:
        """Template like "стр. {page} из {total}"; the total is a form XObject filled in at the end."""
        template = str(self.data.get(el.get("field", "page_label"), "{page} / {total}"))
        style = self.styles[el["style"]]
        prefix, _sep, suffix = template.partition("{total}")
        prefix = prefix.replace("{page}", str(self.doc_pages))
        suffix = suffix.replace("{page}", str(self.doc_pages))
        # The total is unknown until the end: keep room for as many digits as the hint expects
        # (one for a case's form, more for a register), so the label ends at the margin.
        reserve = self.measure.width("0" * self.total_digits, style.font, style.size)
        baseline = self._baseline(el["y"] * mm + self.shift, el["style"])
        x = el["x"] * mm
        if el.get("align") == "right":
            x -= self.measure.width(prefix, style.font, style.size) + reserve
        self._text_line(prefix, x, baseline, style)
        total_x = x + self.measure.width(prefix, style.font, style.size)
        self.c.saveState()
        self.c.translate(total_x, self._pdf_y(baseline))
        self.c.doForm(self.total_form)
        self.c.restoreState()
        if suffix:
            self._text_line(suffix, total_x + reserve, baseline, style)

    def _define_total(self) -> None:
        el = next((e for e in self.layout["page_elements"] if e["type"] == "page_number"), None)
        style = self.styles[el["style"]] if el else next(iter(self.styles.values()))
        self.c.beginForm(self.total_form, lowery=-style.size)
        self.c.setFont(style.font, style.size)
        self.c.setFillColor(style.color)
        self.c.drawString(0, 0, str(self.doc_pages))
        self.c.endForm()

    def _qr_name(self, payload: str) -> str:
        names = self._qr_names
        if payload not in names:
            names[payload] = f"qr{len(names) + 1}"
        return names[payload]

    def _define_qr_forms(self, copies: list[dict[str, Any]]) -> None:
        """One vector QR per payload per file, reused on every page (a batch of slips stays small)."""
        self._qr_names: dict[str, str] = getattr(self, "_qr_names", {})
        self._qr_done: set[str] = getattr(self, "_qr_done", set())
        for el in self.layout["page_elements"]:
            if el["type"] != "qr":
                continue
            for data in copies:
                payload = str(data.get(el["field"]) or "")
                name = self._qr_name(payload)
                if payload and name not in self._qr_done:
                    self.c.beginForm(name)
                    draw_qr(self.c, payload, 0, 0, el["size"] * mm)
                    self.c.endForm()
                    self._qr_done.add(name)

    # ---- flowing blocks -------------------------------------------------------------------
    def _flow(self, blocks: list[dict[str, Any]]) -> None:
        from migreg_desktop.forms.blocks import draw_block

        for block in blocks:
            draw_block(self, block)

    # ---- drawing primitives ----------------------------------------------------------------
    def _style(self, spec: dict[str, Any]) -> Style:
        font = font_name(self.layout["fonts"][spec["font"]])
        size = float(spec["size"])
        return Style(font, size, float(spec.get("leading", size * 1.25)), HexColor(spec.get("color", "#000000")))

    def _pdf_y(self, y_from_top: float) -> float:
        return self.page_h - y_from_top

    def _baseline(self, top: float, style_name: str | Style) -> float:
        """y from the page top of the baseline of a line whose box starts at ``top``."""
        style = self.styles[style_name] if isinstance(style_name, str) else style_name
        return top + style.size * 0.93

    def _set_font(self, style: Style) -> None:
        if self._font != (style.font, style.size):
            self.c.setFont(style.font, style.size)
            self._font = (style.font, style.size)
        if self._color != style.color:
            self.c.setFillColor(style.color)
            self._color = style.color

    def _text_line(self, text: str, x: float, baseline: float, style: Style, align: str = "left",
                   width: float = 0.0) -> None:
        if not text:
            return
        self._set_font(style)
        if align != "left":
            w = self.measure.width(text, style.font, style.size)
            x = x + width - w if align == "right" else x + (width - w) / 2
        self.c.drawString(x, self._pdf_y(baseline), text)

    def _line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5, dashed: bool = False,
              color: Any = None) -> None:
        self.c.saveState()
        self.c.setLineWidth(width)
        if color is not None:
            self.c.setStrokeColor(color)
        if dashed:
            self.c.setDash(3, 2)
        self.c.line(x1, self._pdf_y(y1), x2, self._pdf_y(y2))
        self.c.restoreState()
