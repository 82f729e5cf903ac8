"""Fixtures of the window tests: the UI language (kk and ru), the main window, example cases."""

from __future__ import annotations

from typing import Any

import pytest

from migreg_desktop import i18n


@pytest.fixture(params=["kk", "ru"])
def ui_lang(request: pytest.FixtureRequest) -> str:
    """Run the test with the window in Kazakh and in Russian."""
    i18n.set_language(request.param)
    return request.param


def add_cases(target: Any, *kinds: str) -> list[str]:
    """Register example cases through a unit of work: the window's (``target`` an AppContext: its
    hub hears of them) or a bare one over an engine (checked, nobody told)."""
    from migreg_desktop.cases import cases
    from tests.conftest import example_case, work_session

    ids = []
    for kind in kinds or ("kandas", "resettler", "intra_oblast"):
        scope = target.work.for_actor("tester").session() if hasattr(target, "work") else work_session(target)
        with scope as s:
            ids.append(cases.register_case(example_case(kind), session=s, confirm_warnings=True).id)
    return ids


@pytest.fixture
def example_cases(app_context: Any) -> list[str]:
    """Through the window's unit of work: a window already open hears of them."""
    return add_cases(app_context)


@pytest.fixture
def window(qtbot: Any, app_context: Any) -> Any:
    from migreg_desktop.ui import registry
    from migreg_desktop.ui.main_window import MainWindow

    registry.discover()
    win = MainWindow(app_context.settings)
    win.ask = lambda _parent, _title, _text: True  # closing at teardown must never wait for a click
    qtbot.addWidget(win)
    win.attach(app_context)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def cases_page(window: Any) -> Any:
    return window.show_page("cases")


def type_text(widget: Any, text: str) -> None:
    """Type like a keyboard, Kazakh letters included (QTest.keyClicks only knows ASCII keys)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


# The offscreen platform cannot resize to size hints or raise windows; those are not our warnings.
OFFSCREEN_NOISE = (r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|setParent\(\)|grab\(\)"
                   r"|grabbing the keyboard|grabbing the mouse)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = str(__import__("pathlib").Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
