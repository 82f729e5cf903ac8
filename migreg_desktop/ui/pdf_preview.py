"""A PDF shown in the program (QtPdf's QPdfView), printed through QPrintDialog or saved elsewhere.

Printing draws each page as an image at the printer's resolution (QtPdf renders; QPainter puts it
on the printer page), so "Print to PDF" and a real printer get the same result.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QVBoxLayout, QWidget

from ..i18n import _


class PdfPreview(QWidget):
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.path: Path | None = None
        self._print_dialog: QPrintDialog | None = None

    def load(self, path: str | os.PathLike[str]) -> int:
        self.document.close()
        self.path = Path(path)
        self.document.load(str(self.path))
        pages = self.document.pageCount()
        self.loaded.emit(pages)
        return pages

    def clear(self) -> None:
        self.document.close()
        self.path = None

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
        dialog.open()
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
