"""Window side of the audit fixes: print dialog and batch page write `print` entries through the
forms core; the Audit page's person filter finds Cyrillic surnames in any spelling."""

from __future__ import annotations

import json

import pytest

from migreg_desktop.accounts import accounts
from migreg_desktop.cases import cases
from migreg_desktop.storage.db import session_scope
from tests.conftest import example_case


@pytest.fixture
def case_id(app_context):  # noqa: ANN001, ANN201
    with app_context.session() as session:
        return cases.register_case(example_case("resettler"), session=session).id


def _prints(engine):
    with engine.connect() as con:
        rows = con.exec_driver_sql("SELECT entity, entity_id, changes FROM audit_entry "
                                   "WHERE action = 'print' ORDER BY id").fetchall()
    return [(e, i, json.loads(c)) for e, i, c in rows]


def test_print_dialog_audits_save_and_print_not_the_preview(qtbot, app_context, case_id, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(app_context, case_id, form="receipt")
    qtbot.addWidget(dialog)
    langs = [dialog.lang_box.itemData(i) for i in range(dialog.lang_box.count())]
    dialog.lang_box.setCurrentIndex(langs.index("kk"))  # previews only
    qtbot.waitUntil(lambda: not dialog.rendering, timeout=20000)  # rendered on the operation runner
    assert _prints(app_context.engine) == []
    dialog.preview.save_to(tmp_path / "slip.pdf")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.preview.print_to(printer) == 1
    entries = _prints(app_context.engine)
    assert [(e, i) for e, i, _c in entries] == [("case", case_id), ("case", case_id)]
    assert [c["output"][1] for _e, _i, c in entries] == ["file", "printer"]
    assert all(c["form"] == [None, "receipt"] and c["lang"] == [None, "kk"] for _e, _i, c in entries)


def test_batch_slips_page_audits_each_case_once(qtbot, app_context, case_id):
    from migreg_desktop.ui.pages.printing import PrintPage

    page = PrintPage(app_context)
    qtbot.addWidget(page)
    page.mode.setCurrentIndex(page.mode.findData("slips"))
    worker = page.start()
    with qtbot.waitSignal(worker.done, timeout=30000):
        pass
    entries = _prints(app_context.engine)
    assert [(e, i) for e, i, _c in entries] == [("case", case_id)]
    assert entries[0][2]["output"] == [None, "window"]


def test_audit_page_shows_print_entry_translated(qtbot, app_context, case_id, tmp_path):
    from migreg_desktop import i18n
    from migreg_desktop.ui.audit_model import changes_text
    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(app_context, case_id, form="receipt")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.rendering, timeout=20000)  # rendered on the operation runner
    dialog.preview.save_to(tmp_path / "slip.pdf")
    raw = json.dumps({k: v for k, v in _prints(app_context.engine)[0][2].items()})
    i18n.set_language("ru")
    try:
        text = changes_text(raw)
    finally:
        i18n.set_language("en")
    assert "output" not in text and "Printed to" not in text and "→" in text


@pytest.mark.parametrize("typed", ["құрманғазы", "ҚҰРМАНҒАЗЫ", "Курмангазы", "Kurmangazy"])
def test_audit_page_person_filter_finds_kazakh_surname(qtbot, app_context, case_id, typed):
    from migreg_desktop.ui.pages.audit import AuditPage

    with session_scope(app_context.engine, actor="setup") as s:
        accounts.add_account("tester", "admin", "password1", session=s)
    with session_scope(app_context.engine, actor="tester") as s:
        cases.register_case(example_case("kandas"), session=s)
    page = AuditPage(app_context)
    qtbot.addWidget(page)
    page.person.setText(typed)
    page.apply_filter()
    assert len(page.model.ids) == 1  # the resettler case's create entry, not the kandas case
    assert page.model.index(0, 2).data()  # the row is shown
