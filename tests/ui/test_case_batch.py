"""Multi-select on the Cases page (issue 15): rows chosen with the mouse and the keyboard, batch
status change with Undo, batch print to one PDF, in Kazakh and Russian."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import text

from migreg_desktop.eligibility import case_status
from migreg_desktop.ui import batch_print_dialog
from migreg_desktop.ui.batch_print_dialog import BatchPrintDialog
from migreg_desktop.ui.batch_status_dialog import BatchStatusDialog

SELECTED = {"kk": "· таңдалды: 2", "ru": "· выбрано: 2"}
ALL = {"kk": "· барлық 3 іс таңдалды", "ru": "· выбраны все 3 дела"}
CHANGED = {"kk": "3 істің мәртебесі енді «{status}».", "ru": "3 дела теперь в статусе «{status}»."}
UNDONE = {"kk": "Кері қайтарылды", "ru": "Возвращено как было"}
NOTHING = {"kk": "Ештеңе өзгертілмеді", "ru": "Ничего не изменено"}


def _cell(page: Any, row: int) -> QPoint:
    return page.view.visualRect(page.model.index(row, 0)).center()


def _click(qtbot: Any, page: Any, row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, modifier, _cell(page, row))


def _statuses(app_context: Any, ids: list[str]) -> list[str]:
    with app_context.engine.connect() as con:
        rows = dict(con.execute(text("SELECT id_text(id), status FROM cases")).all())
    return [rows[i] for i in ids]


@pytest.fixture
def page(cases_page: Any, example_cases: list[str]) -> Any:
    cases_page.model.reload()
    cases_page.resize(1366, 700)
    return cases_page


def test_mouse_and_keyboard_select_rows_and_the_count_is_shown(ui_lang: str, qtbot: Any, page: Any) -> None:
    sel = page.selection
    assert not sel.print_button.isEnabled() and sel.count_label.text() == ""
    _click(qtbot, page, 0)
    _click(qtbot, page, 2, Qt.KeyboardModifier.ControlModifier)
    assert sel.rows() == [0, 2] and sel.count_label.text() == SELECTED[ui_lang]
    assert sel.print_button.isEnabled() and sel.status_button.isEnabled()
    _click(qtbot, page, 0)
    QTest.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert sel.rows() == [0, 1] and sel.count_label.text() == SELECTED[ui_lang]
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert sel.count() == 3 and sel.count_label.text() == ALL[ui_lang]


def test_context_menu_offers_the_batches_and_says_how_many_match(ui_lang: str, qtbot: Any, page: Any) -> None:
    _click(qtbot, page, 0)
    _click(qtbot, page, 1, Qt.KeyboardModifier.ShiftModifier)
    texts = [a.text() for a in page.list_menu(page.model.case_id(0)).actions() if a.text()]
    assert texts[0].replace("&", "").startswith({"kk": "Таңдалған 2 істі", "ru": "Печать 2 выбранных"}[ui_lang])
    assert any("3" in t and {"kk": "Сүзгіге", "ru": "по фильтру"}[ui_lang] in t for t in texts)
    select_all = next(a for a in page.list_menu(None).actions() if "3" in a.text())
    select_all.trigger()
    assert page.selection.count() == 3


def test_batch_status_change_and_undo(ui_lang: str, qtbot: Any, page: Any, app_context: Any,
                                      example_cases: list[str]) -> None:
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(page.selection.status_button, Qt.MouseButton.LeftButton)
    dialog = page.selection.dialog
    assert isinstance(dialog, BatchStatusDialog) and dialog.to_status() == "submitted"  # draft's next step
    dialog.comment.setText("папкалар тексерілді")
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert _statuses(app_context, example_cases) == ["submitted"] * 3
    assert dialog.message.text().startswith(CHANGED[ui_lang].split("«")[0])
    assert dialog.undo_button.isVisible() and not dialog.run_button.isVisible()
    qtbot.waitUntil(lambda: page.model.index(0, 2).data(Qt.ItemDataRole.UserRole + 2) == "submitted", timeout=5000)
    with qtbot.waitSignal(dialog.undone, timeout=10000):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _statuses(app_context, example_cases) == ["draft"] * 3
    assert dialog.message.text().startswith(UNDONE[ui_lang]) and not dialog.undo_button.isVisible()


def test_batch_status_refusal_names_the_case_and_changes_nothing(ui_lang: str, qtbot: Any, page: Any,
                                                                 app_context: Any, example_cases: list[str]) -> None:
    with app_context.work.for_actor("t").session() as s:
        number = case_status.change_status(example_cases[1], "withdrawn", session=s).number
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    dialog = page.selection.open_status()
    dialog.target.setCurrentIndex(dialog.target.findData("submitted"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    assert number in dialog.message.text() and NOTHING[ui_lang] in dialog.message.text()
    assert _statuses(app_context, example_cases) == ["draft", "withdrawn", "draft"]
    assert dialog.run_button.isEnabled() and not dialog.undo_button.isVisible()


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_batch_print_one_pdf_audited(ui_lang: str, qtbot: Any, page: Any, app_context: Any,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "batch"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), "")))
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(page.selection.print_button, Qt.MouseButton.LeftButton)
    dialog = page.selection.dialog
    assert isinstance(dialog, BatchPrintDialog) and dialog.form_name() == "application"  # mixed kinds
    assert dialog.form_box.currentText() == {"kk": "Өтініш (әр істің өз нысаны)",
                                             "ru": "Заявление (своя форма для каждого дела)"}[ui_lang]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    out = target.with_suffix(".pdf")
    text_ = _pdf_text(out)
    with app_context.engine.connect() as con:
        numbers = [n for (n,) in con.execute(text("SELECT number FROM cases"))]
        printed = con.execute(text("SELECT count(*) FROM audit_entry WHERE action = 'print'")).scalar_one()
    assert all(n in text_ for n in numbers) and printed == 3
    assert str(out) in dialog.message.text()


def test_batch_print_cancel_leaves_no_file(ui_lang: str, qtbot: Any, page: Any, app_context: Any,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real, started = batch_print_dialog.render_cases, threading.Event()

    def slow(*args: Any, cancelled: Any, **kwargs: Any) -> Any:
        started.set()
        while not cancelled():  # the job waits for the clerk's Cancel, then goes on as usual
            threading.Event().wait(0.01)
        return real(*args, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(batch_print_dialog, "render_cases", slow)
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    dialog = page.selection.open_print()
    dialog.lang_box.setCurrentIndex(dialog.lang_box.findData("both"))
    out = tmp_path / "cancelled.pdf"
    dialog.save_to(out)
    assert started.wait(10) and dialog.progress.isVisible()
    assert dialog.close_button.text() == {"kk": "Бас тарту", "ru": "Отмена"}[ui_lang]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    assert not out.exists() and not list(tmp_path.glob(".cancelled.*"))
    assert dialog.isVisible() and dialog.message.text() != ""
    with app_context.engine.connect() as con:
        assert con.execute(text("SELECT count(*) FROM audit_entry WHERE action = 'print'")).scalar_one() == 0


def test_the_page_offers_undo_after_the_dialog_is_closed(ui_lang: str, qtbot: Any, page: Any, app_context: Any,
                                                         example_cases: list[str]) -> None:
    sel = page.selection
    assert not sel.undo_button.isVisibleTo(page)
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    dialog = sel.open_status()
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        dialog.start()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and sel.undo_button.isVisibleTo(page)
    assert sel.last_label.text().startswith({"kk": "Соңғы өзгеріс: 3 іс", "ru": "Последнее изменение: 3 дела"}[ui_lang])
    with app_context.work.for_actor("t").session() as s:  # someone moves one case on meanwhile
        case_status.change_status(example_cases[0], "forwarded", session=s)
    qtbot.mouseClick(sel.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sel.undo_task is None, timeout=10000)
    assert {"kk": "ісі мәртебе өзгергеннен кейін", "ru": "изменилось после смены статуса"}[ui_lang] in sel.last_label.text()
    assert _statuses(app_context, example_cases) == ["forwarded", "submitted", "submitted"]  # nothing reverted
    with app_context.work.for_actor("t").session() as s:
        case_status.change_status(example_cases[0], "withdrawn", session=s)
    page.model.reload()
    QTest.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    second = sel.open_status()
    second.target.setCurrentIndex(second.target.findData("forwarded"))
    second.skip.setChecked(True)
    with qtbot.waitSignal(second.changed, timeout=10000):
        second.start()
    second.accept()
    qtbot.mouseClick(sel.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sel.undo_task is None, timeout=10000)
    assert _statuses(app_context, example_cases) == ["withdrawn", "submitted", "submitted"]
    assert sel.last_label.text().startswith(UNDONE[ui_lang]) and not sel.undo_button.isVisibleTo(page)
