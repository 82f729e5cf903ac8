"""A read-only table model over one ``monitoring_report.Table`` (the same localised tables the
xlsx and the PDF draw), numbers through Babel, right-aligned."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from migreg_desktop.department.monitoring_report import DECIMAL, INT, PERCENT, Table
from migreg_desktop.i18n import fmt_number

AnyIndex = QModelIndex | QPersistentModelIndex
NUMERIC = (INT, PERCENT, DECIMAL)


class ReportModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: Table | None = None
        self.lang: str | None = None

    def set_table(self, table: Table, lang: str) -> None:
        self.beginResetModel()
        self.table, self.lang = table, lang
        self.endResetModel()

    def _headers(self) -> list[str]:
        if self.table is None:
            return []
        return self.table.headers or ([""] if self.table.note else [])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self.table is None:
            return 0
        return len(self.table.rows) if self.table.headers else (1 if self.table.note else 0)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = self._headers()
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(headers):
            return headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self.table
        if table is None or not index.isValid():
            return None
        if not table.headers:  # a table without rows yet: its note in one cell
            return table.note if role == Qt.ItemDataRole.DisplayRole else None
        value, kind = table.rows[index.row()][index.column()], table.formats[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(value, kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def text(self, value: Any, kind: str) -> str:
        if value is None:
            return "—"
        if kind == PERCENT:
            return f"{fmt_number(value, self.lang)} %"
        if kind in (INT, DECIMAL):
            return fmt_number(value, self.lang)
        return str(value)
