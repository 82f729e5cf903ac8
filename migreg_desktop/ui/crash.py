"""Anything not foreseen is a bug: log it, show a copyable report, keep the data (Conventions §5).

Every write runs in its own transaction (ctx.session()), so an exception rolls back only the
unfinished unit of work; nothing is saved half-way.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop import __version__, paths
from migreg_desktop.i18n import _

log = logging.getLogger("migreg_desktop")


def report_text(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    head = (f"migreg-desktop {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"{datetime.now(UTC).isoformat(timespec='seconds')}\n\n")
    from migreg_desktop.storage.privacy import redact_report

    return head + redact_report("".join(lines))  # shown, copied and logged: no personal data


def write_log(text: str) -> Path | None:
    try:
        path = paths.log_dir() / "crash.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n" + "-" * 72 + "\n")
        return path
    except OSError:
        return None


class CrashDialog(QDialog):
    def __init__(self, text: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(_("Unexpected error"))
        intro = QLabel(_("Something went wrong in the program. Your saved cases are safe; the last "
                         "unsaved change may be lost. Please send this report to the administrator."), self)
        intro.setWordWrap(True)
        where = QLabel(_("The report is also in {path}").format(path=log_path) if log_path else "", self)
        self.report = QPlainTextEdit(text, self)
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(_("Copy report"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(text))
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        layout = QVBoxLayout(self)
        for w in (intro, where, self.report, buttons):
            layout.addWidget(w)
        self.resize(720, 420)


_showing = False


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    global _showing
    text = report_text(exc_type, exc, tb)
    log.error("uncaught exception\n%s", text)
    path = write_log(text)
    if _showing or QApplication.instance() is None:
        sys.stderr.write(text)
        return
    _showing = True  # one dialog at a time: a paint loop that fails must not stack dialogs
    try:
        CrashDialog(text, path, QApplication.activeWindow()).exec()
    finally:
        _showing = False


def install() -> None:
    sys.excepthook = handle_exception
