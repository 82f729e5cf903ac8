"""Issue 15: the Russian (and Kazakh) case list needs no horizontal scroll at 1366×768 with the
default columns, and the Users page fits a 1366×768 laptop at 150 % scaling."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.ui.case_table import Col

from .screen_audit import FRAME, SCREEN


def test_case_list_needs_no_horizontal_scroll_at_1366(ui_lang, qtbot, window, app_context):
    generate_demo(app_context.engine, 300, seed=2)  # long kinds, names and destinations
    page: Any = window.show_page("cases")
    page.model.reload()
    window.resize(SCREEN - FRAME)  # maximised on the laptop
    QApplication.processEvents()
    view = page.view
    assert view.horizontalScrollBar().maximum() == 0
    assert view.horizontalHeader().length() <= view.viewport().width()
    fm = view.fontMetrics()
    for row in range(min(page.model.rowCount(), 40)):  # names, numbers and dates whole
        for col in (Col.APPLICANT, Col.NUMBER, Col.CREATED, Col.IIN):
            text = page.model.index(row, int(col)).data()
            assert fm.horizontalAdvance(text) < view.columnWidth(int(col)), (col, text)
    kind = page.model.index(0, int(Col.KIND))
    assert kind.data(Qt.ItemDataRole.ToolTipRole) == kind.data()  # a cut kind reads whole on hover
    window.resize(1800, 900)  # a wider screen: the columns take their full widths again
    QApplication.processEvents()
    assert view.columnWidth(int(Col.KIND)) >= max(fm.horizontalAdvance(page.kind.itemText(i))
                                                  for i in range(1, page.kind.count()))


def test_users_page_fits_1366_at_150_percent(ui_lang, qtbot, window, monkeypatch):
    """1366×768 at 150 % leaves about 910×485 logical pixels (as test_all_pages_fit simulates it)."""
    from migreg_desktop.ui import window_size

    small = QSize(910, 485)
    monkeypatch.setattr(window_size, "available", lambda _w: small - window_size.FRAME)
    page: Any = window.show_page("users")
    QApplication.processEvents()
    need = window.minimumSizeHint() + FRAME
    assert need.width() <= small.width() and need.height() <= small.height(), need
    window.resize(small - FRAME)
    QApplication.processEvents()
    assert window.width() + FRAME.width() <= small.width()
    for button in page.findChildren(QPushButton):
        if button.isVisibleTo(page):
            corner = button.mapTo(window, button.rect().bottomRight())
            assert window.rect().contains(corner), button.text()
            assert button.width() >= button.sizeHint().width(), button.text()  # its text whole
    assert page.note.wordWrap() and page.note.isVisible()


def test_a_window_resize_is_not_remembered_as_the_clerks_layout(qtbot, window, app_context):
    """The last column stretching with the window saved the widths, and the list then kept the
    first language's widths after a switch (Russian statuses cut to Kazakh widths)."""
    page: Any = window.show_page("cases")
    for size in (QSize(1000, 600), SCREEN - FRAME):
        window.resize(size)
        QApplication.processEvents()
    qtbot.wait(700)  # longer than the save delay
    assert not page.columns._save_timer.isActive()
    assert not app_context.settings.get("case_columns") and not page.columns.restored
    header = page.view.horizontalHeader()
    header.resizeSection(int(Col.KIND), 250)  # the clerk's own width is remembered
    qtbot.waitUntil(lambda: bool(app_context.settings.get("case_columns")), timeout=2000)
