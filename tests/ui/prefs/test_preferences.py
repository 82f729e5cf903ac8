"""Issue 15: Preferences per role (the permissions table decides), font size and colours applied
live to the whole window and kept in settings.json."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from migreg_desktop import i18n
from migreg_desktop.accounts import accounts
from migreg_desktop.settings import Settings
from migreg_desktop.storage.db import session_scope
from migreg_desktop.ui import theme

OFFICE_KEYS = ("lock_after_minutes", "backup_keep_daily", "backup_keep_weekly", "backup_keep_monthly",
               "backup_keep_events", "backup_end_of_day_hour", "sync_refdata_max_age_days")


@pytest.fixture(autouse=True)
def platform_look(qapp):
    """The application's font and colours as they were: the next test in this process measures
    text (a point size set here made the case list 1 px too wide in test_clerk_screen_fit)."""
    font = QFont(qapp.font())
    yield
    theme.reset(qapp)
    qapp.setFont(font)


@pytest.fixture
def accounts_made(app_context: Any) -> Any:
    with session_scope(app_context.engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password-2026", session=s)
        accounts.add_account("aida", "clerk", "password-2026", session=s)
    return app_context


def as_user(ctx: Any, name: str) -> Any:
    ctx.user = name
    return ctx


def click(qtbot: Any, dialog: Any, which: QDialogButtonBox.StandardButton) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def test_clerk_sees_office_settings_read_only(qtbot, window, accounts_made, ui_lang):
    as_user(accounts_made, "aida")
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    for key in OFFICE_KEYS:
        assert not dialog.editors[key].isEnabled(), key
        assert i18n._("Needs an administrator.") in dialog.editors[key].toolTip()
    for key in ("language", "font_size", "theme", "clerk_name"):
        assert dialog.editors[key].isEnabled(), key
    assert dialog.note.isVisibleTo(dialog)
    assert dialog.note.text() == i18n._("Settings in grey are changed by an administrator.")
    assert dialog.note.text() != "Settings in grey are changed by an administrator."  # kk/ru, not English
    theme_box = dialog.editors["theme"]
    assert [theme_box.itemText(i) for i in range(theme_box.count())] == [
        i18n._(t) for t in ("As the system", "Light", "Dark", "High contrast")]


def test_admin_may_change_the_lock_and_it_is_audited(qtbot, window, accounts_made, ui_lang):
    from sqlmodel import select

    from migreg_desktop.models import AuditEntry

    as_user(accounts_made, "boss")
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    assert all(dialog.editors[k].isEnabled() for k in OFFICE_KEYS)
    dialog.editors["lock_after_minutes"].setValue(0)
    with qtbot.waitSignal(accounts_made.hub.settingsChanged, timeout=1000) as changed:
        click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert changed.args == ["lock_after_minutes"]
    assert Settings().get("lock_after_minutes") == 0  # kept in settings.json
    with session_scope(accounts_made.engine) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "settings_change")).one()
        assert (entry.user, entry.entity_id) == ("boss", "lock_after_minutes")


def test_font_size_and_dark_theme_apply_live_and_persist(qtbot, window, accounts_made, ui_lang):
    as_user(accounts_made, "aida")
    nav_before = window.nav.width()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    dialog.editors["font_size"].setValue(15)
    combo = dialog.editors["theme"]
    combo.setCurrentIndex(combo.findData("dark"))
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Apply)  # the dialog stays open
    app = QApplication.instance()
    assert dialog.isVisible()
    assert app.font().pointSize() == 15
    # every open window, once Qt has delivered the font change
    qtbot.waitUntil(lambda: window.font().pointSize() == 15 and dialog.font().pointSize() == 15, timeout=2000)
    qtbot.waitUntil(lambda: window.nav.width() > nav_before, timeout=2000)
    cases = window.pages["cases"]  # rows as tall and numbers as wide as the larger text, or Qt cuts cells to "ALM-…"
    qtbot.waitUntil(lambda: cases.view.verticalHeader().defaultSectionSize() >= cases.view.fontMetrics().height() + 8,
                    timeout=2000)
    number = cases.view.fontMetrics().horizontalAdvance("ALM-KNV-2026-000001")
    assert cases.view.fontMetrics().height() > 15 and cases.view.columnWidth(0) > number  # the navigation refits its labels in the larger font
    assert theme.scheme() == "dark"
    assert app.palette().color(app.palette().ColorRole.Window).lightness() < 80
    stored = Settings()
    assert (stored.get("font_size"), stored.get("theme")) == (15, "dark")
    combo.setCurrentIndex(combo.findData("system"))
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert theme.scheme() in ("light", "dark") and Settings().get("theme") == "system"
    assert app.palette().color(app.palette().ColorRole.Window).lightness() > 150  # offscreen: light


def test_theme_roles_colour_labels_for_the_scheme(qtbot):
    from PySide6.QtWidgets import QLabel

    app = QApplication.instance()
    label = QLabel("!")
    qtbot.addWidget(label)
    theme.set_role(label, "error")
    theme.apply(app, 10, "dark")
    label.ensurePolished()
    assert label.palette().color(label.foregroundRole()).name() == theme.ROLE_COLORS["dark"]["error"]
    theme.apply(app, 10, "light")
    label.ensurePolished()
    assert label.palette().color(label.foregroundRole()).name() == theme.ROLE_COLORS["light"]["error"]


def test_preferences_before_the_database_opens_change_only_personal_settings(qtbot, settings_only):
    from migreg_desktop.ui.main_window import MainWindow

    win = MainWindow(settings_only)
    qtbot.addWidget(win)
    dialog = win.open_preferences()
    qtbot.addWidget(dialog)
    assert not dialog.editors["lock_after_minutes"].isEnabled()
    dialog.editors["font_size"].setValue(12)
    dialog.accept()
    assert QApplication.instance().font().pointSize() == 12
    assert settings_only.get("lock_after_minutes") == 10


@pytest.fixture
def settings_only(data_dir: Any) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings()


def test_a_clerks_own_column_widths_grow_with_the_font(qtbot, window):
    app = QApplication.instance()
    cases = window.pages["cases"]
    cases.columns.restored = True  # the clerk has dragged the columns to their liking
    before = [cases.view.columnWidth(c) for c in range(3)]
    theme.apply(app, 15, "light")
    qtbot.waitUntil(lambda: cases.view.columnWidth(0) > before[0] * 1.2, timeout=2000)
    assert all(cases.view.columnWidth(c) > w for c, w in enumerate(before))


def test_the_lock_follows_an_admins_change_at_once(qtbot, window, accounts_made):
    from migreg_desktop.ui.idle_lock import IdleLock

    as_user(accounts_made, "boss")
    lock = IdleLock(window, accounts_made)
    assert lock.timeout_ms == 10 * 60_000 and lock.timer.isActive()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    dialog.editors["lock_after_minutes"].setValue(3)
    with qtbot.waitSignal(accounts_made.hub.settingsChanged, timeout=1000):
        dialog.accept()
    assert lock.timeout_ms == 3 * 60_000 and lock.timer.interval() == 3 * 60_000 and lock.timer.isActive()
