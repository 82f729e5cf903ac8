"""A PDF shown in the program (QtPdf's QPdfView), printed through QPrintDialog or saved elsewhere.

Printing draws each page as an image at the printer's resolution (QtPdf renders; QPainter puts it
on the printer page), so "Print to PDF" and a real printer get the same result.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPageLayout, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.i18n import _

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0


class PdfPreview(QWidget):
    """The preview with zoom (Ctrl++ / Ctrl+-), fit to width (Ctrl+0) and pages (PageUp / PageDown)."""

    loaded = Signal(int)  # page count
    printed = Signal(int)
    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._build_bar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.bar)
        layout.addWidget(self.view)
        self.path: Path | None = None
        self._print_dialog: QPrintDialog | None = None
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._update_bar())
        self.view.zoomFactorChanged.connect(lambda _z: self._update_bar())
        self.retranslate_ui()

    def _build_bar(self) -> None:
        self.prev_button, self.next_button = QToolButton(self), QToolButton(self)
        self.zoom_out_button, self.zoom_in_button, self.fit_button = QToolButton(self), QToolButton(self), QToolButton(self)
        self.page_label, self.zoom_label = QLabel(self), QLabel(self)
        self.prev_button.setText("▲")
        self.next_button.setText("▼")
        self.zoom_out_button.setText("−")
        self.zoom_in_button.setText("+")
        self.fit_button.setCheckable(True)
        self.bar = QHBoxLayout()
        for w in (self.prev_button, self.page_label, self.next_button):
            self.bar.addWidget(w)
        self.bar.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            self.bar.addWidget(w)
        actions = ((self.prev_button, self.previous_page, (QKeySequence.StandardKey.MoveToPreviousPage,)),
                   (self.next_button, self.next_page, (QKeySequence.StandardKey.MoveToNextPage,)),
                   (self.zoom_in_button, self.zoom_in, (QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+="))),
                   (self.zoom_out_button, self.zoom_out, (QKeySequence.StandardKey.ZoomOut,)),
                   (self.fit_button, self.fit_width, (QKeySequence("Ctrl+0"),)))
        for button, slot, keys in actions:
            button.clicked.connect(lambda _c=False, f=slot: f())
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

    def retranslate_ui(self) -> None:
        self.prev_button.setToolTip(_("Previous page (PgUp)"))
        self.next_button.setToolTip(_("Next page (PgDn)"))
        self.zoom_in_button.setToolTip(_("Zoom in (Ctrl++)"))
        self.zoom_out_button.setToolTip(_("Zoom out (Ctrl+-)"))
        self.fit_button.setText(_("Fit to width"))
        self.fit_button.setToolTip(_("Fit the page to the width of the preview (Ctrl+0)"))
        self._update_bar()

    # ---- zoom and pages ------------------------------------------------------------------------
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> int:
        page = max(0, min(page, self.page_count() - 1))
        if self.page_count():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_bar()
        return page

    def next_page(self) -> int:
        return self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> int:
        return self.go_to_page(self.current_page() - 1)

    def zoom(self) -> float:
        return float(self.view.zoomFactor())

    def set_zoom(self, factor: float) -> float:
        factor = max(ZOOM_MIN, min(ZOOM_MAX, factor))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._update_bar()
        return factor

    def zoom_in(self) -> float:
        return self.set_zoom(self._effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> float:
        return self.set_zoom(self._effective_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_bar()

    def _effective_zoom(self) -> float:
        """In fit-to-width the factor is the one the view computed for the page and its width."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or not self.page_count():
            return self.zoom()
        page_px = self.document.pagePointSize(0).width() * self.logicalDpiX() / 72
        return max(ZOOM_MIN, (self.view.viewport().width() - 2 * self.view.documentMargins().left()) / page_px)

    def _update_bar(self) -> None:
        pages = self.page_count()
        self.page_label.setText(_("Page {page} of {pages}").format(page=self.current_page() + 1, pages=pages)
                                if pages else "")
        self.prev_button.setEnabled(pages > 0 and self.current_page() > 0)
        self.next_button.setEnabled(pages > 0 and self.current_page() < pages - 1)
        fitting = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit_button.setChecked(fitting)
        self.zoom_label.setText(f"{round(self._effective_zoom() * 100)} %")

    def load(self, path: str | os.PathLike[str]) -> int:
        self.document.close()
        self.path = Path(path)
        self.document.load(str(self.path))
        pages = self.document.pageCount()
        self._update_bar()
        self.loaded.emit(pages)
        return pages

    def clear(self) -> None:
        self.document.close()
        self.path = None
        self._update_bar()

    def page_count(self) -> int:
        return self.document.pageCount()

    # ---- printing ------------------------------------------------------------------------------
    def ask_print(self) -> QPrintDialog:
        """Open the system print dialog without blocking (tests accept it themselves)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        dialog.accepted.connect(lambda: self.print_to(printer))
        self._print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open() wants (receiver, member): without them it raises
        return dialog

    def print_to(self, printer: QPrinter) -> int:
        """Each page rendered at the printer's resolution and fitted to its page rectangle."""
        pages = self.document.pageCount()
        if not pages:
            return 0
        first = self.document.pagePointSize(0)
        if first.width() > first.height():  # the register is landscape
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            dpi = min(printer.resolution(), 300)
            for n in range(pages):
                if n:
                    printer.newPage()
                size_pt = self.document.pagePointSize(n)
                image = self.document.render(n, QSize(int(size_pt.width() * dpi / 72), int(size_pt.height() * dpi / 72)))
                area = painter.viewport()
                fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                # Draw into a rectangle: the painter scales; no printer-sized copy of the image.
                painter.drawImage(QRect(area.x(), area.y(), fitted.width(), fitted.height()), image)
        finally:
            painter.end()
        self.printed.emit(pages)
        return pages

    # ---- saving --------------------------------------------------------------------------------
    def ask_save(self, suggested: str = "") -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as"), suggested, _("PDF files (*.pdf)"))
        if path:
            self.save_to(path)

    def save_to(self, target: str | os.PathLike[str]) -> Path:
        """Copy through a temp file in the target folder and rename (no half-written PDF)."""
        if self.path is None:
            raise FileNotFoundError("nothing to save")
        target = Path(target)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".part")
        os.close(fd)
        try:
            shutil.copyfile(self.path, tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.saved.emit(str(target))
        return target
