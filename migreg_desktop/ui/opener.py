"""Open the database off the GUI thread at start-up, so the first window stays responsive
(Conventions §3: the GUI thread never waits for disk longer than a frame). Migrations and the
reference-data check can take a second; the window shows "Opening the database…" meanwhile."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Job(QRunnable):
    def __init__(self, booter: Booter) -> None:
        super().__init__()
        self.booter = booter

    def run(self) -> None:
        from ..errors import MigregError

        try:
            engine = self.booter.open_fn()
        except MigregError as exc:
            self.booter.refused.emit(exc)
        except BaseException:  # noqa: BLE001 - a bug: reported on the GUI thread by the crash dialog
            self.booter.crashed.emit(sys.exc_info())
        else:
            self.booter.opened.emit(engine)


class Booter(QObject):
    """Runs ``open_fn`` in the thread pool; the callbacks run on the GUI thread (queued signals)."""

    opened = Signal(object)
    refused = Signal(object)
    crashed = Signal(object)

    def __init__(self, open_fn: Callable[[], Any], on_opened: Callable[[Any], None],
                 on_refused: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.open_fn, self.on_opened, self.on_refused = open_fn, on_opened, on_refused
        self.opened.connect(self._opened)
        self.refused.connect(self._refused)
        self.crashed.connect(self._crashed)

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Job(self))

    @Slot(object)
    def _opened(self, engine: Any) -> None:
        self.on_opened(engine)

    @Slot(object)
    def _refused(self, exc: Any) -> None:
        self.on_refused(exc)

    @Slot(object)
    def _crashed(self, exc_info: Any) -> None:
        from PySide6.QtWidgets import QApplication

        from .crash import handle_exception

        handle_exception(*exc_info)
        QApplication.exit(3)
