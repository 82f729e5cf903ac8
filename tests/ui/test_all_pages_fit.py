"""Issue 15: every page and dialog opened at 1366×768 in kk and ru fits the laptop's screen
(1366×728 above the taskbar) and shows no English word."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from ..conftest import work_session
from .screen_audit import english_on_screen, too_big

STALE: set[QWidget] = set()  # windows an earlier test in this process left open: not this test's


@pytest.fixture(autouse=True)
def stale_windows(qapp: QApplication) -> None:
    STALE.clear()
    STALE.update(w for w in qapp.topLevelWidgets() if w.isVisible())


@pytest.fixture(autouse=True)
def laptop_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The offscreen screen is 800×800: the dialogs size themselves for a 1366×768 laptop instead."""
    from PySide6.QtCore import QSize

    from migreg_desktop.ui import window_size

    monkeypatch.setattr(window_size, "available", lambda _w: QSize(1366, 728) - window_size.FRAME)


@pytest.fixture
def qt_texts(qapp: QApplication) -> Any:
    """Qt's own buttons in the clerk's language, as app.py installs them."""
    from migreg_desktop.ui.qt_language import QtLanguage

    language = QtLanguage(qapp)
    yield language
    language.close()


@pytest.fixture
def busy_office(engine: Any, example_cases: list[str]) -> list[str]:
    """The example cases, one submitted, a quota with an allotment and a reservation, checks run, so the
    pages show rows, and the audit trail has their entries."""
    from migreg_desktop.cases import cases
    from migreg_desktop.eligibility import eligibility, quotas

    with work_session(engine, "tester") as s:
        cases.change_status(example_cases[1], "submitted", "", session=s)
    with work_session(engine, "tester") as s:
        quotas.set_quota(2026, "550000000", "resettler", 1655, "family", session=s)
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 12, session=s)
    with work_session(engine, "tester") as s:
        quotas.reserve(example_cases[1], session=s)
    with work_session(engine, "tester") as s:
        for cid in example_cases:
            eligibility.check_case(cid, session=s)
    return example_cases


def _check(widget: QWidget, found: list[str], where: str) -> None:
    QApplication.processEvents()
    for window in {w for w in QApplication.topLevelWidgets() if w.isVisible()} - STALE | {widget.window()}:
        found.extend(f"{where}: {p}" for p in too_big(window))
    found.extend(f"{where}: {p}" for p in english_on_screen(widget.window()))


def _open_dialogs(window: Any, page_key: str, found: list[str]) -> None:
    """The dialogs a page opens with its buttons, each looked at and closed."""
    page = window.pages[page_key]
    openers = {"quotas": ("open_set", "open_allot"), "settlements": ("open_import", "add", "edit"),
               "sync_inbox": ("open_wizard",), "users": ("open_add", "open_reset", "open_own_password")}
    if page_key == "quotas":
        page.table.selectRow(0)
    if page_key == "settlements":
        page.table.selectRow(0)  # the shipped sample list: its source in words, not "sample"
    opens = [getattr(page, name) for name in openers.get(page_key, ())]
    if page_key == "cases":  # the batch dialogs (issue 15) act on the selected cases
        page.selection.select_all()
        opens += [page.selection.open_print, page.selection.open_status]
    for open_ in opens:
        name = open_.__name__
        dialog = open_()
        if dialog is None:
            continue
        dialog.show()
        _check(dialog, found, f"{page_key}.{name}")
        dialog.reject()


def test_every_page_and_dialog_fits_and_speaks_the_language(ui_lang, qt_texts, qtbot, window, busy_office):
    from migreg_desktop.ui.print_dialog import PrintDialog

    from .screen_audit import FRAME, SCREEN

    window.resize(SCREEN - FRAME)  # maximised on the laptop, above the taskbar
    found: list[str] = []
    for spec in window.specs:
        window.show_page(spec.key)
        _check(window, found, spec.key)
        _open_dialogs(window, spec.key, found)
    window.show_page("cases")
    window.open_preferences()
    _check(window.findChild(QWidget, "preferences") or QApplication.activeModalWidget() or window, found, "prefs")
    for case_id in (None, busy_office[1]):
        editor = window.pages["cases"].open_case(case_id)
        for i in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(i)
            _check(editor, found, f"editor tab {i}")
        editor.close()
    from migreg_desktop import forms

    for spec in forms.forms_for_kind("resettler"):
        dialog = PrintDialog(window.ctx, busy_office[1], window, form=spec.name)
        dialog.show()
        # the refusal receipt of a case with complete papers: the dialog says why there is nothing
        # to print (its status line is checked like every other text)
        with qtbot.waitSignal(dialog.refresh().ended, timeout=20000):
            pass
        _check(dialog, found, f"print {spec.name}")
        dialog.reject()
    _other_dialogs(window, found)
    assert not found, "\n".join(found)


