"""Issue 15: who may change which setting is the permissions table's call, in the core."""

from __future__ import annotations

import pytest

from migreg_desktop.accounts import accounts, preferences
from migreg_desktop.errors import AccessDenied, UserError
from migreg_desktop.settings import REGISTRY, Settings
from migreg_desktop.storage import backup, privacy  # noqa: F401  (declare the office's settings)
from migreg_desktop.storage.db import session_scope


@pytest.fixture
def office(engine):
    with session_scope(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password-2026", session=s)
        accounts.add_account("aida", "clerk", "password-2026", session=s)
    return engine


def test_a_clerk_may_not_switch_the_lock_off_nor_change_backup_retention(office):
    settings = Settings()
    for key, value in (("lock_after_minutes", 0), ("backup_keep_daily", 1)):
        with session_scope(office, actor="aida") as s, pytest.raises(AccessDenied):
            preferences.change(settings, {"font_size": 14, key: value}, session=s)
    # all or nothing: the allowed font size was not written either
    assert Settings().get("lock_after_minutes") == 10 and Settings().get("font_size") == 10
    with session_scope(office, actor="aida") as s:
        assert preferences.change(settings, {"font_size": 14, "theme": "dark"}, session=s) == ["font_size", "theme"]
        may = preferences.editable(session=s)
    assert not may["lock_after_minutes"] and may["font_size"]
    assert Settings().get("font_size") == 14


def test_an_admin_may_and_the_bounds_hold(office):
    settings = Settings()
    with session_scope(office, actor="boss") as s:
        assert preferences.change(settings, {"lock_after_minutes": 0}, session=s) == ["lock_after_minutes"]
        with pytest.raises(UserError):
            preferences.change(settings, {"lock_after_minutes": 100_000}, session=s)
        with pytest.raises(UserError):
            preferences.change(settings, {"theme": "purple"}, session=s)
        with pytest.raises(UserError):
            preferences.change(settings, {"window_sizes": {}}, session=s)  # the window's own, not a preference
    assert Settings().get("lock_after_minutes") == 0


def test_office_settings_name_an_action_of_the_table():
    from migreg_desktop.accounts.permissions import TABLE

    gated = {k for k, s in REGISTRY.items() if s.action}
    assert {"lock_after_minutes", "backup_keep_daily", "backup_keep_monthly"} <= gated
    assert {REGISTRY[k].action for k in gated} <= set(TABLE)


def test_a_damaged_value_in_settings_json_falls_back_to_the_default(data_dir):
    settings = Settings()
    settings._values["font_size"] = 400
    settings._values["theme"] = "neon"
    assert settings.get("font_size") == 10 and settings.get("theme") == "system"
