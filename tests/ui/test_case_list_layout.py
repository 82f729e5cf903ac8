"""Issue 15: the case list's columns fit their content, a column chooser, remembered layout, saved
filters; the navigation fits its labels."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from migreg_desktop.cases.case_list import CaseFilter
from migreg_desktop.ui.case_table import Col


def test_columns_fit_their_texts_at_a_large_font(ui_lang, qtbot, window, example_cases):
    page: Any = window.show_page("cases")
    font = QFont(page.view.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)  # 150 % scaling
    page.view.setFont(font)
    page.columns.fit()
    fm = page.view.fontMetrics()
    for row in range(page.model.rowCount()):
        for col in (Col.APPLICANT, Col.STATUS, Col.NUMBER):
            text = page.model.data(page.model.index(row, int(col)), Qt.ItemDataRole.DisplayRole)
            assert fm.horizontalAdvance(text) < page.view.columnWidth(int(col)), (col, text)
        # The kind gives way when the list is narrower than every full text (case_columns.SHRINK,
        # so 1366×768 needs no horizontal scroll): cut, it reads whole in its tooltip.
        kind = page.model.index(row, int(Col.KIND))
        whole = fm.horizontalAdvance(kind.data()) < page.view.columnWidth(int(Col.KIND))
        floor = 16 * fm.horizontalAdvance("0")  # never narrower than this
        assert whole or (page.view.columnWidth(int(Col.KIND)) >= floor
                         and kind.data(Qt.ItemDataRole.ToolTipRole) == kind.data()), kind.data()


def test_navigation_shows_every_label(ui_lang, qtbot, window):
    """Each label whole: on one line, or wrapped at a space in a row tall enough for it."""
    fm = window.nav.fontMetrics()
    width = window.nav.viewport().width()
    for row in range(window.nav.count()):
        text = window.nav.item(row).text()
        rect = window.nav.visualItemRect(window.nav.item(row))
        lines = fm.boundingRect(0, 0, width - 12, 1000, int(Qt.TextFlag.TextWordWrap), text).height() // fm.height()
        assert all(fm.horizontalAdvance(word) + 12 < width for word in text.split()), text
        assert rect.height() >= lines * fm.height(), (text, rect.height(), lines)


def test_column_chooser_hides_a_column_and_the_layout_is_remembered(ui_lang, qtbot, window, app_context):
    page: Any = window.show_page("cases")
    menu = page.columns.chooser()
    iin = next(a for a in menu.actions() if a.text() == page.model.headerData(int(Col.IIN), Qt.Orientation.Horizontal))
    iin.setChecked(False)
    assert page.view.isColumnHidden(int(Col.IIN))
    header = page.view.horizontalHeader()
    header.moveSection(header.visualIndex(int(Col.YEAR)), 0)
    header.resizeSection(int(Col.KIND), 333)
    page.columns.save()
    from migreg_desktop.ui.pages.cases import CasesPage

    again = CasesPage(app_context)
    qtbot.addWidget(again)
    h2 = again.view.horizontalHeader()
    assert again.view.isColumnHidden(int(Col.IIN))
    assert h2.visualIndex(int(Col.YEAR)) == 0 and h2.sectionSize(int(Col.KIND)) == 333
    page.columns.reset()
    assert not page.view.isColumnHidden(int(Col.IIN)) and header.visualIndex(int(Col.NUMBER)) == 0
    assert header.visualIndex(int(Col.DESTINATION)) == len(Col) - 1  # the long text last


def test_saved_filters_save_apply_delete(ui_lang, qtbot, window, example_cases):
    page: Any = window.show_page("cases")
    page.status.setCurrentIndex(page.status.findData("draft"))
    page.kind.setCurrentIndex(page.kind.findData("resettler"))
    page.apply_filter()
    button = page.saved_filters
    button.ask_name = lambda _parent: "  Черновики переселенцев  "
    assert button.save_current() == "Черновики переселенцев"
    page.set_filter(CaseFilter())
    assert page.model.rowCount() == 3
    button.fill_menu()
    titles = [a.text() for a in button.menu().actions()]
    assert "Черновики переселенцев" in titles
    flt = button.apply_saved("Черновики переселенцев")
    assert flt == CaseFilter(kind="resettler", status="draft")
    assert page.kind.currentData() == "resettler" and page.status.currentData() == "draft"
    assert page.model.rowCount() == 1
    button.delete("Черновики переселенцев")
    assert button.names() == []


def test_case_filter_round_trips_through_a_dict():
    flt = CaseFilter(search="Оралбаев", kind="kandas", year=2026, destination="195000000")
    assert CaseFilter.from_dict(flt.to_dict()) == flt
    assert CaseFilter.from_dict({"year": "2025", "bogus": 1, "status": None}) == CaseFilter(year=2025)
    QApplication.processEvents()
