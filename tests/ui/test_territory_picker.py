"""The territory picker: search in kk/ru/Latin or by KATO, choose from the popup by keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from migreg_desktop.ui.territory_picker import TerritoryPicker

from .conftest import type_text


@pytest.fixture
def picker(qtbot: Any, app_context: Any) -> TerritoryPicker:
    w = TerritoryPicker(app_context)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    w.edit.setFocus()
    return w


@pytest.mark.parametrize("query", ["Павлодар", "pavlodar", "ПАВЛОДАР ОБЛЫСЫ", "550000000"])
def test_search_any_spelling(picker: TerritoryPicker, query: str) -> None:
    picker.edit.setText(query)
    found = picker.search_now()
    assert "550000000" in [kato for _t, kato in found]


def test_choose_with_keyboard(qtbot: Any, picker: TerritoryPicker, ui_lang: str) -> None:
    type_text(picker.edit, "Қонаев")
    popup = picker.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    with qtbot.waitSignal(picker.changed, timeout=2000):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.kato() is not None
    shown = picker.edit.text()
    assert picker.kato() in shown
    assert ("Қонаев" in shown) if ui_lang == "kk" else ("Конаев" in shown)


def test_single_match_is_taken_when_leaving(qtbot: Any, picker: TerritoryPicker) -> None:
    type_text(picker.edit, "550000000")
    picker.edit.editingFinished.emit()
    assert picker.kato() == "550000000"
    picker.set_kato(None)
    assert picker.edit.text() == ""


def test_page_shortcut_and_search_focus(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.page_actions[0].trigger()  # Ctrl+1
    assert window.stack.currentWidget() is window.pages["cases"]
    assert window.page_actions[0].shortcut().toString() == "Ctrl+1"


def _filtered_ids(page: Any) -> list[str]:
    return [page.model.case_id(r) for r in range(page.model.rowCount())]


@pytest.mark.parametrize("finish", ["enter", "tab"])
def test_destination_filter_of_the_case_list_by_keyboard_only(qtbot: Any, window: Any, cases_page: Any,
                                                              example_cases: list[str], finish: str) -> None:
    """Issue 15: ↓ + Enter, or Tab, applies the filter without the mouse."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    picker = cases_page.destination
    picker.edit.setFocus()
    type_text(picker.edit, "Павлодар облысы" if finish == "tab" else "Павлодар")
    if finish == "enter":
        popup = picker.completer.popup()
        qtbot.waitUntil(popup.isVisible, timeout=3000)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    else:
        popup = picker.completer.popup()
        qtbot.waitUntil(popup.isVisible, timeout=3000)  # the search runs 150 ms after the last key
        qtbot.keyClick(popup, Qt.Key.Key_Tab)  # the open popup holds the keyboard
        assert not picker.edit.hasFocus()
    qtbot.waitUntil(lambda: picker.kato() is not None, timeout=2000)
    assert picker.kato().startswith("55")
    qtbot.waitUntil(lambda: len(_filtered_ids(cases_page)) < len(example_cases), timeout=2000)
