"""Status of a case: change it with a comment (allowed transitions only) and see its history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.cases.status import TRANSITIONS
from migreg_desktop.eligibility import case_status
from migreg_desktop.errors import RuleRefused, UserError
from migreg_desktop.i18n import _, fmt_datetime, pgettext
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.forms import ErrorLabel, local_time
from migreg_desktop.ui.quota_place import QuotaPlaceBox
from migreg_desktop.vocabulary import STATUS_LABELS


def _ask(parent: QWidget, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def status_text(code: str | None) -> str:
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else (code or "—")


class StatusBox(QWidget):
    statusChanged = Signal(str)  # the new status

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.status: str | None = None
        self._history: list[dict[str, Any]] = []
        self.refusal: UserError | RuleRefused | None = None
        self.ask = _ask  # tests replace it
        self.current = QLabel(self)
        self.current.setObjectName("currentStatus")
        self.target = QComboBox(self)
        self.target.setObjectName("statusTarget")
        self.comment = QLineEdit(self)
        self.comment.setObjectName("statusComment")
        self.apply_button = QPushButton(self)
        self.apply_button.clicked.connect(self.apply)
        self.comment.returnPressed.connect(self.apply)
        self.error = ErrorLabel(self)
        self.error.setObjectName("error:status")
        self.history = QTreeWidget(self)
        self.history.setRootIsDecorated(False)
        self.history.setObjectName("statusHistory")
        self.form = QFormLayout()
        self.current_caption, self.target_caption, self.comment_caption = QLabel(self), QLabel(self), QLabel(self)
        self.target_caption.setBuddy(self.target)
        self.comment_caption.setBuddy(self.comment)
        self.form.addRow(self.current_caption, self.current)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(self.apply_button)
        self.form.addRow(self.target_caption, row)
        self.form.addRow(self.comment_caption, self.comment)
        self.quota = QuotaPlaceBox(ctx, self)  # "included" takes a place: the two sit together
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.quota)
        layout.addWidget(self.history, 1)
        self.setTabOrder(self.target, self.comment)
        self.setTabOrder(self.comment, self.apply_button)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.current_caption.setText(_("Current status:"))
        self.target_caption.setText(_("Change &to:"))
        self.comment_caption.setText(_("Co&mment:"))
        self.apply_button.setText(_("C&hange status"))
        self.comment.setPlaceholderText(_("Why the status changes (reason of refusal, date sent…)"))
        self.quota.retranslate_ui()
        self.history.setHeaderLabels([_("When"), pgettext("status", "From"), pgettext("status", "To"), _("By"), _("Comment")])
        self._show()

    def load(self, case_id: str | None, status: str | None, history: list[dict[str, Any]]) -> None:
        self.case_id, self.status, self._history = case_id, status, history
        self.refusal = None
        self.quota.load(case_id, status)
        self._show()

    def _show(self) -> None:
        self.error.show_messages([self.refusal.message()] if self.refusal else [])
        self.current.setText(f"<b>{status_text(self.status)}</b>" if self.case_id else _("not saved yet"))
        self.target.clear()
        for code in sorted(TRANSITIONS.get(self.status or "", ()), key=list(STATUS_LABELS).index):
            self.target.addItem(status_text(code), code)
        enabled = bool(self.case_id) and self.target.count() > 0 and self.ctx.may("case.status")
        for w in (self.target, self.comment, self.apply_button):
            w.setEnabled(enabled)
        self.history.clear()
        for h in self._history:
            when = local_time(h.get("at"))
            item = QTreeWidgetItem([fmt_datetime(when), status_text(h["from"]) if h["from"] else "",
                                    status_text(h["to"]), h.get("by") or "", h.get("comment") or ""])
            self.history.addTopLevelItem(item)
        for col in range(4):
            self.history.resizeColumnToContents(col)

    def apply(self) -> bool:
        """Change the status in its own transaction (the rule lives in services.cases)."""
        to_status = self.target.currentData()
        if not self.case_id or not to_status:
            return False
        comment = self.comment.text().strip() or None
        if not TRANSITIONS.get(to_status) and not self.ask(
                self, _("Final status"),
                _("After «{status}» the case cannot change any more. Continue?").format(status=status_text(to_status))):
            return False  # refused / closed / withdrawn are final (services/status.py TRANSITIONS)
        try:
            with self.ctx.session() as s:
                case_status.change_status(self.case_id, to_status, comment, session=s)
        except (UserError, RuleRefused) as exc:  # RuleRefused: "included" found no quota place
            self.refusal = exc  # kept whole: said again in a new language (retranslate_ui → _show)
            self.error.show_messages([exc.message()])
            return False
        self.comment.clear()
        self.refusal = None
        self.error.show_messages([])
        self.statusChanged.emit(to_status)
        return True
