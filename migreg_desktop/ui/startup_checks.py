"""Start-up checks in the background (issue 7 §2, §4): integrity, foreign keys, audit chain,
stale temp files, a missed end-of-day backup; warns the admin; damaged → read-only. A database
that cannot be opened at all (newer schema, damaged file) is refused before any of this
(``refuse_to_open``, called by app.py).

app.py: ``checks = StartupChecks(ctx, window); checks.start()`` after the login; keep a
reference (e.g. ``window.startup_checks = checks``).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from migreg_desktop import paths
from migreg_desktop.errors import IntegrityError, SchemaTooNew
from migreg_desktop.i18n import _
from migreg_desktop.storage import backup, integrity
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task

HOURLY_MS = 3_600_000
log = logging.getLogger("migreg_desktop")


def _check(progress: Any, _is_cancelled: Any) -> dict[str, Any]:
    report = integrity.check_database(paths.db_path(), progress=progress)
    backup.cleanup_partials()
    if not report["damaged"]:
        made = backup.end_of_day_backup()  # a day that ended without its backup (killed, power cut)
        report["backup"] = str(made.path) if made else None
    return report


def _daily_backup(_progress: Any, _is_cancelled: Any) -> Any:
    try:
        return backup.end_of_day_backup()
    except Exception:  # like the backup on quit: logged, never a dialog every hour (a full disk)
        log.exception("end-of-day backup failed")
        return None


def refuse_to_open(exc: Exception) -> None:
    """A database we must not touch (newer schema, damaged file): say so, change nothing."""
    if isinstance(exc, SchemaTooNew):
        title = _("Database made by a newer version")
    elif isinstance(exc, IntegrityError):
        title = _("The database is damaged")
    else:
        title = _("Cannot open the database")
    text = exc.message() if hasattr(exc, "message") else str(exc)
    if isinstance(exc, IntegrityError):  # the way out: the admin restores a backup
        text += "\n\n" + _("The database cannot be read. Run 'migreg doctor' and restore a "
                            "backup with 'migreg restore FILE'.")
    log.error("cannot open database: %s", text)
    QMessageBox.critical(None, title, text + "\n\n" + _("Data folder: {path}").format(path=paths.data_dir()))


class StartupChecks(QObject):
    finished = Signal(object)  # the report (services.integrity.check_database + "backup")
    damaged = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.parent_widget = ctx, parent
        self.task: Task | None = None
        self.box: QMessageBox | None = None
        self.report: dict[str, Any] | None = None
        self.daily = QTimer(self, interval=HOURLY_MS)  # the end-of-day backup while left open
        self.daily.timeout.connect(self.daily_backup)

    def start(self) -> None:
        if integrity.is_marked_damaged():  # found damaged before: no write before the check says otherwise
            integrity.make_read_only(self.ctx.engine)
        self.task = self.ctx.ops.run(_check, done=self._done, name="start-up check", failed=lambda message: self._done(
            {"ok": False, "damaged": True, "integrity_check": [message], "audit": None}))
        self.daily.start()

    def daily_backup(self) -> Task:
        """Hourly while the window stays open; a day already backed up costs nothing."""
        return self.ctx.ops.run(_daily_backup, name="end-of-day backup")

    def _is_admin(self) -> bool:
        return self.ctx.may("backup.restore")  # the one who can restore is warned

    def _done(self, report: dict[str, Any]) -> None:
        self.report = report
        if report.get("damaged"):
            integrity.make_read_only(self.ctx.engine)
            self.damaged.emit(report)
            self._warn(_("The database is damaged"), _(integrity.DAMAGED))
        elif report.get("audit") and not report["audit"]["ok"] and self._is_admin():
            self._warn(_("The audit trail was changed"),
                       _("Entry {id} of the audit trail was edited or removed outside the program. "
                         "Check the Audit page; compare with a backup.").format(
                           id=report["audit"]["first_bad_id"]))
        self.finished.emit(report)

    def _warn(self, title: str, text: str) -> None:
        self.box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                               self.parent_widget)
        self.box.setObjectName("startupWarning")
        self.box.open()  # not modal-blocking: the window stays usable (read-only if damaged)
