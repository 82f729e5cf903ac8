"""app.py asks who is working before any page (and so any personal data) is attached."""

from types import SimpleNamespace
from typing import Any

from migreg_desktop.app import attach_pages
from migreg_desktop.settings import Settings
from migreg_desktop.ui.main_window import MainWindow


def _window(qtbot: Any) -> MainWindow:
    win = MainWindow(Settings())
    win.ask = lambda _parent, _title, _text: True
    qtbot.addWidget(win)
    return win


def test_no_pages_without_a_login(qtbot: Any, engine: Any) -> None:
    win = _window(qtbot)
    asked: list[Any] = []
    ctx = attach_pages(win, engine, win.settings, lambda e, s, parent: asked.append(parent))
    assert ctx is None and asked == [win]
    assert "cases" not in win.pages


def test_signed_in_clerk_is_the_actor_and_guards_start(qtbot: Any, engine: Any) -> None:
    win = _window(qtbot)
    ctx = attach_pages(win, engine, win.settings, lambda e, s, parent: SimpleNamespace(name="aida"))
    assert ctx is not None and ctx.actor == "aida" and "cases" in win.pages
    assert win.startup_checks is not None and win.idle_lock is not None
    qtbot.waitUntil(lambda: win.startup_checks.report is not None, timeout=20000)
    assert win.startup_checks.report["damaged"] is False
    win.startup_checks.daily.stop()


def test_restore_asks_who_is_working_again(qtbot: Any, engine: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QApplication

    win = _window(qtbot)
    who = iter(["aida", "boss", None])
    asked: list[Any] = []

    def authenticate(_e: Any, _s: Any, parent: Any) -> Any:
        asked.append(parent)
        name = next(who)
        return SimpleNamespace(name=name) if name else None

    ctx = attach_pages(win, engine, win.settings, authenticate)
    qtbot.waitUntil(lambda: win.startup_checks.report is not None, timeout=20000)
    win.startup_checks.daily.stop()
    win.show()
    ctx.hub.signInAgain.emit()  # what the Backups page does after a restore
    assert ctx.actor == "boss" and win.isVisible() and len(asked) == 2
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    ctx.hub.signInAgain.emit()  # nobody signs in: the program quits, the data stays hidden
    assert quits == [True] and not win.isVisible() and ctx.actor == "boss"
