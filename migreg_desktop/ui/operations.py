"""One operation runner for the window (Conventions §1 and §3; Anki's ``CollectionOp``/``QueryOp``,
Vorta's jobs manager): a long job is a plain function, never a new thread class.

    task = ctx.ops.run(lambda progress, is_cancelled: work(progress=progress, cancelled=is_cancelled),
                       done=self._done, failed=self.status.setText, progress=self._progress)

The function runs in a thread pool with ``progress(done, total)`` and ``is_cancelled()``; the
core functions keep their own ``progress``/``cancelled`` parameters, so the CLI shows the same
progress. Everything else is the runner's, in one place:

- **progress** arrives on the GUI thread as ``Task.progressed``, at most every ``THROTTLE_S``
  (the last value always arrives, before ``done``);
- **cancel**: ``Task.cancel()`` sets the flag the function reads; a function that stops raises
  ``errors.Cancelled`` (``stop_at_progress`` does it for a core that only takes ``progress``);
- **errors**: a ``MigregError`` becomes the clerk's message in the current language (translated
  on the GUI thread when it arrives); anything else is a bug: the crash handler (in the program
  ``ui.crash``: a log entry and the crash dialog), then a short message for the widget;
- **done** carries the result; ``ended`` follows every outcome (a widget leaves its busy state).

Callbacks and signals run on the GUI thread, the op's callback before the task's signal. The GUI
thread never waits for a job, except ``shutdown`` when the window closes: it asks every job to
stop and waits a bounded time.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from migreg_desktop.errors import Cancelled, MigregError

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
JobFn = Callable[[Progress, IsCancelled], Any]
CrashHandler = Callable[..., None]  # (exc_type, exc, traceback), like sys.excepthook

# PDFs are made one at a time: each can take all of a core for seconds on an office laptop, and
# only the newest preview matters (the language is passed to the builders, so order is all it is).
FORMS_QUEUE = "forms"
THROTTLE_S = 0.05  # twenty progress signals a second are plenty for a progress bar
SHUTDOWN_S = 5.0
log = logging.getLogger("migreg_desktop.operations")
_ALIVE: set[Task] = set()  # tasks whose function still runs: kept until their thread lets go
_POOL: list[QThreadPool] = []


def _pool() -> QThreadPool:
    """One pool for the program's jobs, never destroyed while the program runs (a pool's
    destructor would wait for a job that ignores Cancel)."""
    if not _POOL:
        pool = QThreadPool()
        pool.setMaxThreadCount(max(4, QThread.idealThreadCount()))  # a re-check never blocks a print
        _POOL.append(pool)
    return _POOL[0]


def _excepthook(*exc_info: Any) -> None:
    sys.excepthook(*exc_info)  # looked up when called: ui.crash.install() sets it in the program


def stop_at_progress(progress: Progress, is_cancelled: IsCancelled) -> Progress:
    """For a core function that takes ``progress`` but no cancel: after Cancel its next progress
    call raises ``Cancelled``, so it stops there and cleans up as on any error."""
    def report(done: int, total: int) -> None:
        if is_cancelled():
            raise Cancelled()
        progress(done, total)

    return report


@dataclass
class Op:
    """A long job and what the widget wants to hear of it (every callback on the GUI thread)."""

    fn: JobFn
    done: Callable[[Any], None] | None = None  # the result
    failed: Callable[[str], None] | None = None  # the clerk's message
    progress: Callable[[int, int], None] | None = None
    cancelled: Callable[[], None] | None = None  # none given: ``failed`` gets the cancel's message
    ended: Callable[[], None] | None = None  # after any outcome
    name: str = "job"  # for the log
    queue: str | None = None  # jobs of one queue run one after another (Vorta's per-repository queue)


class _Worker(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the task keeps it
        self.task = task

    def run(self) -> None:
        self.task._execute()


def _not_started(_progress: Progress, _is_cancelled: IsCancelled) -> Any:
    raise Cancelled()


class Task(QObject):
    """One submitted op. Lives on the GUI thread; ``cancel()`` is safe from anywhere."""

    progressed = Signal(int, int)
    done = Signal(object)  # the result
    failed = Signal(str)  # the clerk's message in the current language
    cancelled = Signal()
    ended = Signal()  # after done, failed or cancelled
    _reported = Signal(int, int)  # from the worker thread (queued to the GUI thread)
    _returned = Signal(object)
    _raised = Signal(object)  # sys.exc_info()

    def __init__(self, op: Op, runner: OperationRunner) -> None:
        super().__init__()
        self.op, self.runner = op, runner
        self.result: Any = None
        self.error: BaseException | None = None
        self.detached = False  # the window closed: nobody is left to tell
        self.launched = False  # handed to the pool (a queued job waits for its turn first)
        self._cancel, self._finished = threading.Event(), threading.Event()
        self._last: tuple[int, int] | None = None
        self._sent: tuple[int, int] | None = None
        self._sent_at = 0.0
        self._reported.connect(self._on_reported)
        self._returned.connect(self._on_returned)
        self._raised.connect(self._on_raised)
        self.worker = _Worker(self)

    # ---- any thread ---------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return not self._finished.is_set()

    def wait(self, timeout_s: float) -> bool:
        """True once the function has returned (its outcome may still be on its way)."""
        return self._finished.wait(max(0.0, timeout_s))

    # ---- the worker thread ----------------------------------------------------------------
    def _execute(self) -> None:
        fn = _not_started if self.is_cancelled() else self.op.fn  # cancelled while it waited its turn
        try:
            outcome, value = self._returned, fn(self._report, self.is_cancelled)
        except BaseException:  # every outcome reaches the GUI thread, none is lost
            outcome, value = self._raised, sys.exc_info()
        self._flush()
        self._finished.set()  # before the outcome is sent: when it arrives, is_running() is False
        try:
            self._send(outcome, value)
        finally:
            _ALIVE.discard(self)

    def _report(self, done: int, total: int) -> None:
        self._last = (int(done), int(total))
        if done >= total or time.monotonic() - self._sent_at >= THROTTLE_S:
            self._flush()

    def _flush(self) -> None:
        if self._last is not None and self._last != self._sent:
            self._sent, self._sent_at = self._last, time.monotonic()
            self._send(self._reported, *self._last)

    @staticmethod
    def _send(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the program is closing and the C++ side is gone
            pass

    # ---- the GUI thread -------------------------------------------------------------------
    @Slot(int, int)
    def _on_reported(self, done: int, total: int) -> None:
        if self.detached:
            return
        if self.op.progress:
            self.op.progress(done, total)
        self.progressed.emit(done, total)

    @Slot(object)
    def _on_returned(self, result: Any) -> None:
        self.result = result
        if not self.detached:
            if self.op.done:
                self.op.done(result)
            self.done.emit(result)
        self._end()

    @Slot(object)
    def _on_raised(self, exc_info: Any) -> None:
        self.error = exc_info[1]
        if isinstance(self.error, Cancelled):
            self._say_cancelled(self.error)
        elif isinstance(self.error, MigregError):
            log.info("%s refused: %s", self.op.name, self.error.msgid)
            self._say_failed(self.error.message())
        else:  # a bug: the crash report first (a modal dialog), then the widget leaves its busy state
            from migreg_desktop.i18n import _

            self.runner.crash(*exc_info)
            self._say_failed(_("Unexpected error") + f": {self.error}")
        self._end()

    def _say_cancelled(self, exc: Cancelled) -> None:
        if self.detached:
            return
        if self.op.cancelled:
            self.op.cancelled()
        elif self.op.failed:
            self.op.failed(exc.message())
        self.cancelled.emit()

    def _say_failed(self, message: str) -> None:
        if self.detached:
            return
        if self.op.failed:
            self.op.failed(message)
        self.failed.emit(message)

    def _end(self) -> None:
        if not self.detached:
            if self.op.ended:
                self.op.ended()
            self.ended.emit()
        self.runner._forget(self)


class OperationRunner(QObject):
    """The window's jobs: start them, know which run, stop them all when the window closes."""

    started = Signal(object)  # a Task
    idle = Signal()  # the last running job ended

    def __init__(self, parent: QObject | None = None, *, crash: CrashHandler | None = None) -> None:
        super().__init__(parent)
        self.crash: CrashHandler = crash or _excepthook
        self.tasks: list[Task] = []  # submitted and not yet ended
        self.waiting: dict[str, list[Task]] = {}  # per queue: the running task first, then those waiting

    def run(self, fn: JobFn, *, done: Callable[[Any], None] | None = None,
            failed: Callable[[str], None] | None = None, progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], None] | None = None, ended: Callable[[], None] | None = None,
            name: str = "job", queue: str | None = None) -> Task:
        return self.submit(Op(fn, done, failed, progress, cancelled, ended, name, queue))

    def submit(self, op: Op) -> Task:
        """Connect first, then start: a quick job cannot finish before anyone listens."""
        task = Task(op, self)
        self.tasks.append(task)
        _ALIVE.add(task)
        line = self.waiting.setdefault(op.queue, []) if op.queue else [task]
        if op.queue:
            line.append(task)
        if line[0] is task:
            self._start(task)
        return task

    def _start(self, task: Task) -> None:
        task.launched = True
        self.started.emit(task)
        _pool().start(task.worker)

    def running(self) -> list[Task]:
        return [t for t in self.tasks if t.is_running()]

    def cancel_all(self) -> None:
        for task in self.tasks:
            task.cancel()

    def shutdown(self, timeout_s: float = SHUTDOWN_S) -> bool:
        """The window closes: ask every job to stop and wait at most ``timeout_s`` in all.
        True if none is left running; a job still running is abandoned to finish alone (its
        outcome is no longer reported to widgets that are gone)."""
        self.cancel_all()
        for task in [t for t in self.tasks if not t.launched]:  # never started: nothing to wait for
            task._finished.set()
            self.tasks.remove(task)
            _ALIVE.discard(task)
        self.waiting.clear()
        deadline = time.monotonic() + timeout_s
        left = [t for t in list(self.tasks) if not t.wait(deadline - time.monotonic())]
        for task in self.tasks:
            task.detached = True
        for task in left:
            log.warning("%s still running after Cancel; left to finish on its own", task.op.name)
        return not left

    def _forget(self, task: Task) -> None:
        line = self.waiting.get(task.op.queue or "", [])
        if task in line:
            line.remove(task)
            if line:
                self._start(line[0])
        if task in self.tasks:
            self.tasks.remove(task)
            if not self.tasks:
                self.idle.emit()
