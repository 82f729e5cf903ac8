"""The print dialog previews a case's form (QtPdf) and the batch page runs off the GUI thread,
with progress and cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

from ...conftest import example_case
from ...forms_helpers import bulk_cases, pdf_pages, pdf_text


@pytest.fixture
def case_id(app_context):  # noqa: ANN001, ANN201
    from migreg_desktop.cases.cases import register_case

    with app_context.session() as session:
        return register_case(example_case("resettler"), session=session).id


def test_preview_shows_the_form_and_follows_form_and_language(qtbot, app_context, case_id, tmp_path):
    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(app_context, case_id)
    qtbot.addWidget(dialog)
    _rendered(qtbot, dialog)
    names = [dialog.form_box.itemData(i) for i in range(dialog.form_box.count())]
    assert names == ["application_resettler", "receipt", "decision", "support", "refusal_receipt"]
    assert dialog.preview.page_count() >= 1 and dialog.print_button.isEnabled()
    dialog.form_box.setCurrentIndex(names.index("receipt"))
    langs = [dialog.lang_box.itemData(i) for i in range(dialog.lang_box.count())]
    assert langs == ["kk", "ru", "both"]
    with qtbot.waitSignal(dialog.preview.loaded):
        dialog.lang_box.setCurrentIndex(langs.index("both"))
    assert dialog.preview.page_count() == 1
    saved = dialog.preview.save_to(tmp_path / "slip.pdf")
    text = " ".join(pdf_text(saved).split())
    assert "Құжаттарды қабылдағаны туралы қолхат" in text and "Расписка о приёме документов" in text
    dialog.grab().save(str(tmp_path / "dialog.png"))


def test_print_to_a_pdf_printer(qtbot, app_context, case_id, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(app_context, case_id, form="receipt")
    qtbot.addWidget(dialog)
    _rendered(qtbot, dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.preview.printed):
        assert dialog.preview.print_to(printer) == 1
    assert pdf_pages(tmp_path / "printed.pdf") == 1


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_print_action_is_registered_and_opens_the_dialog(qtbot, app_context, case_id):
    from PySide6.QtWidgets import QWidget

    from migreg_desktop.ui import registry

    registry.discover()
    action = registry.CASE_ACTIONS["print"]
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = action.run(app_context, case_id, parent)
    assert dialog.isVisible() and _rendered(qtbot, dialog).preview.page_count() >= 1
    dialog.reject()
    assert "printing" in registry.PAGES


def _rendered(qtbot, dialog):  # noqa: ANN001, ANN202
    """The preview renders on the operation runner: wait for it (its result is on the GUI thread)."""
    qtbot.waitUntil(lambda: not dialog.rendering, timeout=20000)
    return dialog


def _page(qtbot, app_context):  # noqa: ANN001, ANN202
    from migreg_desktop.ui.pages.printing import PrintPage

    page = PrintPage(app_context)
    qtbot.addWidget(page)
    return page


def test_batch_register_runs_in_a_worker_with_progress(qtbot, app_context):
    from PySide6.QtCore import QDate

    bulk_cases(app_context.engine, 600)
    page = _page(qtbot, app_context)
    page.date_from.setDate(QDate(2026, 3, 1))
    page.date_to.setDate(QDate(2026, 3, 31))
    progress: list[tuple[int, int]] = []
    worker = page.start()
    worker.progressed.connect(lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(worker.done, timeout=60000):
        pass
    assert page.preview.page_count() == pdf_pages(page.out_path) > 20
    assert page.print_button.isEnabled() and not page.cancel_button.isEnabled()
    assert progress and progress[-1] == (600, 600)


def test_batch_cancel_leaves_no_file(qtbot, app_context):
    from PySide6.QtCore import QDate

    bulk_cases(app_context.engine, 1000)
    page = _page(qtbot, app_context)
    page.date_from.setDate(QDate(2026, 3, 1))
    page.date_to.setDate(QDate(2026, 3, 31))
    worker = page.start()
    page.cancel_button.click()
    with qtbot.waitSignal(worker.cancelled, timeout=60000):
        pass
    out: Path = page.out_path
    assert not out.exists() and not list(out.parent.glob("*.part"))
    assert page.start_button.isEnabled() and not page.cancel_button.isEnabled()
    assert page.preview.page_count() == 0


def test_batch_slips_of_a_day(qtbot, app_context, case_id):
    page = _page(qtbot, app_context)
    page.mode.setCurrentIndex(page.mode.findData("slips"))
    assert page.day.isVisibleTo(page) and not page.date_from.isVisibleTo(page)
    worker = page.start()
    with qtbot.waitSignal(worker.done, timeout=30000) as blocker:
        pass
    assert blocker.args[0]["cases"] == 1 and page.preview.page_count() == 1


def test_retranslate(qtbot, app_context, case_id):
    from migreg_desktop import i18n

    page = _page(qtbot, app_context)
    i18n.set_language("kk")
    app_context.hub.emit_language("kk")
    assert page.start_button.text() == "Бастау"
    assert page.mode.itemText(0) == "Кезеңдегі істер тізілімі"
    i18n.set_language("ru")
    app_context.hub.emit_language("ru")
    assert page.cancel_button.text() == "Отмена" and page.labels["day"].text() == "День"
    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(app_context, case_id, form="receipt")
    qtbot.addWidget(dialog)
    assert dialog.print_button.text() == "Печать…" and dialog.lang_box.itemText(2) == "Казахский и русский на одном листе"
    i18n.set_language("kk")
    app_context.hub.emit_language("kk")
    assert dialog.save_button.text() == "Басқаша сақтау…" and dialog.form_box.currentText() == "Өтініш берушіге арналған қолхат"


def test_language_switch_after_the_dialog_is_gone(qtbot, app_context, case_id):
    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(app_context, case_id, form="receipt")
    dialog.reject()
    dialog.deleteLater()
    qtbot.wait(10)
    app_context.hub.emit_language("kk")  # no call into a deleted dialog
