"""The main window: pages, live language switch, preferences, first start, crash report."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import Qt

from migreg_desktop import i18n
from migreg_desktop.i18n import pgettext
from migreg_desktop.ui.case_table import Col

EXPECTED = {  # a few strings each language must show (ui catalog)
    "kk": ("Іс нөмірі", "Істер", "&Іздеу:"),
    "ru": ("№ дела", "Дела", "&Поиск:"),
    "en": ("Case No.", "Cases", "&Search:"),
}


def header(page: Any, col: Col) -> str:
    return page.model.headerData(int(col), Qt.Orientation.Horizontal)


def test_language_switch_is_live(qtbot: Any, window: Any, cases_page: Any, example_cases: list[str],
                                 app_context: Any) -> None:
    editor = cases_page.open_case(example_cases[0])
    seen = {}
    for lang in ("kk", "ru", "en"):
        with qtbot.waitSignal(app_context.hub.languageChanged, timeout=1000):
            window.language_actions[lang].trigger()
        assert i18n.current_language() == lang
        assert app_context.settings.get("language") == lang
        number, nav, search = EXPECTED[lang]
        assert header(cases_page, Col.NUMBER) == number
        assert cases_page.view.model().headerData(int(Col.NUMBER), Qt.Orientation.Horizontal) == number
        assert window.nav.item(0).text() == nav
        assert cases_page.search_label.text() == search
        seen[lang] = (window.view_menu.title(), editor.save_button.text(), editor.tabs.tabText(0),
                      cases_page.count_label.text(), header(cases_page, Col.STATUS))
    for n in range(5):
        assert len({seen[lang][n] for lang in seen}) == 3, [seen[lang][n] for lang in seen]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_window_starts_in_the_saved_language(qtbot: Any, app_context: Any, lang: str) -> None:
    from migreg_desktop.ui import registry
    from migreg_desktop.ui.main_window import MainWindow

    i18n.set_language(lang)
    registry.discover()
    win = MainWindow(app_context.settings)
    qtbot.addWidget(win)
    win.attach(app_context)
    assert win.language_actions[lang].isChecked()
    assert win.pages["cases"].model.headerData(0, Qt.Orientation.Horizontal) == EXPECTED[lang][0]
    assert "ALM-KNV" in win.office_label.text() and "tester" in win.clerk_label.text()


def test_pages_come_from_the_registry(window: Any) -> None:
    from migreg_desktop.ui.registry import pages_for

    assert [s.key for s in window.specs] == [s.key for s in pages_for("district")]
    assert window.specs[0].key == "cases"
    assert "cases" in window.pages


def test_preferences_generated_from_registry(qtbot: Any, window: Any, app_context: Any) -> None:
    from migreg_desktop.settings import REGISTRY

    dialog = window.open_preferences()
    # every setting the clerk sets; the window's own (sizes, column layout, saved filters) are hidden
    assert set(dialog.editors) == {k for k, s in REGISTRY.items() if not s.hidden}
    assert {"window_sizes", "case_columns", "saved_filters"} <= set(REGISTRY) - set(dialog.editors)
    dialog.editors["clerk_name"].setText("Әлия Серікқызы")
    combo = dialog.editors["language"]
    combo.setCurrentIndex(combo.findData("kk"))
    with qtbot.waitSignal(dialog.applied, timeout=1000):
        dialog.accept()
    assert app_context.settings.get("clerk_name") == "Әлия Серікқызы"
    assert i18n.current_language() == "kk"
    assert window.nav.item(0).text() == "Істер"


def test_ctrl_n_opens_a_new_case(qtbot: Any, window: Any, cases_page: Any) -> None:
    window.new_case_action.trigger()
    assert None in cases_page.editors
    assert cases_page.editors[None].case_id is None


def test_ctrl_n_typed_on_the_cases_page_opens_a_new_case(qtbot: Any, window: Any, cases_page: Any) -> None:
    """One Ctrl+N in the whole window: a second one on the page made it ambiguous (issue 15)."""
    from PySide6.QtCore import Qt

    window.activateWindow()
    cases_page.view.setFocus()
    qtbot.keyClick(cases_page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: None in cases_page.editors, timeout=2000)
    assert cases_page.editors[None].case_id is None


def test_first_start_dialog_lists_offices(qtbot: Any) -> None:
    from migreg_desktop.ui.first_start import FirstStartDialog, offices_from_reference

    i18n.set_language("kk")
    offices = offices_from_reference()
    dialog = FirstStartDialog(offices)
    qtbot.addWidget(dialog)
    assert dialog.office.count() == len(offices)
    dialog.office.setCurrentIndex(dialog.office.findData("ALM-KNV"))
    dialog.clerk.setText("Айгүл")
    assert (dialog.office_code(), dialog.clerk_name()) == ("ALM-KNV", "Айгүл")
    assert "Қонаев" in dialog.office.currentText()


def test_first_start_preselects_nothing_and_finds_a_centre_by_typing(qtbot: Any) -> None:
    """Issue 15: nothing chosen for the clerk; «Конаев» typed in Russian finds the centre."""
    from migreg_desktop.ui.first_start import FirstStartDialog, offices_from_reference

    from .conftest import type_text

    i18n.set_language("ru")
    dialog = FirstStartDialog(offices_from_reference())
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.office.currentIndex() == -1 and dialog.office_code() is None and not ok.isEnabled()
    dialog.office.lineEdit().setFocus()
    type_text(dialog.office.lineEdit(), "Конаев")
    popup = dialog.office.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    assert popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.office_code() == "ALM-KNV" and ok.isEnabled()


def test_first_start_asks_for_the_language_and_switches_live(qtbot: Any) -> None:
    from migreg_desktop.ui.first_start import FirstStartDialog, offices_from_reference

    i18n.set_language("ru")
    dialog = FirstStartDialog(offices_from_reference())
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("kk"))
    assert dialog.chosen_language() == "kk" == i18n.current_language()
    assert dialog.windowTitle() == i18n._("First start") != "First start"
    assert "Қонаев" in " ".join(dialog.office.itemText(i) for i in range(dialog.office.count()))


def test_boot_creates_then_opens_the_database(qtbot: Any, data_dir: Any) -> None:
    from migreg_desktop import paths
    from migreg_desktop.app import boot
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.main_window import MainWindow

    win = MainWindow(Settings())
    qtbot.addWidget(win)
    ctx = boot(win, win.settings, "ALM-TLG")
    assert ctx is not None and ctx.office_code == "ALM-TLG" and paths.db_path().exists()
    ctx.engine.dispose()
    win2 = MainWindow(Settings())
    qtbot.addWidget(win2)
    ctx2 = boot(win2, win2.settings, None)
    assert ctx2 is not None and ctx2.office_code == "ALM-TLG" and "cases" in win2.pages
    ctx2.engine.dispose()


def test_newer_database_is_refused_with_a_message(qtbot: Any, engine: Any, monkeypatch: Any) -> None:
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from migreg_desktop import paths
    from migreg_desktop.app import boot
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.main_window import MainWindow

    engine.dispose()
    con = sqlite3.connect(paths.db_path())
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append((title, text)))
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    assert boot(win, win.settings, None) is None
    assert shown and "9999_future" in shown[0][1]
    assert not win.pages


def test_crash_dialog_has_the_report_and_writes_a_log(qtbot: Any, monkeypatch: Any) -> None:
    from migreg_desktop import paths
    from migreg_desktop.ui import crash

    shown: list[Any] = []
    monkeypatch.setattr(crash.CrashDialog, "exec", lambda self: shown.append(self) or 0)
    try:
        raise RuntimeError("boom in a slot for 900315300123")
    except RuntimeError:
        crash.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert shown and "boom in a slot" in shown[0].report.toPlainText()
    assert shown[0].report.isReadOnly()
    qtbot.addWidget(shown[0])
    logged = (paths.log_dir() / "crash.log").read_text(encoding="utf-8")
    assert "boom in a slot" in logged
    assert "900315300123" not in logged + shown[0].report.toPlainText()  # no IIN in the report


def test_header_context_keeps_field_labels_apart() -> None:
    i18n.set_language("ru")
    assert pgettext("column", "IIN") == "ИИН"


def test_quit_asks_when_a_case_is_edited(qtbot: Any, window: Any, cases_page: Any,
                                         example_cases: list[str]) -> None:
    editor = cases_page.open_case(example_cases[0])
    editor.employer.setText("ЖШС «Жаңа жол»")
    asked: list[str] = []
    window.ask = lambda _p, _t, text: asked.append(text) or False
    window.close()
    assert asked and window.isVisible()  # the clerk said no: nothing lost
    window.ask = lambda _p, _t, _x: True
    window.close()
    assert not window.isVisible()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_damaged_database_is_refused_with_a_message(qtbot: Any, data_dir: Any, monkeypatch: Any,
                                                    lang: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    from migreg_desktop import paths
    from migreg_desktop.app import boot
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.main_window import MainWindow

    i18n.set_language(lang)
    paths.db_path().write_bytes(b"this is not a database" * 100)
    before = paths.db_path().read_bytes()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append((title, text)))
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    assert boot(win, win.settings, None) is None
    assert shown and shown[0][0] == i18n._("The database is damaged")
    assert shown[0][0] != "The database is damaged"  # in the clerk's language
    assert paths.db_path().read_bytes() == before  # left as it was


def test_one_editor_per_case(window: Any, cases_page: Any, example_cases: list[str]) -> None:
    assert cases_page.open_case(example_cases[0]) is cases_page.open_case(example_cases[0])
    assert cases_page.open_case(None) is cases_page.open_case(None)


def test_database_opens_off_the_gui_thread(qtbot: Any, data_dir: Any) -> None:
    from migreg_desktop.app import boot_async
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.main_window import MainWindow

    win = MainWindow(Settings())
    win.ask = lambda _p, _t, _x: True
    qtbot.addWidget(win)
    ready: list[Any] = []
    boot_async(win, win.settings, "ALM-KNV", ready.append)
    assert not win.pages  # the window is free while the database opens
    qtbot.waitUntil(lambda: bool(ready), timeout=20000)
    assert ready[0].office_code == "ALM-KNV" and "cases" in win.pages
    ready[0].engine.dispose()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_upgrade_on_opening_says_so_in_the_clerks_language(qtbot: Any, data_dir: Any, lang: str) -> None:
    """Opening a database of an older version upgrades it (a backup, 0880, a VACUUM: ~20 s at
    100,000 cases): the loading line says so, in the clerk's language, not only "Opening…"."""
    from alembic import command

    from migreg_desktop import paths
    from migreg_desktop.app import boot_async
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.settings import Settings
    from migreg_desktop.storage import db
    from migreg_desktop.ui.main_window import MainWindow

    engine, _loaded = init_database("ALM-KNV")
    command.downgrade(db._alembic_config(engine), "0870_digest_versions")
    engine.dispose()
    i18n.set_language(lang)
    win = MainWindow(Settings())
    win.ask = lambda _p, _t, _x: True
    qtbot.addWidget(win)
    assert win.loading.text() == i18n._("Opening the database…") != "Opening the database…"
    shown: list[str] = []
    win.openingStage.connect(lambda _msgid: shown.append(win.loading.text()))  # after the window's own slot
    ready: list[Any] = []
    boot_async(win, win.settings, None, ready.append)
    qtbot.waitUntil(lambda: bool(ready), timeout=30000)
    assert shown == [i18n._(db.UPGRADING)] and db.UPGRADING not in shown  # translated
    assert db.db_revisions(paths.db_path()) == db.script_heads()
    ready[0].engine.dispose()
