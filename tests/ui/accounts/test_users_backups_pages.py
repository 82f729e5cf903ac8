import pytest
from PySide6.QtWidgets import QApplication, QWidget

from migreg_desktop.accounts import accounts
from migreg_desktop.cases import cases
from migreg_desktop.storage import backup
from migreg_desktop.storage.db import session_scope
from migreg_desktop.ui.idle_lock import IdleLock
from migreg_desktop.ui.pages.backups import BackupsPage
from migreg_desktop.ui.pages.users import UsersPage
from tests.conftest import count_rows, example_case


@pytest.fixture
def admin(app_context):
    with session_scope(app_context.engine, actor="setup") as s:
        accounts.add_account("tester", "admin", "password1", session=s)
    return app_context


def test_users_page_add_disable_reset_role(qtbot, admin):
    page = UsersPage(admin)
    qtbot.addWidget(page)
    dialog = page.open_add()
    dialog.name.setText("aida")
    dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
    dialog.password.setText("password1")
    dialog.repeat.setText("password1")
    dialog.try_accept()
    assert page.table.rowCount() == 2
    page.select("aida")
    page.toggle_disabled()
    assert page.table.item(0, 4).text() == "disabled" and page.disable_button.text() == "Enable"
    page.cycle_role()
    assert page.table.item(0, 3).text() == "head of office"
    reset = page.open_reset()
    reset.password.setText("another-pass")
    reset.repeat.setText("another-pass")
    reset.try_accept()
    with session_scope(admin.engine) as s:
        assert accounts.login("aida", "another-pass", session=s).reason == "disabled"
    page.select("tester")
    page.toggle_disabled()  # the last admin
    assert "last active admin" in page.message.text()


def test_own_password_dialog_checks_current(qtbot, admin):
    page = UsersPage(admin)
    qtbot.addWidget(page)
    dialog = page.open_own_password()
    dialog.current.setText("wrong-one")
    dialog.password.setText("new-password")
    dialog.repeat.setText("new-password")
    dialog.try_accept()
    assert "current password" in dialog.message.text()
    dialog.current.setText("password1")
    dialog.try_accept()
    with session_scope(admin.engine) as s:
        assert accounts.login("tester", "new-password", session=s).ok


def test_clerk_sees_only_own_password_button(qtbot, app_context):
    with session_scope(app_context.engine, actor="boss") as s:  # the first admin adds the clerk
        accounts.add_account("boss", "admin", "password1", session=s)
        accounts.add_account("tester", "clerk", "password1", session=s)
    page = UsersPage(app_context)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0 and not page.add_button.isVisibleTo(page)
    assert page.own_button.isVisibleTo(page)


def test_backups_page_backup_check_restore(qtbot, admin, tmp_path):
    page = BackupsPage(admin)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.jobDone, timeout=20000):
        page.backup_to(None)
    assert page.table.rowCount() == 1 and "Backup written" in page.status.text()
    first = backup.list_backups()[0].path
    with session_scope(admin.engine, actor="tester") as s:
        cases.register_case(example_case("kandas"), session=s)
    with qtbot.waitSignal(page.jobDone, timeout=20000):
        page.check_database()
    assert page.status.text() == "The database is healthy."
    with qtbot.waitSignal(page.restored, timeout=20000), qtbot.waitSignal(page.ctx.hub.signInAgain, timeout=20000):
        page.restore_from(first)
    assert count_rows(admin.engine, "cases")["cases"] == 0 and page.isEnabled()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"nonsense" * 100)
    with qtbot.assertNotEmitted(page.restored), qtbot.waitSignal(page.jobDone, timeout=20000) as blocker:
        task = page.restore_from(bad)
    assert blocker.args[0] is task.error and task.result is None and "not a backup" in page.status.text()
    assert page.isEnabled()


def test_encrypted_backup_from_page(qtbot, admin, tmp_path):
    page = BackupsPage(admin)
    qtbot.addWidget(page)
    out = tmp_path / "copy.enc"
    with qtbot.waitSignal(page.jobDone, timeout=20000):
        page.backup_to(out, "phrase phrase")
    assert out.exists()
    with qtbot.waitSignal(page.restored, timeout=20000) as blocker:
        page.restore_from(out, "phrase phrase")
    assert blocker.args[0] is not None


def test_idle_lock_hides_window_and_unlocks_with_password(qtbot, admin):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, admin, timeout_ms=50)
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass
    assert not window.isVisible() and lock.dialog.user.text() == "tester"
    assert lock.dialog.user.isReadOnly()
    lock.dialog.password.setText("wrong")
    lock.dialog.try_accept()
    assert lock.is_locked
    lock.dialog.password.setText("password1")
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        lock.dialog.try_accept()
    assert window.isVisible() and not lock.is_locked
    lock.timer.stop()
    QApplication.instance().removeEventFilter(lock)
