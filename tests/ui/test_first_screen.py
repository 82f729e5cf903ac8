"""Issue 15, cold start: the case list is filled from a read-only connection before SQLAlchemy,
SQLModel and the models are loaded (app.boot_first_screen); the engine opens after, and anything
that needs it before then waits for it instead of failing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from migreg_desktop.settings import Settings
from tests.ui.conftest import add_cases

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from migreg_desktop import app, paths
paths.set_data_dir(sys.argv[1])
from migreg_desktop.settings import Settings
from migreg_desktop.ui.main_window import MainWindow
qapp = QApplication([])
window = MainWindow(Settings())
def shown(ctx):
    page = window.pages["cases"]
    print(json.dumps({"rows": page.model.rowCount(), "opened": ctx.opened,
                      "first": page.model.index(0, 0).data(),
                      "loaded": sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic", "migreg_desktop.models")
                                       if m in sys.modules)}), flush=True)
print(json.dumps({"first_screen": app.boot_first_screen(window, Settings(), shown)}), flush=True)
"""


def test_the_list_is_filled_before_the_database_stack_is_imported(engine, data_dir):
    numbers = add_cases(engine, "kandas", "resettler")
    assert numbers
    engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", PROBE, str(data_dir)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    docs = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert docs[0]["rows"] == 2 and docs[0]["first"].startswith("ALM-KNV-")
    assert docs[0]["opened"] is False and docs[0]["loaded"] == []  # none of it, not even pydantic
    assert docs[1] == {"first_screen": True}


def test_the_engine_comes_after_and_the_other_pages_with_it(qtbot, engine, data_dir):
    from migreg_desktop import app
    from migreg_desktop.ui.main_window import MainWindow

    add_cases(engine, "kandas")
    engine.dispose()
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    shown = []
    assert app.boot_first_screen(window, Settings(), shown.append)
    ctx = shown[0]
    assert window.pages["cases"].model.rowCount() == 1 and not ctx.opened
    assert window.stack.currentWidget() is window.pages["cases"]
    with qtbot.waitSignal(ctx.hub.databaseOpened, timeout=20000):
        pass
    assert ctx.opened and {"quotas", "audit", "backups"} <= {s.key for s in window.specs}
    add_cases(ctx, "resettler")  # a write through the window's unit of work: the list hears of it
    qtbot.waitUntil(lambda: window.pages["cases"].model.rowCount() == 2, timeout=5000)
    ctx.engine.dispose()


def test_a_write_in_the_first_moment_waits_for_the_engine(qtbot, engine, data_dir):
    from migreg_desktop import app
    from migreg_desktop.ui.main_window import MainWindow

    engine.dispose()
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    shown = []
    assert app.boot_first_screen(window, Settings(), shown.append)
    ctx = shown[0]
    assert not ctx.opened
    ids = add_cases(ctx, "kandas")  # before the engine opened: ctx.work waits for it
    assert ctx.opened and len(ids) == 1
    qtbot.waitUntil(lambda: window.pages["cases"].model.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: len(window.specs) > 5, timeout=20000)  # the other pages still come
    ctx.engine.dispose()


def test_a_database_that_needs_the_full_way_is_not_read_first(qtbot, engine, data_dir):
    import sqlite3

    from migreg_desktop import app, paths
    from migreg_desktop.ui.main_window import MainWindow

    engine.dispose()
    with sqlite3.connect(paths.db_path()) as con:  # newer shipped data: open_existing loads it first
        con.execute("UPDATE refdata_version SET version = '0.0.1'")
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    assert app.boot_first_screen(window, Settings()) is False


SIGN_IN_PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from migreg_desktop import app, paths
paths.set_data_dir(sys.argv[1])
from migreg_desktop.settings import Settings
from migreg_desktop.ui import login
from migreg_desktop.ui.main_window import MainWindow
qapp = QApplication([])
window = MainWindow(Settings())
def shown():
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "loginDialog" and w.isVisible())
    print(json.dumps({"dialog": type(dialog).__name__}), flush=True)
    dialog.user.setText("boss"); dialog.password.setText("password1")
    dialog.try_accept()
QTimer.singleShot(0, shown)
def signed_in(ctx):
    print(json.dumps({"user": ctx.user, "rows": window.pages["cases"].model.rowCount()}), flush=True)
    QTimer.singleShot(0, qapp.quit)
app.boot_async(window, Settings(), None, signed_in, authenticate=login.require_login)
qapp.exec()
"""


def test_the_sign_in_dialog_shows_before_the_database_stack_and_signs_in(engine, data_dir):
    from migreg_desktop.accounts import accounts
    from tests.conftest import work_session

    add_cases(engine, "kandas")
    with work_session(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s)
    engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", SIGN_IN_PROBE, str(data_dir)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    docs = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert docs[0]["dialog"] == "LoginDialog"  # the real dialog, signing in through the real accounts
    assert docs[1] == {"user": "boss", "rows": 1}, run.stderr[-2000:]


def test_the_dialog_gets_a_function_that_waits_for_the_engine(qtbot, engine, data_dir):
    from migreg_desktop import app
    from migreg_desktop.ui.main_window import MainWindow

    engine.dispose()
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    given = []

    def authenticate(source, _settings, _parent):
        given.append(source)
        assert callable(source)  # the engine is still opening
        from types import SimpleNamespace

        assert source() is source()  # it waits, then it is the one engine
        return SimpleNamespace(name="aida")

    signed = []
    assert app.boot_first_screen(window, Settings(), signed.append, authenticate)
    assert signed and signed[0].user == "aida" and signed[0].opened
    assert window.pages["cases"].model.rowCount() == 0
    signed[0].engine.dispose()
