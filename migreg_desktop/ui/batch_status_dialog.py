"""Change the status of the selected cases (issue 15): the target status and a comment, run as one
operation on the window's runner with progress and Cancel; the result in the clerk's language,
with Undo (a new audited operation, refused if a case changed since). The core is
``eligibility.batch_status``; this dialog only asks and reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from migreg_desktop.cases import selection
from migreg_desktop.cases.status import STATUSES, status_label
from migreg_desktop.eligibility import batch_status
from migreg_desktop.i18n import _, fmt_number, ngettext
from migreg_desktop.ui import window_size
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.job_dialog import JobDialog
from migreg_desktop.ui.operations import Task

FORWARD = {"draft": "submitted", "submitted": "forwarded", "forwarded": "included", "included": "moved",
           "moved": "closed"}
SKIPPED_SHOWN = 200  # the list of refused cases is for reading, not a report


class BatchStatusDialog(JobDialog):
    """``changed`` carries the core's result after a change, ``undone`` after its undo."""

    changed = Signal(object)
    undone = Signal(object)

    def __init__(self, ctx: AppContext, case_ids: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_ids = ctx, list(case_ids)
        self.outcome: dict[str, Any] | None = None
        with ctx.session() as s:
            self.counts = selection.status_counts(self.case_ids, db=s)
        self._build()
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self._language_changed)  # bound: dropped with the dialog

    def _build(self) -> None:
        self.summary, self.status_label_, self.comment_label = QLabel(), QLabel(), QLabel()
        self.summary.setWordWrap(True)
        self.target = QComboBox()
        for code in STATUSES:
            self.target.addItem("", code)
        self.target.setCurrentIndex(self._likely_target())
        self.comment = QLineEdit()
        self.comment.setMaxLength(500)
        self.status_label_.setBuddy(self.target)
        self.comment_label.setBuddy(self.comment)
        self.skip = QCheckBox()
        self.progress, self.message = QProgressBar(), QLabel()
        self.progress.setVisible(False)
        self.message.setWordWrap(True)
        self.skipped = QPlainTextEdit()
        self.skipped.setReadOnly(True)
        self.skipped.setVisible(False)
        self.run_button, self.undo_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.run_button.setDefault(True)
        self.undo_button.setVisible(False)
        self.run_button.clicked.connect(self.start)
        self.undo_button.clicked.connect(self.undo)
        self.close_button.clicked.connect(self._close_or_cancel)
        self.layout_job(self.summary, [(self.status_label_, self.target), (self.comment_label, self.comment)],
                          [self.skip, self.progress, self.message, self.skipped],
                          [self.run_button, self.undo_button, self.close_button])
        window_size.fit(self, QSize(560, 340))

    def _likely_target(self) -> int:
        """The next step forward of the most common current status (draft → submitted …)."""
        common = max(self.counts, key=lambda s: self.counts[s]) if self.counts else "draft"
        return STATUSES.index(FORWARD.get(common, "submitted"))

    # ---- running -----------------------------------------------------------------------------
    def to_status(self) -> str:
        return str(self.target.currentData())

    def start(self) -> Task:
        ids, to, comment = self.case_ids, self.to_status(), self.comment.text().strip() or None
        skip, uow = self.skip.isChecked(), self.ctx.work.for_actor(self.ctx.actor)  # the job reads no widget

        def work(progress: Any, is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                return batch_status.change_many(ids, to, comment, session=s, progress=progress,
                                                cancelled=is_cancelled, skip_refused=skip)

        return self._run(work, self._changed, "batch status")

    def undo(self) -> Task | None:
        if not self.outcome or not self.outcome.get("operation"):
            return None
        operation, uow = str(self.outcome["operation"]), self.ctx.work.for_actor(self.ctx.actor)

        def work(progress: Any, is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                return batch_status.undo(operation, session=s, progress=progress, cancelled=is_cancelled)

        return self._run(work, self._undone, "batch status undo")

    def _run(self, work: Any, done: Callable[[Any], None], name: str) -> Task:
        self._busy(True)
        self._say(lambda: "")
        self.task = self.ctx.ops.run(work, done=done, failed=lambda m: self._say(lambda: m),
                                     cancelled=lambda: self._say(lambda: _("Cancelled; nothing was changed.")),
                                     progress=self._progressed, ended=lambda: self._busy(False), name=name)
        return self.task

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)  # until the first progress arrives
        for w in (self.target, self.comment, self.skip, self.run_button, self.undo_button):
            w.setEnabled(not busy)
        self.close_button.setText(_("Cancel") if busy else _("Close"))

    def _changed(self, result: dict[str, Any]) -> None:
        self.outcome = result
        self.undo_button.setVisible(bool(result.get("operation")))
        self.run_button.setVisible(False)  # one operation per dialog: its undo stays unambiguous
        self._say(lambda: self._changed_text(result))
        self._show_skipped(result.get("skipped") or [])
        self._recount()
        self.changed.emit(result)

    def _changed_text(self, result: dict[str, Any]) -> str:
        n, status = result["changed"], status_label(result["status"])
        text = ngettext("{n} case now has the status «{status}».", "{n} cases now have the status «{status}».",
                        n).format(n=fmt_number(n), status=status)
        skipped = len(result.get("skipped") or [])
        if skipped:
            text += " " + ngettext("{n} case was not changed:", "{n} cases were not changed:",
                                   skipped).format(n=fmt_number(skipped))
        return text

    def _show_skipped(self, skipped: list[dict[str, str]]) -> None:
        lines = [f"{s['case']}: {s['reason']}" for s in skipped[:SKIPPED_SHOWN]]
        self.skipped.setPlainText("\n".join(lines))
        self.skipped.setVisible(bool(lines))

    def _undone(self, result: dict[str, Any]) -> None:
        self.undo_button.setVisible(False)
        self.skipped.setVisible(False)
        n = result["undone"]
        self._say(lambda: ngettext("Undone: {n} case has its previous status again.",
                                   "Undone: {n} cases have their previous status again.", n).format(n=fmt_number(n)))
        self._recount()
        self.undone.emit(result)

    def _recount(self) -> None:
        """The summary says the cases' statuses as they are now."""
        with self.ctx.session() as s:
            self.counts = selection.status_counts(self.case_ids, db=s)
        self.retranslate_ui()




    # ---- language --------------------------------------------------------------------------------
    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        n = len(self.case_ids)
        self.setWindowTitle(ngettext("Change the status of {n} case", "Change the status of {n} cases",
                                     n).format(n=fmt_number(n)))
        now = ", ".join(f"{status_label(s)}: {fmt_number(c)}" for s, c in
                        sorted(self.counts.items(), key=lambda kv: STATUSES.index(kv[0]) if kv[0] in STATUSES else 99))
        self.summary.setText(ngettext("{n} case selected. Their status now: {now}.",
                                      "{n} cases selected. Their status now: {now}.", n)
                             .format(n=fmt_number(n), now=now))
        self.status_label_.setText(_("New &status:"))
        self.comment_label.setText(_("&Comment:"))
        self.comment.setPlaceholderText(_("Written into each case's status history"))
        for i in range(self.target.count()):
            self.target.setItemText(i, status_label(str(self.target.itemData(i))))
        self.skip.setText(_("S&kip the cases that cannot change"))
        self.skip.setToolTip(_("Otherwise one refusal changes none of the cases"))
        self.run_button.setText(_("C&hange status"))
        self.undo_button.setText(_("&Undo"))
        self.close_button.setText(_("Cancel") if self.task is not None else _("Close"))
        self.message.setText(self._message())
