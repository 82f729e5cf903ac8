"""Background jobs of the accounts/backup pages: a QRunnable with progress, result and cancel.

The core function takes ``progress(done, total)``; cancelling makes the next progress call
raise, so the job stops at its next step and cleans up like any failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    pass


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)  # the exception


class Job(QRunnable):
    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # the caller keeps it (and its signals) alive

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.signals.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self.fn(self._progress)
        except BaseException as exc:  # reported to the GUI thread, never lost
            self.signals.failed.emit(exc)
            return
        self.signals.finished.emit(result)


def start(fn: Callable[[Callable[[int, int], None]], Any],
          on_done: Callable[[Any], None] | None = None,
          on_failed: Callable[[BaseException], None] | None = None,
          on_progress: Callable[[int, int], None] | None = None) -> Job:
    """Connect first, then start: a quick job must not finish before anyone listens."""
    job = Job(fn)
    for signal, slot in ((job.signals.finished, on_done), (job.signals.failed, on_failed),
                         (job.signals.progress, on_progress)):
        if slot is not None:
            signal.connect(slot)
    QThreadPool.globalInstance().start(job)
    return job
