"""Qt's own dialogs follow the clerk's language (issue 15): buttons, calendar names."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QApplication, QCalendarWidget, QDialogButtonBox

from migreg_desktop import i18n
from migreg_desktop.ui.qt_language import QtLanguage

EXPECTED = {"kk": ("Бас тарту", "Сақтау", "наурыз"), "ru": ("Отмена", "Сохранить", "март")}


@pytest.fixture
def qt_language(qapp: QApplication) -> Any:
    language = QtLanguage(qapp)
    yield language
    language.close()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_standard_buttons_and_calendar_in_the_clerks_language(qtbot: Any, qt_language: Any, lang: str) -> None:
    i18n.set_language(lang)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {b.text() for b in box.buttons()}
    cancel, save, march = EXPECTED[lang]
    assert {cancel, save} <= texts
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().standaloneMonthName(3).lower() == march
    assert QLocale().toString(QDate(2026, 3, 5), QLocale.FormatType.LongFormat).count("2026") == 1


def test_switching_back_to_english_removes_the_translator(qtbot: Any, qt_language: Any) -> None:
    i18n.set_language("ru")
    i18n.set_language("en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert [b.text() for b in box.buttons()] == ["Cancel"]
