"""Editable tables of the editor: family members and documents (rows of the `case add` JSON)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.fields import label
from migreg_desktop.i18n import _
from migreg_desktop.ui import theme
from migreg_desktop.ui.forms import (
    CHOICE_ORDER,
    ErrorLabel,
    choice_text,
    fill_choices,
    parse_date_text,
    set_combo_code,
    show_date,
)

CODE = int(Qt.ItemDataRole.UserRole) + 1  # choice code of a cell
EXTRA = int(Qt.ItemDataRole.UserRole) + 2  # hidden fields of the row (ids, kandas certificate…)

FAMILY_COLUMNS = ("relation", "surname", "name", "patronymic", "iin", "birth_date", "sex", "citizenship")
DOCUMENT_COLUMNS = ("doc_type", "number", "issued_on", "expires_on", "note")
DATE_COLUMNS = {"birth_date", "issued_on", "expires_on"}


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor for coded columns; the cell keeps the code in CODE and shows the label."""

    def __init__(self, kind: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.kind = kind

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem,
                     _index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        fill_choices(combo, self.kind)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        set_combo_code(editor, index.data(CODE))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        code = editor.currentData()
        model.setData(index, code, CODE)
        model.setData(index, choice_text(self.kind, code), Qt.ItemDataRole.DisplayRole)


class RowsTable(QWidget):
    """A table with Add / Remove buttons; ``rows()`` gives the JSON rows, blank rows skipped."""

    changed = Signal()

    def __init__(self, columns: tuple[str, ...], prefix: str, parent: QWidget | None = None,
                 details: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None) -> None:
        super().__init__(parent)
        self.columns, self.prefix, self.details = columns, prefix, details
        self.table = QTableWidget(0, len(columns), self)
        self.table.setObjectName(f"{prefix}Table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        for n, key in enumerate(columns):  # names and notes share the room; codes fit their text
            stretch = key in ("surname", "name", "patronymic", "note", "number")
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch if stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.setTabKeyNavigation(True)
        for n, key in enumerate(columns):
            if key in CHOICE_ORDER:
                self.table.setItemDelegateForColumn(n, ChoiceDelegate(key, self.table))
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        self.add_button, self.remove_button = QPushButton(self), QPushButton(self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_current_row)
        for keys, slot in ((QKeySequence(Qt.Key.Key_Insert), self.add_row),
                           (QKeySequence("Ctrl+Delete"), self.remove_current_row)):
            # setContext, not a ``context=`` keyword (PySide6 ignores it): with two tables in the
            # editor, window-wide shortcuts were ambiguous and did nothing.
            shortcut = QShortcut(keys, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.error = ErrorLabel(self)
        self.error.setObjectName(f"error:{prefix}")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.details_button = QPushButton(self)
        self.details_button.clicked.connect(self.edit_details)
        self.details_button.setVisible(details is not None)
        buttons.addWidget(self.details_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._row_of_item: list[int] = []  # rows() index → table row (blank rows are skipped)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):  # Preferences' font size
            self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        super().changeEvent(event)

    def retranslate_ui(self, add_text: str, remove_text: str) -> None:
        self.table.setHorizontalHeaderLabels([label(k) for k in self.columns])
        self.details_button.setText(_("All fi&elds…"))
        self.add_button.setText(add_text)
        self.remove_button.setText(remove_text)
        self.add_button.setToolTip("Insert")
        self.remove_button.setToolTip("Ctrl+Delete")
        for row in range(self.table.rowCount()):
            for col, key in enumerate(self.columns):
                item = self.table.item(row, col)
                if item is not None and key in CHOICE_ORDER:
                    item.setText(choice_text(key, item.data(CODE)))

    # ---- rows -----------------------------------------------------------------------------
    def add_row(self, values: dict[str, Any] | None = None) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for col in range(len(self.columns)):
            self.table.setItem(row, col, QTableWidgetItem())
        self.set_row_values(row, values or {})
        self.table.blockSignals(False)
        if not values:
            self.table.setCurrentCell(row, 0)
            self.table.setFocus()
        self.changed.emit()
        return row

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        item = self.table.item(row, col)
        assert item is not None  # add_row gives every cell an item
        return item

    def set_row_values(self, row: int, values: dict[str, Any]) -> None:
        for col, key in enumerate(self.columns):
            item = self._cell(row, col)
            value = values.get(key)
            if key in CHOICE_ORDER:
                item.setData(CODE, value)
                item.setText(choice_text(key, value))
            elif key in DATE_COLUMNS:
                item.setText(show_date(value))
            else:
                item.setText("" if value is None else str(value))
        self._cell(row, 0).setData(EXTRA, {k: v for k, v in values.items() if k not in self.columns})

    def row_values(self, row: int) -> dict[str, Any]:
        values = dict(self._cell(row, 0).data(EXTRA) or {})
        for col, key in enumerate(self.columns):
            item = self._cell(row, col)
            if key in CHOICE_ORDER:
                values[key] = item.data(CODE)
            elif key in DATE_COLUMNS:
                values[key] = parse_date_text(item.text())
            else:
                values[key] = item.text().strip() or None
        return values

    def edit_details(self) -> None:
        """All fields of the current row in a form (e.g. a member's kandas certificate)."""
        row = self.table.currentRow()
        if row < 0 or self.details is None:
            return
        values = self.details(self.row_values(row))
        if values is not None:
            self.set_row_values(row, values)
            self.changed.emit()

    def set_cell(self, row: int, key: str, value: Any) -> None:
        """Set one cell as the clerk would (tests and scripted entry)."""
        item = self._cell(row, self.columns.index(key))
        if key in CHOICE_ORDER:
            item.setData(CODE, value)
            item.setText(choice_text(key, value))
        else:
            item.setText(show_date(value) if key in DATE_COLUMNS else str(value))

    def remove_current_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)

    def rows(self) -> list[dict[str, Any]]:
        out, self._row_of_item = [], []
        for row in range(self.table.rowCount()):
            values = self.row_values(row)
            if any(values.get(k) not in (None, "") for k in self.columns):  # blank rows are skipped
                out.append(values)
                self._row_of_item.append(row)
        return out

    # ---- errors: "family.2.relation" → the cell of the 2nd non-blank row ---------------------
    def show_errors(self, problems: list[tuple[int, str, str]]) -> None:
        """problems: (1-based index in rows(), field key or "", message)."""
        for row in range(self.table.rowCount()):
            for col in range(len(self.columns)):
                item = self._cell(row, col)
                item.setBackground(QBrush())
                item.setToolTip("")
        for n, key, message in problems:
            if 0 < n <= len(self._row_of_item) and key in self.columns:
                item = self._cell(self._row_of_item[n - 1], self.columns.index(key))
                item.setBackground(theme.brush("error_bg"))
                item.setToolTip(message)
        self.error.show_messages([m for _n, _k, m in problems])

    def focus_problem(self, n: int, key: str) -> None:
        if 0 < n <= len(self._row_of_item):
            col = self.columns.index(key) if key in self.columns else 0
            self.table.setCurrentCell(self._row_of_item[n - 1], col)
        self.table.setFocus()
