"""Issue 14 in the window: the Users page asks for full name and position (add and change), and
the status bar names the clerk by full name and position, never the login; kk and ru."""

from __future__ import annotations

import pytest

from migreg_desktop.accounts import accounts
from migreg_desktop.storage.db import session_scope
from migreg_desktop.ui.pages.users import UsersPage


@pytest.fixture
def admin(app_context):  # noqa: ANN001, ANN201
    with session_scope(app_context.engine, actor="setup") as s:
        accounts.add_account("tester", "admin", "password1", session=s, full_name="Сейітқалиева Әлия",
                             position="бас маман")
    return app_context


def test_add_and_change_full_name_and_position(qtbot, admin, ui_lang):
    page = UsersPage(admin)
    qtbot.addWidget(page)
    assert page.table.horizontalHeaderItem(2).text() == {"kk": "Лауазымы", "ru": "Должность"}[ui_lang]
    dialog = page.open_add()
    dialog.name.setText("aida")
    dialog.full_name.setText("Бекова Аида")
    dialog.position.setText("маман")
    dialog.password.setText("password1")
    dialog.repeat.setText("password1")
    dialog.try_accept()
    page.select("aida")
    assert page.details_button.isEnabled()
    assert page.details_button.text() == {"kk": "Аты-жөні және лауазымы…", "ru": "ФИО и должность…"}[ui_lang]
    details = page.open_details()
    assert details.full_name.text() == "Бекова Аида" and details.position.text() == "маман"
    details.position.setText("жетекші маман")
    details.try_accept()
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "aida")
    assert page.table.item(row, 2).text() == "жетекші маман"
    bad = page.open_details()
    bad.full_name.setText("x\x07")
    bad.try_accept()
    assert bad.message.text() and bad.isVisible()  # refused in words, nothing changed
    with session_scope(admin.engine) as s:
        assert accounts.display_name("aida", session=s) == "Бекова Аида, жетекші маман"


def test_status_bar_shows_full_name_and_position(qtbot, admin, window, ui_lang):
    text = window.clerk_label.text()
    assert "Сейітқалиева Әлия, бас маман" in text and "tester" not in text
