from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from migreg_desktop.accounts import accounts
from migreg_desktop.models import AuditEntry
from migreg_desktop.settings import Settings
from migreg_desktop.storage.db import session_scope
from migreg_desktop.ui.login import LoginDialog, SetupAdminDialog, login_dialog_for


def _add(engine, name="admin", role="admin", password="password1"):
    with session_scope(engine, actor="admin") as s:  # the first admin, then the admin adds the others
        accounts.add_account(name, role, password, session=s)


def test_first_start_asks_for_the_admin_account(qtbot, engine):
    dialog = login_dialog_for(engine, Settings())
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SetupAdminDialog)
    dialog.user.setText("Boss")
    dialog.full_name.setText("Сейітқалиева Әлия")
    dialog.position.setText("басшы")  # issue 14: papers name the admin by full name and position
    dialog.password.setText("password1")
    dialog.repeat.setText("password2")
    dialog.try_accept()
    assert "differ" in dialog.message.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.repeat.setText("password1")
    dialog.try_accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome.name == "boss" and dialog.outcome.role == "admin"
    with session_scope(engine) as s:
        assert accounts.display_name("boss", session=s) == "Сейітқалиева Әлия, басшы"
    assert isinstance(login_dialog_for(engine, Settings()), LoginDialog)


def test_short_password_refused_inline(qtbot, engine):
    dialog = SetupAdminDialog(engine)
    qtbot.addWidget(dialog)
    dialog.user.setText("boss")
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    dialog.try_accept()
    assert "8" in dialog.message.text() and dialog.outcome is None


def test_login_wrong_password_then_right(qtbot, engine):
    _add(engine)
    dialog = LoginDialog(engine, user="admin")
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Wrong user name or password." and dialog.outcome is None
    assert dialog.password.text() == ""
    dialog.password.setText("password1")
    dialog.try_accept()
    assert dialog.outcome.role == "admin" and dialog.result() == QDialog.DialogCode.Accepted
    with session_scope(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["login_failed", "login"]


def test_lockout_disables_the_button_and_disabled_account_says_so(qtbot, engine):
    _add(engine)
    _add(engine, "aida", "clerk")
    dialog = LoginDialog(engine, user="admin")
    qtbot.addWidget(dialog)
    for _i in range(4):
        dialog.password.setText("wrong")
        dialog.try_accept()
    assert not dialog.ok_button().isEnabled() and "Try again" in dialog.message.text()
    with session_scope(engine, actor="admin") as s:
        accounts.set_disabled("aida", True, session=s)
    other = LoginDialog(engine, user="aida")
    qtbot.addWidget(other)
    other.password.setText("password1")
    other.try_accept()
    assert "disabled" in other.message.text()


def test_language_switch_is_live(qtbot, engine):
    _add(engine)
    dialog = LoginDialog(engine)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("kk"))
    assert dialog.windowTitle() == "Кіру"
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    assert dialog.windowTitle() == "Вход"
