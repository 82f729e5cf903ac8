"""The Backups page (issue 7 §3–4, admin): the backups kept, back up now or to a file (optionally
with a passphrase), restore one, check the database. Copies, restores and checks run on the
window's operation runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop import paths
from migreg_desktop.i18n import N_, _, fmt_datetime, fmt_number
from migreg_desktop.storage import backup, integrity
from migreg_desktop.storage.restore import restore_backup
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import JobFn, Task, stop_at_progress
from migreg_desktop.ui.registry import PageSpec, register_page

HEADERS = (N_("Made"), N_("Kind"), N_("Size, KB"), N_("Encrypted"), N_("File"))
KINDS = {"daily": N_("end of day"), "manual": N_("by hand"), "pre-upgrade": N_("before an upgrade"),
         "pre-import": N_("before an import"), "before-restore": N_("before a restore")}


class BackupsPage(QWidget):
    restored = Signal(object)  # the restore report: app.py asks for the login again
    jobDone = Signal(object)  # a background backup or check ended (its result or exception)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsPage")
        self.ctx = ctx
        self.task: Task | None = None
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.now_button, self.file_button, self.restore_button, self.check_button, self.cancel_button = (
            QPushButton(self) for _i in range(5))
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.cancel_button.hide()
        self.note, self.status = QLabel(self), QLabel(self)
        self.note.setWordWrap(True)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.now_button, self.file_button, self.restore_button, self.check_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.now_button.clicked.connect(lambda: self.backup_to(None))
        self.file_button.clicked.connect(self.ask_backup_to_file)
        self.restore_button.clicked.connect(self.ask_restore)
        self.check_button.clicked.connect(self.check_database)
        self.cancel_button.clicked.connect(lambda: self.task and self.task.cancel())
        ctx.hub.languageChanged.connect(self._language_changed)
        self.retranslate_ui()

    def is_admin(self) -> bool:
        return self.ctx.may("backup.create")

    def reload(self) -> None:
        admin = self.is_admin()
        rows = backup.list_backups() if admin else []
        self.table.setRowCount(len(rows))
        for r, b in enumerate(rows):
            texts = (fmt_datetime(b.created_at.astimezone()), _(KINDS.get(b.kind, b.kind)),
                     fmt_number(max(1, b.size // 1024)), _("yes") if b.encrypted else "", b.path.name)
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(0x0100, str(b.path))  # Qt.UserRole
                self.table.setItem(r, c, item)
        for w in (self.table, self.now_button, self.file_button):
            w.setEnabled(admin)
        self.restore_button.setEnabled(self.ctx.may("backup.restore"))
        self.check_button.setEnabled(True)  # like `migreg doctor`: any account (it only reads)
        s = self.ctx.settings
        self.note.setText(_("Backups are made at the end of each working day, before every upgrade "
                            "and import. Kept: {d} daily, {w} weekly, {m} monthly. Folder: {path}").format(
            d=s.get("backup_keep_daily"), w=s.get("backup_keep_weekly"),
            m=s.get("backup_keep_monthly"), path=paths.backups_dir()) if admin else
            _("Only the admin makes and restores backups."))

    def selected_file(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return Path(item.data(0x0100)) if item is not None else None

    # ---- background work (the window's operation runner) ------------------------------------

    def _run(self, fn: JobFn, done: Any, name: str, cancellable: bool = True) -> Task:
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setVisible(cancellable)

        def finished(result: Any) -> None:
            done(result)
            self.jobDone.emit(result)

        self.task = self.ctx.ops.run(fn, done=finished, failed=self._failed, progress=self._progress,
                                     cancelled=self._cancelled, ended=self._idle, name=name)
        return self.task

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def _cancelled(self) -> None:
        self.status.setText(_("Cancelled; nothing was written."))
        self.jobDone.emit(self.task.error if self.task else None)

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.jobDone.emit(self.task.error if self.task else None)

    def backup_to(self, out: Path | None, passphrase: str | None = None) -> Task:
        settings = self.ctx.settings
        actor = self.ctx.actor

        def work(progress: Any, is_cancelled: Any) -> backup.BackupFile:
            made = backup.create_backup(out, passphrase=passphrase, progress=stop_at_progress(progress, is_cancelled),
                                        pages=1024, actor=actor)
            if out is None:
                backup.rotate(settings)
            return made

        return self._run(work, self._backed_up, "backup")

    def _backed_up(self, made: backup.BackupFile) -> None:
        if made.path.parent != paths.backups_dir():
            with self.ctx.session() as s:
                backup.audit_copy(made, session=s)
        self.status.setText(_("Backup written to {path}").format(path=made.path))
        self.reload()

    def check_database(self) -> Task:
        return self._run(lambda progress, is_cancelled: integrity.check_database(
            progress=stop_at_progress(progress, is_cancelled)), self._checked, "database check")

    def _checked(self, report: dict[str, Any]) -> None:
        if report["ok"]:
            self.status.setText(_("The database is healthy."))
        elif report["damaged"]:
            self.status.setText(_(integrity.DAMAGED))
        else:
            self.status.setText(_("Problems found: {problems}").format(problems="; ".join(
                report["integrity_check"][:3] + [f"{v['table']} #{v['rowid']}" for v in
                                                 report["foreign_key_violations"][:3]]
                + ([_("audit trail")] if report["audit"] and not report["audit"]["ok"] else []))))

    # ---- dialogs ----------------------------------------------------------------------------

    def ask_backup_to_file(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Back up to a file"), "migreg-backup.mgbak")
        if not name:
            return
        phrase, ok = QInputDialog.getText(self, _("Passphrase"), _("Passphrase to encrypt the copy "
                                          "(empty: not encrypted):"), QLineEdit.EchoMode.Password)
        if ok:
            self.backup_to(Path(name), phrase or None)

    def ask_restore(self) -> None:
        path = self.selected_file()
        if path is None:
            name, _f = QFileDialog.getOpenFileName(self, _("Restore a backup"))
            path = Path(name) if name else None
        if path is None:
            return
        answer = QMessageBox.question(self, _("Restore a backup"), _(
            "Replace the database with {file}? The current database is kept aside; everyone "
            "signs in again.").format(file=path.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        phrase = None
        if backup.is_encrypted(path):
            phrase, ok = QInputDialog.getText(self, _("Passphrase"), _("Passphrase of the backup:"),
                                              QLineEdit.EchoMode.Password)
            if not ok:
                return
        self.restore_from(path, phrase)

    def restore_from(self, path: Path, passphrase: str | None = None) -> Task:
        """Off the GUI thread; the window stays disabled until the restored database is in place
        (nothing of ours may touch the file meanwhile). ``restored`` fires with the report."""
        self.ctx.engine.dispose()  # nothing of ours may hold the old file open
        actor = self.ctx.actor
        self.window().setEnabled(False)
        task = self._run(lambda _progress, _is_cancelled: restore_backup(path, passphrase=passphrase, actor=actor),
                         lambda result: self._restored(path, result), "restore", cancellable=False)
        task.ended.connect(lambda: self.window().setEnabled(True))
        return task

    def _restored(self, path: Path, result: dict[str, Any]) -> None:
        self.window().setEnabled(True)
        self.ctx.engine.dispose()
        self.status.setText(_("Restored {file}; the previous database is kept in {aside}").format(
            file=path.name, aside=result["aside"] or "-"))
        self.ctx.hub.casesReset.emit()
        self.restored.emit(result)
        self.reload()
        self.ctx.hub.signInAgain.emit()  # the restored database has its own accounts and passwords

    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.now_button.setText(_("Back up now"))
        self.file_button.setText(_("Back up to a file…"))
        self.restore_button.setText(_("Restore…"))
        self.check_button.setText(_("Check the database"))
        self.cancel_button.setText(_("Cancel"))
        self.reload()


register_page(PageSpec(key="backups", title=N_("Backups"), order=900, factory=BackupsPage, action="backup.create"))
