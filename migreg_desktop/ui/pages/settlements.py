"""Settlement list page (Rules §6–8): the list of a year, import wizard with preview, edit, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, current_language, fmt_short_date
from migreg_desktop.models.settlement_list import POTENTIALS, SETTLEMENT_KINDS
from migreg_desktop.refdata import settlements
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.year_header import year_header

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = (("kato", N_("KATO")), ("name", N_("Settlement")), ("kind", N_("Kind of settlement")),
           ("potential", N_("Economic potential")), ("fixed_on", N_("Fixed on")), ("source", N_("Source")))


SAMPLE, SAMPLE_TEXT = "sample", N_("sample list for training")  # the shipped list's source (refdata)


class SettlementModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.errors: dict[int, str] = {}  # preview: row number → message

    def set_rows(self, rows: list[dict[str, Any]], errors: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.rows, self.errors = rows, errors or {}
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, key = self.rows[index.row()], COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, key)
        if role == Qt.ItemDataRole.BackgroundRole and (index.row() + 1) in self.errors:
            return theme.brush("error_bg")
        if role == Qt.ItemDataRole.ToolTipRole and (index.row() + 1) in self.errors:
            return self.errors[index.row() + 1]
        return None


def _display(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if key == "name":
        return str(row.get("name_kk" if current_language() == "kk" else "name_ru") or "")
    if key == "kind":
        return _(settlements.KIND_LABELS.get(str(value), str(value or "")))
    if key == "potential":
        return _(settlements.POTENTIAL_LABELS.get(str(value), str(value or "")))
    if key == "fixed_on" and value:
        try:
            return fmt_short_date(settlements.parse_day(value))
        except (TypeError, ValueError):
            return str(value)
    if key == "source" and value == SAMPLE:
        return _(SAMPLE_TEXT)
    return "" if value is None else str(value)


class ImportWizard(QDialog):
    """Choose a file → preview (row errors in red) → import. Nothing is written before Import."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview_doc: dict[str, Any] | None = None
        self.task: Task | None = None
        self.path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.path.editingFinished.connect(self.preview)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = SettlementModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(110)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(820, 520)
        self.retranslate_ui()

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Settlement list file"), "", "CSV, Excel (*.csv *.xlsx)")
        if name:
            self.path.setText(name)
            self.preview()

    def preview(self) -> None:
        """A dry run: what the import would do, with row-level errors."""
        self.preview_doc = None
        self.problems.clear()
        try:
            with self.ctx.session() as s:
                doc = settlements.import_file(Path(self.path.text()), session=s, dry_run=True)
                raw = settlements.read_rows(Path(self.path.text()))
                names = {r["kato"]: r for r in settlements.entries_names(s)}
        except MigregError as exc:
            self.model.set_rows([])
            self.summary.setText(exc.message())
            self._enable()
            return
        rows = [{**r, **{k: v for k, v in names.get(str(r.get("kato", "")).strip(), {}).items()
                         if k in ("name_kk", "name_ru")}} for r in raw]
        errors = {e["row"]: e["message"] for e in doc["errors"]}
        self.model.set_rows(rows, errors)
        for e in doc["errors"]:
            self.problems.addItem(_("row {row}, {field}: {message}").format(**e))
        for w in doc["warnings"]:
            self.problems.addItem("⚠ " + w["message"])
        self.preview_doc = doc
        self.summary.setText(_("{valid_rows} of {rows} rows valid: {added} added, {removed} removed, {changed} changed")
                             .format(**doc))
        self._enable()

    def _enable(self) -> None:
        ok = bool(self.preview_doc and not self.preview_doc["errors"] and self.preview_doc["rows"])
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def do_import(self) -> Task | None:
        """In the thread pool: the import backs the database up first (issue 7 §3), which takes
        a moment on a big database; the dialog stays responsive and closes when it is done."""
        if not (self.preview_doc and not self.preview_doc["errors"]):
            return None
        uow, path = self.ctx.work.for_actor(self.ctx.actor), Path(self.path.text())

        def work(_progress: Any, _is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                return settlements.import_file(path, session=s)

        def failed(message: str) -> None:
            self.summary.setText(message)
            self._enable()

        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.summary.setText(_("Importing…"))
        self.task = self.ctx.ops.run(work, done=lambda _doc: self.accept(), failed=failed, name="settlement import")
        return self.task

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import a settlement list"))
        self.browse.setText(_("Choose file…"))
        self.path.setPlaceholderText(_("CSV or XLSX file: year, kato, kind, potential, fixed_on, source"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._enable()


class EntryDialog(QDialog):
    """Add or edit one settlement of the list."""

    def __init__(self, ctx: AppContext, year: int, entry: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.year, self.entry = ctx, year, entry
        self.kato = QLineEdit(entry["kato"] if entry else "")
        self.kind = QComboBox()
        self.potential = QComboBox()
        for code in SETTLEMENT_KINDS:
            self.kind.addItem(_(settlements.KIND_LABELS[code]), code)
        for code in POTENTIALS:
            self.potential.addItem(_(settlements.POTENTIAL_LABELS[code]), code)
        self.fixed_on = QDateEdit()
        self.fixed_on.setCalendarPopup(True)
        self.fixed_on.setDisplayFormat("dd.MM.yyyy")
        fixed = (settlements.parse_day(entry["fixed_on"]) if entry and entry.get("fixed_on") else None) or date(year - 1, 12, 15)
        self.fixed_on.setDate(QDate(fixed.year, fixed.month, fixed.day))
        source = entry.get("source", "") if entry else ""
        self.source = QLineEdit(_(SAMPLE_TEXT) if source == SAMPLE else source)
        if entry:
            self.kind.setCurrentIndex(max(0, self.kind.findData(entry["kind"])))
            self.potential.setCurrentIndex(max(0, self.potential.findData(entry["potential"])))
        self.error = QLabel()
        theme.set_role(self.error, "error")
        self.error.setWordWrap(True)
        self.form = QFormLayout()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for label, widget in ((N_("KATO"), self.kato), (N_("Kind of settlement"), self.kind), (N_("Economic potential"), self.potential),
                              (N_("Fixed on"), self.fixed_on), (N_("Source"), self.source)):
            self.form.addRow(_(label) + ":", widget)
        self.setWindowTitle(_("Settlement of the list {year}").format(year=year))

    def values(self) -> dict[str, Any]:
        return {"year": self.year, "kato": self.kato.text().strip(), "kind": self.kind.currentData(),
                "potential": self.potential.currentData(), "fixed_on": self.fixed_on.date().toPython(),
                "source": SAMPLE if self.source.text().strip() == _(SAMPLE_TEXT) else self.source.text().strip()}

    def save(self) -> None:
        try:
            with self.ctx.session() as s:
                settlements.save_entry(self.values(), session=s, replace_kato=self.entry["kato"] if self.entry else None)
        except MigregError as exc:
            self.error.setText(exc.message())
            return
        self.accept()


class SettlementsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title, self.year_label, self.year, self.banner = year_header(self._on_changed)
        self.model = SettlementModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.buttons = {key: QPushButton() for key in ("import", "export", "add", "edit", "delete")}
        for key, slot in (("import", self.open_import), ("export", self.export), ("add", self.add),
                          ("edit", self.edit), ("delete", self.delete)):
            self.buttons[key].clicked.connect(slot)
        # The oblast Department owns the list; who may change it is the permissions table's.
        for key, action in (("import", "settlements.import"), ("add", "settlements.edit"),
                            ("edit", "settlements.edit"), ("delete", "settlements.edit")):
            self.buttons[key].setVisible(ctx.may(action))
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        bar = QHBoxLayout()
        for b in self.buttons.values():
            bar.addWidget(b)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        ctx.hub.refdataChanged.connect(self._on_changed)  # bound methods: dropped with the page
        ctx.hub.languageChanged.connect(self._on_language_changed)
        self.retranslate_ui()

    def _on_changed(self, _what: object) -> None:
        self.refresh()

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def _on_double_clicked(self, _index: QModelIndex) -> None:
        self.edit()

    def refresh(self) -> None:
        with self.ctx.session() as s:
            doc = settlements.list_year(self.year.value(), session=s)
        self.model.set_rows(doc["entries"])
        notes = [w["message"] for w in doc["warnings"]]
        if doc["sample"]:
            notes.insert(0, _("Sample list for testing: not the oblast's official list."))
        if not doc["entries"]:
            notes.append(_("No settlement list for {year}.").format(year=self.year.value()))
        self.banner.setText("\n".join("⚠ " + n for n in notes))
        self.table.resizeColumnsToContents()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def open_import(self) -> ImportWizard:
        wizard = ImportWizard(self.ctx, self)
        wizard.accepted.connect(self.refresh)
        wizard.open()
        return wizard

    def export(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Export the settlement list"),
                                               f"settlements-{self.year.value()}.xlsx", "Excel (*.xlsx);;CSV (*.csv)")
        if name:
            with self.ctx.session() as s:
                settlements.export(Path(name), self.year.value(), session=s)

    def add(self) -> EntryDialog:
        return self._dialog(None)

    def edit(self) -> EntryDialog | None:
        entry = self.selected()
        return self._dialog(entry) if entry else None

    def _dialog(self, entry: dict[str, Any] | None) -> EntryDialog:
        dialog = EntryDialog(self.ctx, self.year.value(), entry, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        answer = QMessageBox.question(self, _("Settlement list"), _("Remove {kato} from the list of {year}?")
                                      .format(kato=entry["kato"], year=entry["year"]))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.session() as s:
                settlements.delete_entry(entry["year"], entry["kato"], session=s)
        except MigregError as exc:  # a fixed list, no right to edit it …: say why, change nothing
            QMessageBox.warning(self, _("Settlement list"), exc.message())
            return
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Settlement list"))
        self.year_label.setText(_("Year:"))
        for key, text in (("import", N_("Import…")), ("export", N_("Export…")), ("add", N_("Add")),
                          ("edit", N_("Edit")), ("delete", N_("Remove"))):
            self.buttons[key].setText(_(text))
        self.refresh()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)


register_page(PageSpec(key="settlements", title=N_("Settlement list"), order=45, factory=SettlementsPage))
