"""The settlement list from draft to every akimat (Rules §6–8; issue 16 §4), the Department's desk:
fix the year's list (a warning after 15 December of the year before), reopen it (an admin's act),
publish it in one step (reference package, printable list kk/ru, Labour Exchange workbook) on the
runner, and record which recipient got it on which day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.department import settlement_desk
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, current_language, fmt_short_date
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.rows_model import AnyIndex, RowsModel
from migreg_desktop.ui.year_header import year_header

KIND_TEXT = {"labour_mobility_centre": N_("labour mobility centre"), "career_centre": N_("career centre"),
             "rural_akimat": N_("rural akimat")}
STATUS_TEXT = {"draft": N_("not fixed"), "open": N_("reopened for changes"), "fixed": N_("fixed on {date}")}
HEADERS = (N_("Recipient"), N_("Kind"), N_("Sent on"))


class RecipientModel(RowsModel):
    HEADERS = HEADERS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return row["name_kk"] if current_language() == "kk" else row["name_ru"]
            if index.column() == 1:
                return _(KIND_TEXT.get(row["kind"], row["kind"]))
            sent = row["sent_on"]
            return fmt_short_date(date.fromisoformat(sent)) if sent else _("not yet")
        if role == Qt.ItemDataRole.BackgroundRole and not row["sent_on"]:
            return QBrush(QColor("#fff3e0"))
        return None


class ListDeskPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.doc: dict[str, Any] | None = None
        self.task: Task | None = None
        self.title, self.year_label, self.year, self.banner = year_header(self._on_changed)
        self.year.blockSignals(True)  # the table is built below; retranslate_ui fills it
        self.year.setValue(date.today().year + 1)  # in December the Department fixes next year's list
        self.year.blockSignals(False)
        self.state = QLabel()
        self.state.setStyleSheet("font-weight: bold")
        self.fix_button, self.reopen_button, self.publish_button = QPushButton(), QPushButton(), QPushButton()
        self.sent_button, self.sent_label = QPushButton(), QLabel()
        self.sent_on = QDateEdit(QDate.currentDate())
        self.sent_on.setCalendarPopup(True)
        self.sent_on.setDisplayFormat("dd.MM.yyyy")
        self.fix_button.clicked.connect(self.fix)
        self.reopen_button.clicked.connect(self.reopen)
        self.publish_button.clicked.connect(self._ask_publish)
        self.sent_button.clicked.connect(self.mark_sent)
        writing = ctx.may("department.write")  # the permissions table: the oblast's head and admin
        for w in (self.fix_button, self.publish_button, self.sent_button, self.sent_on, self.sent_label):
            w.setVisible(writing)
        self.reopen_button.setVisible(ctx.may("settlements.reopen"))  # an admin's act
        self.model = RecipientModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.files = QListWidget()
        self.files.setMaximumHeight(90)
        self.files.setVisible(False)  # until a publication lists its files
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        bar = QHBoxLayout()
        for w in (self.state, self.fix_button, self.reopen_button, self.publish_button):
            bar.addWidget(w)
        bar.addStretch(1)
        sent = QHBoxLayout()
        for w in (self.summary,):
            sent.addWidget(w)
        sent.addStretch(1)
        for w in (self.sent_label, self.sent_on, self.sent_button):
            sent.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.files)
        layout.addLayout(sent)
        layout.addWidget(self.table, 1)
        ctx.hub.refdataChanged.connect(self._on_changed)
        ctx.hub.languageChanged.connect(self._on_language_changed)
        self.retranslate_ui()

    def _on_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def refresh(self) -> None:
        try:
            with self.ctx.session() as s:
                self.doc = settlement_desk.recipients(self.year.value(), session=s)
        except MigregError as exc:  # a district, or an account without the right: say so
            self.doc = None
            self.model.set_rows([])
            self.message.setText(exc.message())
            return
        doc = self.doc
        self.model.set_rows(doc["recipients"])
        fixed = doc["status"] == "fixed"
        text = _(STATUS_TEXT.get(doc["status"], doc["status"]))
        if fixed and doc["fixed_on"]:
            text = text.format(date=fmt_short_date(date.fromisoformat(doc["fixed_on"])))
        self.state.setText(_("The list of {year}: {state}").format(year=doc["year"], state=text))
        self.summary.setText(_("{sent} of {total} recipients have the list.").format(**doc))
        self.fix_button.setEnabled(not fixed)
        self.reopen_button.setEnabled(fixed)
        self.publish_button.setEnabled(fixed)
        self.sent_button.setEnabled(fixed)
        warning = self.late_warning()
        late = _("If fixed today:")
        self.banner.setText(f"⚠ {late} {warning}" if warning and not fixed else "")

    def late_warning(self) -> str | None:
        """Rules §7: the list of year Y is fixed by 15 December of Y−1."""
        from migreg_desktop.rules.base import render
        from migreg_desktop.rules.territory import list_warning

        today = date.today()
        found = list_warning(self.year.value(), today, today)
        return render(found[0], found[1], current_language()) if found else None

    # ---- actions ----------------------------------------------------------------------------
    def fix(self) -> dict[str, Any] | None:
        warning = self.late_warning()
        question = _("Fix the settlement list of {year}? It cannot be changed afterwards until an administrator "
                     "reopens it.").format(year=self.year.value())
        if warning:
            question = f"⚠ {warning}\n\n{question}"
        if not self.confirm(question):
            return None
        try:
            with self.ctx.session() as s:
                doc = settlement_desk.fix(self.year.value(), session=s)
        except MigregError as exc:
            self.message.setText(exc.message())
            return None
        notes = [settlement_desk.warning_text(w, current_language()) for w in doc["warnings"]]
        self.message.setText("\n".join([_("The list of {year} is fixed: {count} settlement(s).").format(
            year=doc["year"], count=doc["count"]), *("⚠ " + n for n in notes)]))
        self.refresh()
        return doc

    def reopen(self) -> dict[str, Any] | None:
        if not self.confirm(_("Reopen the settlement list of {year} for changes?").format(year=self.year.value())):
            return None
        try:
            with self.ctx.session() as s:
                doc = settlement_desk.reopen(self.year.value(), session=s)
        except MigregError as exc:
            self.message.setText(exc.message())
            return None
        self.message.setText(_("The list of {year} is open for changes again.").format(year=self.year.value()))
        self.refresh()
        return doc

    def confirm(self, text: str) -> bool:
        """A question to the clerk (tests replace it)."""
        answer = QMessageBox.question(self, _("Settlement list"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_publish(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the published list"))
        if folder:
            self.publish(Path(folder))

    def publish(self, folder: Path) -> Task:
        """On the runner: the package, both PDFs and the workbook; then the files are listed."""
        from migreg_desktop.forms.department_files import write_settlement_files
        from migreg_desktop.sync.list_publish import publish

        uow, year, lang = self.ctx.work.for_actor(self.ctx.actor), self.year.value(), current_language()

        def work(_progress: Any, _is_cancelled: Any) -> dict[str, Any]:
            return publish(year, folder, lang, session=uow.session,
                           write_files=lambda y, out, file_lang, s: write_settlement_files(y, out, file_lang, session=s))

        def done(doc: dict[str, Any]) -> None:
            self.files.clear()
            self.files.addItems([doc["refdata"]["file"], *doc["pdf"], doc["xlsx"]])
            self.files.setVisible(True)
            self.message.setText(_("Published: send the files to each recipient and record the day below."))

        self.message.setText(_("Publishing…"))
        self.task = self.ctx.ops.run(work, done=done, failed=self.message.setText, name="settlement publish")
        return self.task

    def mark_sent(self) -> list[dict[str, Any]]:
        """The chosen recipients got the list on the chosen day (Rules §8)."""
        rows = [self.model.rows[i.row()] for i in self.table.selectionModel().selectedRows()]
        if not rows:
            self.message.setText(_("Choose the recipients in the table first."))
            return []
        day: date = self.sent_on.date().toPython()  # type: ignore[assignment]  # a QDate gives a date
        done = []
        try:
            with self.ctx.session() as s:
                for row in rows:
                    done.append(settlement_desk.mark_sent(self.year.value(), row["key"], day, session=s))
        except MigregError as exc:  # nothing recorded: the unit of work rolls back
            self.message.setText(exc.message())
            return []
        self.message.setText(_("Recorded: {count} recipient(s) on {date}.").format(count=len(done),
                                                                                   date=fmt_short_date(day)))
        self.refresh()
        return done

    def retranslate_ui(self) -> None:
        self.title.setText(_("Sending the settlement list"))
        self.year_label.setText(_("Year:"))
        self.fix_button.setText(_("Fix the list…"))
        self.reopen_button.setText(_("Reopen…"))
        self.publish_button.setText(_("Publish…"))
        self.sent_label.setText(_("Sent on:"))
        self.sent_button.setText(_("Mark chosen as sent"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        self.refresh()


register_page(PageSpec(key="list_desk", title=N_("Sending the list"), order=46, factory=ListDeskPage, roles=("oblast",)))
