"""The import wizard: choose a file → verification and dry-run preview → apply, each step a
background job with progress and cancel (the core function takes progress and cancel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.i18n import N_, _, current_language, fmt_number, ngettext, tr
from migreg_desktop.sync import audit_witness, jobs, refchanges
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.sync_common import STATUS_LABELS, RowsModel, type_label

OUTCOME_COLUMNS = [("type", N_("Records")), ("applied", N_("New or changed")), ("unchanged", N_("Unchanged")),
                   ("conflicts", N_("To review")), ("deleted", N_("Removed")),
                   ("refused", N_("Refused: another office's"))]
# A reference package: each dataset, its versions and what changed (issue 15, sync/refchanges.py).
REFDATA_COLUMNS = [("dataset", N_("Reference data")), ("versions", N_("Version")), ("what", N_("What changed"))]


class ImportWizard(QDialog):
    """Steps: 1 choose, 2 check (verify + dry run), 3 apply. ``imported`` fires after an apply."""

    imported = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: dict[str, Any] | None = None
        self.task: Task | None = None
        self.path_edit = QLineEdit()
        self.browse_btn = QPushButton()
        self.browse_btn.clicked.connect(self._browse)
        self.step_label, self.result_label = QLabel(), QLabel()
        self.result_label.setWordWrap(True)
        self.table = QTableView()
        self.model = RowsModel(OUTCOME_COLUMNS, self)
        self.ref_model = RowsModel(REFDATA_COLUMNS, self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.bar = QProgressBar()
        self.check_btn, self.apply_btn, self.cancel_btn, self.close_btn = (QPushButton() for _i in range(4))
        self.check_btn.clicked.connect(self.check)
        self.apply_btn.clicked.connect(self.apply)
        self.cancel_btn.clicked.connect(self._cancel)
        self.close_btn.clicked.connect(self.reject)
        self._layout()
        self._set_busy(False)
        self.apply_btn.setEnabled(False)
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self.retranslate_ui)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.browse_btn)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.check_btn, self.apply_btn, self.cancel_btn, self.close_btn):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addLayout(top)
        layout.addWidget(self.result_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.resize(720, 420)

    def retranslate_ui(self, *_args: Any) -> None:
        self.setWindowTitle(_("Import a package"))
        self.step_label.setText(_("1. Choose the package file  2. Check it  3. Apply"))
        self.path_edit.setPlaceholderText(_("Package file (.migreg)"))
        self.browse_btn.setText(_("Choose…"))
        self.check_btn.setText(_("Check"))
        self.apply_btn.setText(_("Apply"))
        self.cancel_btn.setText(_("Cancel"))
        self.close_btn.setText(_("Close"))
        self.model.retranslate()
        self.ref_model.retranslate()
        if self.preview is not None:
            self._show(self.preview)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Import a package"), "", _("Packages (*.migreg)"))
        if name:
            self.path_edit.setText(name)

    def _path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def _set_busy(self, busy: bool) -> None:
        for b in (self.check_btn, self.browse_btn, self.close_btn):
            b.setEnabled(not busy)
        self.apply_btn.setEnabled(False)
        self.cancel_btn.setEnabled(busy)
        self.bar.setVisible(busy)

    def _start(self, dry_run: bool) -> None:
        path, uow = self._path(), self.ctx.work.for_actor(self.ctx.actor)
        self._set_busy(True)
        self.bar.setRange(0, 0)
        # The sync core checks is_cancelled between batches and rolls back with its own answer.
        self.task = self.ctx.ops.run(lambda progress, is_cancelled: jobs.run_import(
            uow, path, dry_run=dry_run, progress=progress, cancel=is_cancelled),
            done=lambda doc: self._done(doc, dry_run), failed=self._failed, progress=self._progress,
            name="package check" if dry_run else "package import")

    def check(self) -> None:
        """Verify the file and run the import without keeping it (dry run)."""
        self._start(dry_run=True)

    def apply(self) -> None:
        self._start(dry_run=False)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.result_label.setText(_("Rejected") + ": " + message)

    def _done(self, doc: dict[str, Any], dry_run: bool) -> None:
        self._set_busy(False)
        self.preview = doc
        self._show(doc)
        self.apply_btn.setEnabled(dry_run and doc["status"] == "applied")
        if not dry_run and doc["status"] == "applied":
            self.imported.emit(doc)

    def _show(self, doc: dict[str, Any]) -> None:
        status = _(STATUS_LABELS.get(doc["status"], doc["status"]))
        if doc.get("dry_run") and doc["status"] == "applied":
            status = _("Verified: signature, sender and content are valid. Nothing is changed until you apply.")
        head = _("From {sender}, package {sequence}").format(sender=doc.get("sender") or "—",
                                                             sequence=doc.get("sequence") or "—")
        reason = f"\n{doc['reason']}" if doc.get("reason") else ""
        conflicts = doc.get("conflicts") or 0
        extra = "\n" + _("Records to review: {n}").format(n=fmt_number(conflicts)) if conflicts else ""
        if doc.get("refused"):
            extra += "\n" + ngettext("{n} record was refused: it belongs to another office (see the audit trail).",
                                     "{n} records were refused: they belong to another office (see the audit "
                                     "trail).", doc["refused"]).format(n=doc["refused"])
        for warning in doc.get("warnings") or []:  # issue 12 §7, in the language shown now
            extra += "\n" + audit_witness.message(warning)
        self.result_label.setText(f"{head}\n{status}{reason}{extra}")
        if doc.get("kind") == "refdata":
            self._show_refdata(doc.get("refdata_changes") or [])
            return
        self._set_model(self.model)
        rows = [{"type": type_label(k), "refused": 0, **v} for k, v in (doc.get("counts") or {}).items()
                if isinstance(v, dict) and "applied" in v]
        self.model.set_rows(rows)

    def _set_model(self, model: RowsModel) -> None:
        if self.table.model() is not model:
            self.table.setModel(model)

    def _show_refdata(self, changes: list[dict[str, Any]]) -> None:
        """One row per dataset the package changes: "Settlement list · 2026.1 → 2026.1.3 · 2027: 12 added"."""
        lang = current_language()
        self._set_model(self.ref_model)
        self.ref_model.set_rows([{
            "dataset": refchanges.title(c["dataset"], lang),
            "versions": f"{c['old']} → {c['new']}" if c.get("old") else str(c["new"]),
            "what": refchanges.years_text(c, lang) or (tr("unchanged", lang) if c.get("years") else _("new version"))}
            for c in changes])
