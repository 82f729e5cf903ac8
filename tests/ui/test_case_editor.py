"""The case editor driven through its widgets, in Kazakh and in Russian."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.ui.case_table import Col, Role

from ..conftest import count_rows
from .conftest import type_text

TABLES = ("cases", "person", "family_member", "document", "status_change", "audit_entry")


def type_cell(qtbot: Any, rows: Any, row: int, key: str, text: str) -> None:
    """Edit a table cell as a clerk does: start editing, type, press Enter (or pick in the combo)."""
    table = rows.table
    col = rows.columns.index(key)
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editor = next(w for w in table.viewport().findChildren(QWidget) if isinstance(w, (QLineEdit, QComboBox))
                  and w.isVisible())
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(text))
    else:
        type_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() == table.State.NoState, timeout=2000)  # commit is queued


def pick_territory(qtbot: Any, picker: Any, query: str) -> None:
    type_text(picker.edit, query)
    qtbot.waitUntil(lambda: bool(picker._found), timeout=3000)
    picker._chosen(picker._found[0][0])  # what clicking the first line of the popup does


def fill_applicant(qtbot: Any, form: Any, iin: str, surname: str, name: str) -> None:
    type_text(form.fields["iin"], iin)
    type_text(form.fields["surname"], surname)
    type_text(form.fields["name"], name)


def test_add_case_with_family_of_three(qtbot: Any, cases_page: Any, app_context: Any, ui_lang: str) -> None:
    """Applicant and three family members typed in the editor; saved; listed; searchable."""
    editor = cases_page.open_case(None)
    editor.kind.setCurrentIndex(editor.kind.findData("resettler"))
    iin = iin_rules.make(date(1984, 5, 17), "M", 4321)
    fill_applicant(qtbot, editor.applicant, iin, "Құрманғазы", "Бауыржан")
    assert editor.applicant.fields["birth_date"].text() == "17.05.1984"  # derived from the IIN
    members = [("spouse", "Құрманғазы", "Әсем", iin_rules.make(date(1986, 2, 3), "F", 11)),
               ("child", "Құрманғазы", "Нұрлан", iin_rules.make(date(2012, 9, 1), "M", 12)),
               ("child", "Құрманғазы", "Айгүл", "")]
    editor.tabs.setCurrentWidget(editor.family)
    for n, (relation, surname, name, member_iin) in enumerate(members):
        qtbot.mouseClick(editor.family.add_button, Qt.MouseButton.LeftButton)
        type_cell(qtbot, editor.family, n, "relation", relation)
        type_cell(qtbot, editor.family, n, "surname", surname)
        type_cell(qtbot, editor.family, n, "name", name)
        if member_iin:
            type_cell(qtbot, editor.family, n, "iin", member_iin)
    pick_territory(qtbot, editor.origin, "Нарынқол")
    pick_territory(qtbot, editor.destination, "Павлодар облысы")
    before = count_rows(app_context.engine, "cases")["cases"]
    with qtbot.waitSignal(editor.caseSaved, timeout=3000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert count_rows(app_context.engine, "cases")["cases"] == before + 1
    assert editor.number and editor.number.startswith("ALM-KNV-")
    assert len(editor.gather()["family"]) == 3
    model = cases_page.model
    row = model.row_of_case(editor.case_id)
    assert row is not None
    assert model.index(row, int(Col.FAMILY)).data() == "4"
    assert model.index(row, int(Col.IIN)).data() == iin
    cases_page.search.setText("ҚҰРМАНҒАЗЫ")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert model.index(0, 0).data(Role.CASE_ID) == editor.case_id


def test_wrong_iin_shows_inline_message_and_saves_nothing(qtbot: Any, cases_page: Any, app_context: Any,
                                                          ui_lang: str) -> None:
    editor = cases_page.open_case(None)
    fill_applicant(qtbot, editor.applicant, "850612312345", "Сейітқали", "Дәурен")  # bad check digit
    assert editor.applicant.iin_info.text()  # live check already says what is wrong
    before = count_rows(app_context.engine, *TABLES)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    error = editor.applicant.errors["iin"]
    assert error.isVisible() and error.text()  # the editor went to the Applicant tab
    from migreg_desktop.i18n import _
    from migreg_desktop.rules.iin import MSG_CHECK

    assert _(MSG_CHECK) in error.text()
    assert not editor.field_errors["destination_kato"].isHidden()  # missing destination named too
    assert editor.banner.isVisible()
    assert count_rows(app_context.engine, *TABLES) == before
    assert editor.case_id is None


def test_family_row_error_marks_the_cell(qtbot: Any, cases_page: Any, ui_lang: str) -> None:
    editor = cases_page.open_case(None)
    editor.tabs.setCurrentWidget(editor.family)
    qtbot.mouseClick(editor.family.add_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, editor.family, 0, "name", "Әсем")  # no relation, no surname
    editor.save()
    assert not editor.family.error.isHidden()
    assert editor.family.table.item(0, editor.family.columns.index("relation")).toolTip()


def test_warning_asks_for_confirmation(qtbot: Any, cases_page: Any, app_context: Any, make_case: Any) -> None:
    editor = cases_page.open_case(None)
    data = make_case("resettler")
    iin = iin_rules.make(date(1990, 1, 2), "F", 77)
    fill_applicant(qtbot, editor.applicant, iin, "Ахметова", "Дана")
    editor.applicant.fields["birth_date"].setText("03.01.1990")  # differs from the IIN
    editor.origin.set_kato(data["origin_kato"])
    editor.destination.set_kato(data["destination_kato"])
    asked: list[str] = []
    editor.ask = lambda _p, _t, text: asked.append(text) or False
    assert editor.save() is False and asked and editor.case_id is None
    editor.ask = lambda _p, _t, text: True
    assert editor.save() is True and editor.case_id


def test_change_status_with_comment(qtbot: Any, cases_page: Any, example_cases: list[str], ui_lang: str) -> None:
    editor = cases_page.open_case(example_cases[1])
    box = editor.status_box
    codes = [box.target.itemData(i) for i in range(box.target.count())]
    assert sorted(codes) == ["submitted", "withdrawn"]  # TRANSITIONS["draft"]
    box.target.setCurrentIndex(codes.index("submitted"))
    type_text(box.comment, "Құжаттар толық / документы полные")
    with qtbot.waitSignal(editor.caseSaved, timeout=3000):
        qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert box.status == "submitted"
    assert box.history.topLevelItemCount() == 2
    assert box.history.topLevelItem(1).text(4) == "Құжаттар толық / документы полные"
    row = cases_page.model.row_of_case(example_cases[1])
    assert cases_page.model.index(row, int(Col.STATUS)).data(Role.CODE) == "submitted"


def test_edit_existing_case_keeps_people(qtbot: Any, cases_page: Any, example_cases: list[str],
                                         app_context: Any) -> None:
    cases_page.window().activateWindow()
    qtbot.waitUntil(cases_page.window().isActiveWindow, timeout=2000)
    cases_page.view.setFocus()  # Return opens the current case while the table has focus
    cases_page.view.setCurrentIndex(cases_page.model.index(0, 0))
    qtbot.keyClick(cases_page.view, Qt.Key.Key_Return)
    editor = next(iter(cases_page.editors.values()))
    before = count_rows(app_context.engine, "person")
    editor.employer.setText("ТОО «Павлодар Жол»")
    assert editor.is_dirty()
    assert editor.save(confirm_warnings=True)
    assert count_rows(app_context.engine, "person") == before
    assert not editor.is_dirty()


def test_keyboard_shortcuts(qtbot: Any, cases_page: Any, app_context: Any) -> None:
    """Ctrl+S saves (here: refused, inline messages), Esc closes an unchanged editor."""
    editor = cases_page.open_case(None)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    before = count_rows(app_context.engine, *TABLES)
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.banner.isVisible()
    assert count_rows(app_context.engine, *TABLES) == before
    qtbot.keyClick(editor.applicant.fields["surname"], Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_tab_order_follows_the_id_card(qtbot: Any, cases_page: Any) -> None:
    from PySide6.QtWidgets import QApplication

    editor = cases_page.open_case(None)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    editor.applicant.fields["iin"].setFocus()
    seen = []
    for _n in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    assert seen == ["applicant.surname", "applicant.name", "applicant.patronymic", "applicant.birth_date",
                    "applicant.sex"]


def test_ctrl_enter_saves_and_closes(qtbot: Any, cases_page: Any, example_cases: list[str]) -> None:
    editor = cases_page.open_case(example_cases[0])
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    editor.notes.setPlainText("Шақыру хаты бар")
    with qtbot.waitSignal(editor.caseSaved, timeout=3000):
        qtbot.keyClick(editor.employer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible()


def test_documents_table_round_trip(qtbot: Any, cases_page: Any, example_cases: list[str], ui_lang: str) -> None:
    editor = cases_page.open_case(example_cases[2])
    editor.tabs.setCurrentWidget(editor.documents)
    before = len(editor.gather()["documents"])
    qtbot.mouseClick(editor.documents.add_button, Qt.MouseButton.LeftButton)
    row = editor.documents.table.rowCount() - 1
    type_cell(qtbot, editor.documents, row, "doc_type", "birth_certificate")
    type_cell(qtbot, editor.documents, row, "number", "I-АЖ 123456")
    type_cell(qtbot, editor.documents, row, "issued_on", "05.03.2015")
    assert editor.save(confirm_warnings=True)
    docs = editor.gather()["documents"]
    assert len(docs) == before + 1
    assert docs[-1].pop("id")  # documents keep their ids across edits (they travel in packages)
    assert docs[-1] == {"doc_type": "birth_certificate", "number": "I-АЖ 123456", "issued_on": "2015-03-05",
                        "expires_on": None, "note": None}
    type_cell(qtbot, editor.documents, 0, "issued_on", "31.02.2020")  # no such day
    assert not editor.save(confirm_warnings=True)
    assert editor.documents.table.item(0, 2).toolTip()


def test_final_status_asks_first(qtbot: Any, cases_page: Any, example_cases: list[str], ui_lang: str) -> None:
    editor = cases_page.open_case(example_cases[0])
    box = editor.status_box
    box.target.setCurrentIndex(box.target.findData("withdrawn"))
    asked: list[str] = []
    box.ask = lambda _p, _t, text: asked.append(text) or False
    assert box.apply() is False and asked and box.status == "draft"
    box.ask = lambda _p, _t, _x: True
    type_text(box.comment, "Өтініш беруші бас тартты")
    assert box.apply() is True
    assert editor.status_box.status == "withdrawn"
    assert editor.status_box.target.count() == 0 and not editor.status_box.apply_button.isEnabled()


def test_member_details_keep_every_field(qtbot: Any, cases_page: Any, example_cases: list[str],
                                         ui_lang: str) -> None:
    """The kandas example's spouse has a kandas certificate: editable in the member form, kept on save."""
    editor = cases_page.open_case(example_cases[0])
    editor.tabs.setCurrentWidget(editor.family)
    editor.family.table.setCurrentCell(0, 1)
    seen: list[dict[str, Any]] = []

    def fill(parent: Any, values: dict[str, Any]) -> dict[str, Any]:
        from migreg_desktop.ui.member_dialog import MemberDialog

        dialog = MemberDialog(values, parent)
        qtbot.addWidget(dialog)
        seen.append(dialog.values())
        dialog.form.fields["phone"].setText("+7 700 111 2233")
        return dialog.values()

    editor.edit_member = fill
    qtbot.mouseClick(editor.family.details_button, Qt.MouseButton.LeftButton)
    assert seen[0]["kandas_certificate_no"] == "KD-2025-004513" and seen[0]["relation"] == "spouse"
    assert editor.save(confirm_warnings=True)
    member = editor.gather()["family"][0]
    assert member["phone"] == "+7 700 111 2233"
    assert member["kandas_certificate_no"] == "KD-2025-004513"


def test_insert_and_ctrl_delete_act_on_the_focused_table(qtbot: Any, cases_page: Any) -> None:
    """Two row tables in one editor: Insert and Ctrl+Delete act on the one in view only."""
    editor = cases_page.open_case(None)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    for table, other in ((editor.family, editor.documents), (editor.documents, editor.family)):
        editor.tabs.setCurrentWidget(table)
        before, other_before = table.table.rowCount(), other.table.rowCount()
        table.table.setFocus()
        qtbot.keyClick(table.table, Qt.Key.Key_Insert)
        assert (table.table.rowCount(), other.table.rowCount()) == (before + 1, other_before)
        table.table.setFocus()
        table.table.setCurrentCell(table.table.rowCount() - 1, 0)
        qtbot.keyClick(table.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
        assert table.table.rowCount() == before
