"""Adaptation and training of kandases (Rules §9–10; issue 16 §5): the measures of one kandas case
(language course, vocational training, retraining, job placement, adaptation-centre stay) with
dates and outcome, for the applicant or a family member; add and remove (audited by the core).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.cases.cases import case_dict, get_case
from migreg_desktop.department import adaptation
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, fmt_short_date
from migreg_desktop.models.department import ADAPTATION_KINDS, ADAPTATION_OUTCOMES
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.rows_model import AnyIndex, RowsModel

HEADERS = (N_("Person"), N_("Measure"), N_("From"), N_("To"), N_("Outcome"), N_("Note"))


def _full_name(person: dict[str, Any]) -> str:
    return " ".join(str(person.get(k) or "") for k in ("surname", "name", "patronymic")).strip()


def _day(value: str | None) -> str:
    return fmt_short_date(date.fromisoformat(value)) if value else ""


class MeasureModel(RowsModel):
    HEADERS = HEADERS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        m = self.rows[index.row()]
        person = _("applicant") if m["applicant"] else (m["person_iin"] or "")
        return (person, _(adaptation.KIND_LABELS.get(m["kind"], m["kind"])), _day(m["started_on"]),
                _day(m["ended_on"]), _(adaptation.OUTCOME_LABELS.get(m["outcome"], m["outcome"])),
                m["note"] or "")[index.column()]


class AdaptationPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_ref = ""
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold")
        self.case = QLineEdit()
        self.case.setPlaceholderText("ALM-TLG-2026-000017")
        self.case.returnPressed.connect(self.show_case)
        self.case_label, self.show_button = QLabel(), QPushButton()
        self.show_button.clicked.connect(self.show_case)
        self.model = MeasureModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self._build_form()
        self.message = QLabel()
        self.message.setWordWrap(True)
        find = QHBoxLayout()
        for w in (self.case_label, self.case, self.show_button):
            find.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(find)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form_box)
        ctx.hub.languageChanged.connect(self._on_language_changed)
        self.retranslate_ui()

    def _build_form(self) -> None:
        self.kind, self.outcome = QComboBox(), QComboBox()
        self.person = QComboBox()  # the applicant or a family member with an IIN (the core finds them by it)
        self.people: list[tuple[str | None, str]] = []
        self.started = QDateEdit(QDate.currentDate())
        self.ended = QDateEdit(QDate.currentDate())
        for edit in (self.started, self.ended):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.has_end = QCheckBox()
        self.has_end.toggled.connect(self.ended.setEnabled)
        self.ended.setEnabled(False)
        self.note = QLineEdit()
        self.note.setMaxLength(adaptation.NOTE_MAX)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        writing = self.ctx.may("department.write")  # the permissions table: the oblast's head and admin
        self.form_box = QWidget()
        self.form_box.setVisible(writing)
        self.remove_button.setVisible(writing)
        self.form = QFormLayout(self.form_box)
        self.form.setContentsMargins(0, 0, 0, 0)
        dates = QHBoxLayout()
        for w in (self.started, self.has_end, self.ended):
            dates.addWidget(w)
        dates.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.labels = {key: QLabel() for key in ("kind", "person", "dates", "outcome", "note")}
        for key, field in (("kind", self.kind), ("person", self.person), ("dates", dates),
                           ("outcome", self.outcome), ("note", self.note)):
            self.form.addRow(self.labels[key], field)
        self.form.addRow(buttons)

    def show_case(self) -> list[dict[str, Any]]:
        ref = self.case.text().strip()
        try:
            with self.ctx.session() as s:
                rows = adaptation.list_for(ref, session=s)
                doc = case_dict(get_case(ref, session=s), session=s)
        except MigregError as exc:
            self.case_ref = ""
            self.model.set_rows([])
            self._set_people([])
            self.message.setText(exc.message())
            return []
        self.case_ref = ref
        self._set_people([(None, _full_name(doc["applicant"]))] +
                         [(m["iin"], f"{_full_name(m)} ({m['iin']})") for m in doc["family"] if m.get("iin")])
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.message.setText(_("Case {number}: {count} measure(s).").format(number=ref, count=len(rows)))
        return rows

    def _set_people(self, people: list[tuple[str | None, str]]) -> None:
        self.people = people
        self.person.clear()
        for n, (iin, name) in enumerate(people):
            self.person.addItem(f"{_('applicant')}: {name}" if n == 0 else name, iin)

    def values(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "outcome": self.outcome.currentData(),
                "person_iin": self.person.currentData(), "started_on": self.started.date().toPython(),
                "ended_on": self.ended.date().toPython() if self.has_end.isChecked() else None,
                "note": self.note.text()}

    def add(self) -> dict[str, Any] | None:
        ref = self.case.text().strip()
        try:
            with self.ctx.session() as s:
                doc = adaptation.add(ref, self.values(), session=s)
        except MigregError as exc:  # bad input or not a kandas case: said, nothing written
            self.message.setText(exc.message())
            return None
        self.note.clear()
        self.show_case()
        return doc

    def remove(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self.case_ref:
            self.message.setText(_("Choose a measure in the table first."))
            return None
        measure = self.model.rows[rows[0].row()]
        try:
            with self.ctx.session() as s:
                doc = adaptation.remove(self.case_ref, measure["id"], session=s)
        except MigregError as exc:
            self.message.setText(exc.message())
            return None
        self.show_case()
        return doc

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Adaptation and training of kandases"))
        self.case_label.setText(_("Case number:"))
        self.show_button.setText(_("Show"))
        for combo, codes, labels in ((self.kind, ADAPTATION_KINDS, adaptation.KIND_LABELS),
                                     (self.outcome, ADAPTATION_OUTCOMES, adaptation.OUTCOME_LABELS)):
            current = combo.currentData()
            combo.clear()
            for code in codes:
                combo.addItem(_(labels[code]), code)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        self._set_people(self.people)
        self.has_end.setText(_("ended on"))
        for key, text in (("kind", N_("Measure:")), ("person", N_("Person:")), ("dates", N_("Started on:")),
                          ("outcome", N_("Outcome:")), ("note", N_("Note:"))):
            self.labels[key].setText(_(text))
        self.add_button.setText(_("Add measure"))
        self.remove_button.setText(_("Remove measure"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)


register_page(PageSpec(key="adaptation", title=N_("Adaptation"), order=48, factory=AdaptationPage, roles=("oblast",)))
