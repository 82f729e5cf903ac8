"""Long printing jobs (a register, all slips of a day) in a QThreadPool worker with progress and cancel.

The core function takes ``progress(done, total)`` and ``cancelled()``; the worker forwards progress
as a queued signal and opens its own database session (the GUI's session stays on the GUI thread).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from ..errors import MigregError
from ..forms.render import Cancelled


class WorkerSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class PrintWorker(QRunnable):
    """Runs ``job(session, progress, cancelled)`` once; ``cancel()`` is safe from the GUI thread."""

    def __init__(self, engine: Any, actor: str, job: Callable[..., Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the page keeps it until its signals arrived
        self.engine, self.actor, self.job = engine, actor, job
        self.signals = WorkerSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        from ..db import session_scope

        try:
            with session_scope(self.engine, actor=self.actor) as session:
                result = self.job(session, self.signals.progress.emit, self.is_cancelled)
        except Cancelled:
            self.signals.cancelled.emit()
        except MigregError as exc:
            self.signals.failed.emit(exc.message())
        except Exception as exc:  # a bug: the page shows it; the log has the trace  # noqa: BLE001
            import logging

            logging.getLogger(__name__).exception("printing failed")
            self.signals.failed.emit(str(exc))
        else:
            self.signals.finished.emit(result)
