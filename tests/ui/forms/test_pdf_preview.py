"""Issue 15: the PDF preview zooms (Ctrl++ / Ctrl+-), fits the width and turns pages (PageUp / PageDown)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView

from migreg_desktop.ui.pdf_preview import ZOOM_MAX, PdfPreview


@pytest.fixture
def three_pages(tmp_path: Path) -> Path:
    from reportlab.pdfgen import canvas

    out = tmp_path / "three.pdf"
    c = canvas.Canvas(str(out))
    for n in range(3):
        c.drawString(72, 720, f"page {n + 1}")
        c.showPage()
    c.save()
    return out


@pytest.fixture
def preview(qtbot: Any, three_pages: Path) -> PdfPreview:
    widget = PdfPreview()
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.load(three_pages) == 3
    return widget


def test_pages_with_buttons_and_keys(ui_lang: str, qtbot: Any, preview: PdfPreview) -> None:
    assert preview.current_page() == 0 and not preview.prev_button.isEnabled()
    assert "1" in preview.page_label.text() and "3" in preview.page_label.text()
    preview.next_button.click()
    assert preview.current_page() == 1
    preview.view.setFocus()
    qtbot.keyClick(preview.view, Qt.Key.Key_PageDown)
    assert preview.current_page() == 2 and not preview.next_button.isEnabled()
    qtbot.keyClick(preview.view, Qt.Key.Key_PageDown)
    assert preview.current_page() == 2  # the last page stays
    qtbot.keyClick(preview.view, Qt.Key.Key_PageUp)
    assert preview.current_page() == 1


def test_zoom_in_out_and_fit_to_width(ui_lang: str, qtbot: Any, preview: PdfPreview) -> None:
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth and preview.fit_button.isChecked()
    fitted = preview._effective_zoom()
    preview.view.setFocus()
    qtbot.keyClick(preview.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom and not preview.fit_button.isChecked()
    assert preview.zoom() == pytest.approx(fitted * 1.25, rel=0.01)
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoom() == pytest.approx(fitted / 1.25, rel=0.01)
    assert f"{round(preview.zoom() * 100)} %" == preview.zoom_label.text()
    for _i in range(20):
        preview.zoom_in_button.click()
    assert preview.zoom() == ZOOM_MAX
    preview.fit_button.click()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth and preview.fit_button.isChecked()


def test_empty_preview_disables_the_page_buttons(ui_lang: str, qtbot: Any, preview: PdfPreview) -> None:
    preview.clear()
    assert not preview.prev_button.isEnabled() and not preview.next_button.isEnabled()
    assert preview.next_page() == 0


def test_print_opens_the_print_dialog_without_blocking(ui_lang: str, qtbot: Any, preview: PdfPreview) -> None:
    """The Print button's dialog opens window-modal; cancelling it prints nothing. (mypy found that
    ``QPrintDialog.open()`` without arguments raises: its no-argument ``open`` is QDialog's.)"""
    dialog = preview.ask_print()
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    dialog.reject()
    assert not dialog.isVisible()
