"""The Audit page (issue 7 §2): who did what and when, filtered by user, person, case, date and
action; export to CSV/XLSX; check of the hash chain. Head of office and admin only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.accounts import audit_chain, audit_query
from migreg_desktop.i18n import N_, _, ngettext
from migreg_desktop.ui import theme
from migreg_desktop.ui.audit_model import AuditTableModel, Col
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.registry import PageSpec, register_page

NO_DATE = QDate(2000, 1, 1)  # the date edits' "not set" value (special text)
DELAY_MS = 300


class AuditPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.ctx = ctx
        self.model = AuditTableModel(ctx, self)
        self.task: Task | None = None
        self.stack = QStackedLayout(self)
        self.denied = QLabel(self)
        self.denied.setWordWrap(True)
        self.main = QWidget(self)
        self._build(self.main)
        self.stack.addWidget(self.main)
        self.stack.addWidget(self.denied)
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        ctx.hub.caseChanged.connect(self._case_changed)  # bound: dropped with the page
        ctx.hub.languageChanged.connect(self._language_changed)
        self.retranslate_ui()
        self.refresh_access()

    def _build(self, host: QWidget) -> None:
        self.user = QComboBox(host)
        self.user.setObjectName("user")
        self.person, self.case = QLineEdit(host), QLineEdit(host)
        self.person.setObjectName("person")
        self.case.setObjectName("case")
        self.action = QComboBox(host)
        self.action.setObjectName("action")
        self.date_from, self.date_to = self._date_edit(host, "dateFrom"), self._date_edit(host, "dateTo")
        self.export_csv, self.export_xlsx, self.verify_button = (QPushButton(host) for _i in range(3))
        self.status = QLabel(host)
        self.status.setObjectName("status")
        self.table = QTableView(host)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((Col.AT, 130), (Col.USER, 90), (Col.ACTION, 215), (Col.OBJECT, 200)):
            header.resizeSection(col, width)
        filters = QHBoxLayout()
        for w in (self.user, self.person, self.case, self.action, self.date_from, self.date_to):
            filters.addWidget(w)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.verify_button, self.export_csv, self.export_xlsx):
            buttons.addWidget(b)
        layout = QVBoxLayout(host)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for edit in (self.person, self.case):
            edit.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.user, self.action):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        for d in (self.date_from, self.date_to):
            d.dateChanged.connect(lambda _d: self._timer.start())
        self.export_csv.clicked.connect(lambda: self.ask_export("csv"))
        self.export_xlsx.clicked.connect(lambda: self.ask_export("xlsx"))
        self.verify_button.clicked.connect(self.verify_in_background)

    @staticmethod
    def _date_edit(host: QWidget, name: str) -> QDateEdit:
        edit = QDateEdit(host)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setDate(NO_DATE)
        edit.setDisplayFormat("dd.MM.yyyy")
        return edit

    def allowed(self) -> bool:
        return self.ctx.may("audit.read")

    def refresh_access(self) -> None:
        ok = self.allowed()
        self.stack.setCurrentWidget(self.main if ok else self.denied)
        for b in (self.export_csv, self.export_xlsx):
            b.setVisible(ok and self.ctx.may("audit.export"))
        if ok:
            self._fill_users()
            self.apply_filter()

    def _fill_users(self) -> None:
        current = self.user.currentData()
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem(_("Everyone"), None)
        with self.ctx.session() as s:
            for name in audit_query.users(session=s):
                self.user.addItem(name, name)
        self.user.setCurrentIndex(max(0, self.user.findData(current)))
        self.user.blockSignals(False)

    @staticmethod
    def _date(edit: QDateEdit):  # noqa: ANN205
        return None if edit.date() == NO_DATE else edit.date().toPython()

    def current_filter(self) -> audit_query.AuditFilter:
        return audit_query.AuditFilter(
            user=self.user.currentData(), person=self.person.text().strip() or None,
            case=self.case.text().strip() or None, action=self.action.currentData(),
            date_from=self._date(self.date_from), date_to=self._date(self.date_to))

    def apply_filter(self) -> None:
        if self.stack.currentWidget() is not self.main:
            return
        self.model.reload(self.current_filter())
        self._fit_columns()
        self._show_count()

    def _fit_columns(self) -> None:
        """Who, what and on what as wide as the rows shown need (full names, case numbers), the
        changes take the rest; measured on the visible rows only, never the whole trail."""
        header = self.table.horizontalHeader()
        for col in (Col.AT, Col.USER, Col.ACTION, Col.OBJECT):
            head = header.fontMetrics().horizontalAdvance(str(self.model.headerData(col, Qt.Orientation.Horizontal)))
            header.resizeSection(col, min(max(self.table.sizeHintForColumn(col), head + 24), 320))

    def _show_count(self) -> None:
        n = len(self.model.ids)
        self.status.setText(ngettext("{n} entry", "{n} entries", n).format(n=n))

    def ask_export(self, fmt: str) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Export the audit trail"), f"audit.{fmt}",
                                               f"*.{fmt}")
        if name:  # a big trail takes a while: off the GUI thread (the filter is read here, on it)
            flt = self.current_filter()
            self.task = self.ctx.ops.run(lambda _p, _c: self._export(Path(name), fmt, flt), done=self._exported,
                                         failed=self._failed, name="audit export")

    def _export(self, path: Path, fmt: str | None, flt: audit_query.AuditFilter) -> tuple[int, Path]:
        with self.ctx.session() as s:
            return audit_query.export(flt, path, session=s, fmt=fmt), path

    def _exported(self, result: tuple[int, Path]) -> None:
        n, path = result
        self.status.setText(ngettext("{n} entry exported to {path}", "{n} entries exported to {path}",
                                     n).format(n=n, path=path.name))

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def export_to(self, path: Path, fmt: str | None = None) -> int:
        result = self._export(path, fmt, self.current_filter())
        self._exported(result)
        return result[0]

    def _chain_checked(self, report: audit_chain.ChainReport) -> None:
        self.status.setText(
            _("Audit trail intact: {n} entries").format(n=report.entries) if report.ok else
            _("Audit trail damaged: {n} problems, first at entry {id}").format(
                n=len(report.problems), id=report.first_bad_id))
        theme.set_role(self.status, None if report.ok else "error")

    def _check_chain(self, progress: Any = None) -> audit_chain.ChainReport:
        with self.ctx.session() as s:
            return audit_chain.verify(session=s, progress=progress)

    def verify(self) -> audit_chain.ChainReport:
        report = self._check_chain()
        self._chain_checked(report)
        return report

    def verify_in_background(self) -> Task:
        self.task = self.ctx.ops.run(lambda progress, _c: self._check_chain(progress), done=self._chain_checked,
                                     failed=self._failed, name="audit chain check")
        return self.task

    def _case_changed(self, _case_id: str) -> None:
        self._timer.start()

    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.denied.setText(_("Only the head of office and the admin see the audit trail."))
        self.person.setPlaceholderText(_("Person: IIN or surname"))
        self.case.setPlaceholderText(_("Case number"))
        current = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        self.action.addItem(_("All actions"), None)
        for key, label in audit_query.ACTIONS.items():
            self.action.addItem(_(label), key)
        self.action.setCurrentIndex(max(0, self.action.findData(current)))
        self.action.blockSignals(False)
        if self.user.count():
            self.user.setItemText(0, _("Everyone"))
        for edit, text in ((self.date_from, _("from: any date")), (self.date_to, _("to: any date"))):
            edit.setSpecialValueText(text)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(text) + 48)  # no clipping
        self.export_csv.setText(_("Export CSV…"))
        self.export_xlsx.setText(_("Export XLSX…"))
        self.verify_button.setText(_("Check the chain"))
        self.model.retranslate()
        if self.model.ids or self.status.text():
            self._show_count()


register_page(PageSpec(key="audit", title=N_("Audit"), order=800, factory=AuditPage, action="audit.read"))
