"""Shared pieces of the sync pages: a small table model over rows (dicts) and the labels of
record types and statuses. Their long jobs run on the window's runner (ui/operations.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QTableView

from migreg_desktop.i18n import N_, _, fmt_number

TYPE_LABELS = {
    "persons": N_("Persons"), "cases": N_("Cases"), "family_members": N_("Family members"),
    "documents": N_("Documents"), "status_changes": N_("Status history"),
    "decisions": N_("Eligibility decisions"), "quota_ledger": N_("Quota ledger"),
}
STATUS_LABELS = {
    "applied": N_("Applied"), "already_imported": N_("Already imported; nothing changed"),
    "held": N_("Held: waiting for an earlier package"), "rejected": N_("Rejected"),
}


def type_label(name: str) -> str:
    return _(TYPE_LABELS[name]) if name in TYPE_LABELS else name


class RowsModel(QAbstractTableModel):
    """A read-only table over a short list of dicts (packages, conflicts, field differences)."""

    def __init__(self, columns: list[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = columns  # (key, msgid)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = self.rows[index.row()].get(self.columns[index.column()][0])
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, int):
            return fmt_number(value)
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section][1])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


def when(value: Any) -> str:
    """A stored timestamp in the clerk's locale."""
    from datetime import datetime

    from migreg_desktop.i18n import fmt_datetime

    try:
        return fmt_datetime(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def counts_text(counts: dict[str, Any]) -> str:
    """'Cases: 2, Persons: 6' from a per-type dict (numbers or outcome dicts)."""
    parts = []
    for name, value in counts.items():
        if isinstance(value, dict):
            value = value.get("applied", 0) + value.get("unchanged", 0) + value.get("conflicts", 0)
        if isinstance(value, int) and name in TYPE_LABELS:
            parts.append(f"{type_label(name)}: {fmt_number(value)}")
    return ", ".join(parts) or "—"


def rows_view(model: RowsModel) -> QTableView:
    """A read-only table over a RowsModel: columns fit their text, whole rows selected."""
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view
