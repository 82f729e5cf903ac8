"""Re-checking eligibility after the reference data changed (e.g. a new settlement list): two jobs
on the window's one runner (ui/operations.py), different on purpose:

- ``recheck_all`` ("Re-check all cases" of ``RecheckBar``): every case in one transaction, so a
  cancel rolls the whole run back; nothing is half-written.
- ``recheck_open`` (``AutoRecheck``, by itself after each change, issue 4 §2): the open cases in
  short committed batches, so a clerk saving a case meanwhile waits a moment, never seconds; a
  cancel keeps the batches already stored (each stands alone).

The core is services.eligibility (``check_many``, ``recheck_open_cases``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from migreg_desktop.eligibility import eligibility
from migreg_desktop.i18n import _
from migreg_desktop.storage.unit_of_work import UnitOfWork
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import JobFn, Task


def recheck_all(uow: UnitOfWork) -> JobFn:
    def work(progress: Any, is_cancelled: Any) -> dict[str, int]:
        with uow.session() as s:  # one transaction: Cancel rolls it all back
            return eligibility.check_many(session=s, trigger="refdata_changed", progress=progress,
                                          cancelled=is_cancelled)

    return work


def recheck_open(uow: UnitOfWork) -> JobFn:
    def work(progress: Any, is_cancelled: Any) -> dict[str, int]:
        return eligibility.recheck_open_counts(uow.session, progress=progress, cancelled=is_cancelled)

    return work


class RecheckBar(QWidget):
    """A button, a progress bar and Cancel: re-check all cases without freezing the window."""

    done = Signal(object)  # counts, or None when cancelled (on the GUI thread)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
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

    def start(self) -> Task:
        self._idle(False)
        self.bar.setValue(0)
        self.status.setText("")
        self.task = self.ctx.ops.run(recheck_all(self.ctx.work.for_actor(self.ctx.actor)), done=self._on_finished,
                                     failed=self._on_failed, cancelled=lambda: self._on_finished(None),
                                     progress=self._on_progress, name="re-check all")
        return self.task

    def cancel(self) -> None:
        if self.task:
            self.task.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _on_finished(self, counts: dict[str, int] | None) -> None:
        self._idle(True)
        self.done.emit(counts)
        if counts is None:
            self.status.setText(_("Cancelled: nothing was stored."))
        else:
            self.status.setText(_("{checked} cases checked: {eligible} eligible, {needs_check} to check, "
                                  "{not_eligible} not eligible").format(**counts) + ". "
                                + _("{changed} of them changed and were stored").format(**counts))

    def _on_failed(self, message: str) -> None:
        self._idle(True)
        self.status.setText(message)

    def retranslate_ui(self) -> None:
        self.start_button.setText(_("Re-check all cases"))
        self.cancel_button.setText(_("Cancel"))


class AutoRecheck(QObject):
    """Issue 4 §2: when the reference data change (a settlement list, quotas, a reference
    package), every open case is re-checked in the background, in short batches so the clerk
    keeps working. Changes in quick succession are gathered into one run."""

    finished = Signal(int)  # cases checked (``changed``: how many of them got a new decision)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, delay_ms: int = 1500) -> None:
        super().__init__(parent)
        self.ctx, self.running, self.again, self.checked, self.changed = ctx, False, False, 0, 0
        self.task: Task | None = None
        self.timer = QTimer(self, singleShot=True, interval=delay_ms)
        self.timer.timeout.connect(self.start)
        ctx.hub.refdataChanged.connect(self.schedule)  # a slot of ours: gone with us

    def schedule(self, *_args: object) -> None:
        self.timer.start()

    def start(self) -> None:
        if self.running:  # another change came during a run: one more run afterwards
            self.again = True
            return
        self.running, self.checked, self.changed = True, 0, 0
        self.task = self.ctx.ops.run(recheck_open(self.ctx.work.for_actor(self.ctx.actor)), done=self._store,
                                     ended=self._ended, name="automatic re-check")

    def _store(self, counts: dict[str, int] | None) -> None:
        self.checked, self.changed = int((counts or {}).get("checked", 0)), int((counts or {}).get("changed", 0))

    def _ended(self) -> None:  # a failure counts as nothing checked; the runner logged or reported it
        self.running = False
        self.finished.emit(self.checked)
        if self.again:
            self.again = False
            self.timer.start()
