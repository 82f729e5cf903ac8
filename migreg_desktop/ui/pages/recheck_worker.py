"""Re-check every case in a QThreadPool worker, with progress and cancel (after reference data
changed, e.g. a new settlement list). The core function is services.eligibility.check_many.
``AutoRecheck`` does it by itself for the open cases whenever the reference data change."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...db import session_scope
from ...i18n import _
from ...services import eligibility
from ..context import AppContext


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # counts dict, or None when cancelled
    failed = Signal(str)


class RecheckJob(QRunnable):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.signals = _Signals()
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            with session_scope(self.ctx.engine, actor=self.ctx.actor) as s:
                counts = eligibility.check_many(session=s, trigger="refdata_changed",
                                                progress=self.signals.progress.emit,
                                                cancelled=self.cancel_event.is_set)
            self.signals.finished.emit(counts)
        except eligibility.Cancelled:
            self.signals.finished.emit(None)  # rolled back: nothing half-written
        except Exception as exc:  # shown to the clerk; the data is left intact
            self.signals.failed.emit(str(exc))


class RecheckBar(QWidget):
    """A button, a progress bar and Cancel: re-check all cases without freezing the window."""

    done = Signal(object)  # counts, or None when cancelled (on the GUI thread)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: RecheckJob | None = None
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.bar = QProgressBar()
        self.status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.start_button, self.bar, self.cancel_button, self.status):
            layout.addWidget(w)
        layout.addStretch(1)
        self._idle(True)
        self.retranslate_ui()

    def _idle(self, idle: bool) -> None:
        self.start_button.setEnabled(idle)
        self.cancel_button.setVisible(not idle)
        self.bar.setVisible(not idle)

    def start(self) -> RecheckJob:
        self.job = RecheckJob(self.ctx)
        self.job.signals.progress.connect(self._on_progress)
        self.job.signals.finished.connect(self._on_finished)
        self.job.signals.failed.connect(self._on_failed)
        self._idle(False)
        self.bar.setValue(0)
        self.status.setText("")
        QThreadPool.globalInstance().start(self.job)
        return self.job

    def cancel(self) -> None:
        if self.job:
            self.job.cancel_event.set()

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _on_finished(self, counts: object) -> None:
        self._idle(True)
        self.done.emit(counts)
        if counts is None:
            self.status.setText(_("Cancelled: nothing was stored."))
        else:
            self.status.setText(_("{checked} cases checked: {eligible} eligible, {needs_check} to check, "
                                  "{not_eligible} not eligible").format(**counts))  # type: ignore[arg-type]

    def _on_failed(self, message: str) -> None:
        self._idle(True)
        self.status.setText(message)

    def retranslate_ui(self) -> None:
        self.start_button.setText(_("Re-check all cases"))
        self.cancel_button.setText(_("Cancel"))


class _AutoJob(QRunnable):
    def __init__(self, ctx: AppContext, signals: _Signals) -> None:
        super().__init__()
        self.ctx, self.signals = ctx, signals

    def run(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        try:
            checked = eligibility.recheck_open_cases(lambda: session_scope(engine, actor=actor),
                                                     progress=self.signals.progress.emit)
            self.signals.finished.emit(checked)
        except Exception as exc:  # logged and shown; each stored batch stands on its own
            self.signals.failed.emit(str(exc))


class AutoRecheck(QObject):
    """Issue 4 §2: when the reference data change (a settlement list, quotas, a reference
    package), every open case is re-checked in the background, in short batches so the clerk
    keeps working. Changes in quick succession are gathered into one run."""

    finished = Signal(int)  # cases checked

    def __init__(self, ctx: AppContext, parent: QObject | None = None, delay_ms: int = 1500) -> None:
        super().__init__(parent)
        self.ctx, self.running, self.again = ctx, False, False
        self.signals = _Signals()
        self.signals.finished.connect(self._done)
        self.signals.failed.connect(lambda _text: self._done(0))
        self.timer = QTimer(self, singleShot=True, interval=delay_ms)
        self.timer.timeout.connect(self.start)
        ctx.hub.refdataChanged.connect(self.schedule)  # a slot of ours: gone with us

    def schedule(self, *_args: object) -> None:
        self.timer.start()

    def start(self) -> None:
        if self.running:  # another change came during a run: one more run afterwards
            self.again = True
            return
        self.running = True
        QThreadPool.globalInstance().start(_AutoJob(self.ctx, self.signals))

    def _done(self, checked: object) -> None:
        self.running = False
        self.finished.emit(int(checked or 0))  # type: ignore[call-overload]
        if self.again:
            self.again = False
            self.timer.start()