def _other_dialogs(window: Any, found: list[str]) -> None:
    """The dialogs before the window (first start, sign-in) and the family member's full form."""
    from migreg_desktop.ui.first_start import FirstStartDialog, offices_from_reference
    from migreg_desktop.ui.login import LoginDialog, SetupAdminDialog
    from migreg_desktop.ui.member_dialog import MemberDialog

    for dialog in (FirstStartDialog(offices_from_reference()), LoginDialog(window.ctx.engine, user="admin"),
                   SetupAdminDialog(window.ctx.engine), MemberDialog({}, window)):
        dialog.show()
        _check(dialog, found, type(dialog).__name__)
        dialog.reject()
        dialog.deleteLater()


def test_the_inbox_does_not_widen_the_window(ui_lang, qtbot, window):
    """The reference versions are words that wrap, not one unbreakable "designated_regions=…" line."""
    window.resize(1000, 600)
    window.show_page("sync_inbox")
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= 1000
    assert window.width() == 1000
    info = window.pages["sync_inbox"].info.text()
    assert "=" not in info and ";" not in info


def test_status_bar_message_follows_a_language_switch(qtbot, window):
    from migreg_desktop.i18n import N_

    window.switch_language("ru")
    window.show_message(N_("{n} open cases re-checked against the new reference data, {changed} of them changed"),
                        15000, n=3, changed=1)
    russian = window.statusBar().currentMessage()
    window.switch_language("kk")
    kazakh = window.statusBar().currentMessage()
    assert kazakh and kazakh != russian and "3" in kazakh and "1" in kazakh
    assert "изменились: 1" in russian and "changed" not in kazakh
    window.statusBar().clearMessage()
    window.switch_language("ru")
    assert window.statusBar().currentMessage() == ""


def test_editor_and_print_dialog_keep_their_buttons_on_screen_at_150_percent(ui_lang, qtbot, window, busy_office,
                                                                            monkeypatch):
    """1366×768 at 150 % leaves about 910×485 logical pixels above the taskbar."""
    from PySide6.QtCore import QSize

    from migreg_desktop.ui import window_size
    from migreg_desktop.ui.print_dialog import PrintDialog

    small = QSize(910, 485)
    monkeypatch.setattr(window_size, "available", lambda _w: small - window_size.FRAME)
    assert window.minimumSizeHint().width() + window_size.FRAME.width() <= small.width()  # the Cases page
    editor = window.show_page("cases").open_case(busy_office[1])
    dialog = PrintDialog(window.ctx, busy_office[1], window)
    dialog.show()
    for widget, buttons in ((editor, (editor.save_button, editor.close_button)),
                            (dialog, (dialog.print_button, dialog.save_button, dialog.close_button))):
        for i in range(getattr(getattr(widget, "tabs", None), "count", lambda: 1)()):
            if widget is editor:
                editor.tabs.setCurrentIndex(i)
            QApplication.processEvents()
            need = widget.minimumSizeHint() + window_size.FRAME
            assert need.width() <= small.width() and need.height() <= small.height(), (type(widget).__name__, i, need)
            assert widget.width() + window_size.FRAME.width() <= small.width()
            for button in buttons:
                bottom = button.mapTo(widget, button.rect().bottomRight())
                assert button.isVisible() and widget.rect().contains(bottom), (button.text(), i)
    qtbot.waitUntil(lambda: not dialog.rendering, timeout=20000)
    dialog.reject()
    editor.close()


def test_sample_source_of_a_settlement_in_words_and_kept_on_save(ui_lang, qtbot, window):
    """"Источник: sample" was the shipped list's raw code in the entry dialog."""
    page = window.show_page("settlements")
    page.table.selectRow(0)
    dialog = page.edit()
    assert dialog is not None and dialog.source.text() not in ("", "sample")
    assert dialog.values()["source"] == "sample"  # unchanged, it stays the code
    dialog.reject()


def test_print_language_box_shows_its_longest_choice(ui_lang, qtbot, window, busy_office):
    from migreg_desktop import forms
    from migreg_desktop.ui.print_dialog import PrintDialog

    name = next(s.name for s in forms.forms_for_kind("resettler") if "both" in forms.languages(s.name))
    dialog = PrintDialog(window.ctx, busy_office[1], window, form=name)
    dialog.show()
    QApplication.processEvents()
    box = dialog.lang_box
    longest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))
    assert box.width() >= longest + 20, (box.width(), longest)
    qtbot.waitUntil(lambda: not dialog.rendering, timeout=20000)
    dialog.reject()
