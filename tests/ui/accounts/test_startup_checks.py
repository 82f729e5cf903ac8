import threading

from migreg_desktop.accounts import accounts
from migreg_desktop.storage import integrity
from migreg_desktop.storage.db import session_scope
from migreg_desktop.ui.startup_checks import StartupChecks


def _admin(engine):
    with session_scope(engine, actor="setup") as s:
        accounts.add_account("tester", "admin", "password1", session=s)


def test_healthy_start_makes_the_missed_daily_backup_and_warns_nobody(qtbot, app_context):
    _admin(app_context.engine)
    checks = StartupChecks(app_context)
    with qtbot.waitSignal(checks.finished, timeout=20000) as blocker:
        checks.start()
    checks.daily.stop()
    assert blocker.args[0]["ok"] and checks.box is None


def _assert_audit_warning(qtbot, ctx):
    checks = StartupChecks(ctx)
    with qtbot.waitSignal(checks.finished, timeout=20000):
        checks.start()
    checks.daily.stop()
    assert checks.box is not None and "audit" in checks.box.text().lower()
    checks.box.close()


def test_edited_audit_warns_the_admin(qtbot, app_context):
    _admin(app_context.engine)
    with app_context.engine.begin() as con:
        con.exec_driver_sql("UPDATE audit_entry SET user='x' WHERE id=1")
    _assert_audit_warning(qtbot, app_context)


def test_damaged_database_turns_read_only_with_the_way_to_restore(qtbot, app_context, monkeypatch):
    _admin(app_context.engine)
    damaged = {"ok": False, "damaged": True, "integrity_check": ["*** in database main ***"],
               "foreign_key_violations": [], "audit": None}
    monkeypatch.setattr(integrity, "check_database", lambda *a, **k: dict(damaged))
    checks = StartupChecks(app_context)
    with qtbot.waitSignal(checks.damaged, timeout=20000):
        checks.start()
    checks.daily.stop()
    assert integrity.is_read_only(app_context.engine)
    assert "restore" in checks.box.text()
    checks.box.close()


def test_newest_entries_removed_then_window_login_still_warns_the_admin(qtbot, app_context):
    """Audit fix 1: the window logs in before the check; that login must not hide the removal."""
    _admin(app_context.engine)
    for _ in range(6):
        with session_scope(app_context.engine) as s:
            accounts.login("tester", "password1", session=s)
    with app_context.engine.begin() as con:
        con.exec_driver_sql("DELETE FROM audit_entry WHERE id IN "
                            "(SELECT id FROM audit_entry ORDER BY id DESC LIMIT 5)")
    with session_scope(app_context.engine) as s:
        assert accounts.login("tester", "password1", session=s)
    _assert_audit_warning(qtbot, app_context)


def test_database_marked_damaged_is_read_only_from_the_first_moment(qtbot, app_context, monkeypatch):
    _admin(app_context.engine)
    integrity.remember({"database": "x", "damaged": True, "integrity_check": ["page 38 broken"]})
    started = threading.Event()
    monkeypatch.setattr(integrity, "check_database", lambda *a, **k: started.wait(10) and {
        "ok": True, "damaged": False, "integrity_check": ["ok"], "foreign_key_violations": [], "audit": None})
    checks = StartupChecks(app_context)
    checks.start()
    try:
        assert integrity.is_read_only(app_context.engine)  # before the background check has finished
    finally:
        started.set()
        checks.daily.stop()
        qtbot.waitUntil(lambda: checks.report is not None, timeout=20000)
