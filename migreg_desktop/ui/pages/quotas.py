"""Quotas page: each quota and each office's allotment with a bar of use; warning below 10 % left.

Always current (issue 15): it reads the ledger again when shown, on its Refresh button (another
program, e.g. `migreg quota reserve`, may have written), and live while shown on the hub's
``quotaChanged`` (a reservation), ``casesReset`` (a demo, an import, a restore) and
``refdataChanged`` (new quotas or allotments).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.eligibility import quotas
from migreg_desktop.i18n import N_, _, current_language, fmt_number
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.pages.quota_dialogs import AllotDialog, QuotaDialog
from migreg_desktop.ui.pages.recheck import RecheckBar
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.year_header import year_header
from migreg_desktop.vocabulary import CASE_KIND_GROUPS as KIND_LABELS  # noqa: E402
from migreg_desktop.vocabulary import COUNTING_LABELS  # noqa: E402, F401

AnyIndex = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    REGION = 0
    KIND = 1
    COUNTING = 2
    LIMIT = 3
    RESERVED = 4
    REMAINING = 5
    USE = 6


HEADERS = {Col.REGION: N_("Region / office"), Col.KIND: N_("Kind of case"), Col.COUNTING: N_("Counts"),
           Col.LIMIT: N_("Limit / places"), Col.RESERVED: N_("Reserved"), Col.REMAINING: N_("Remaining"),
           Col.USE: N_("Use")}
USE_ROLE = Qt.ItemDataRole.UserRole + 1  # (used, total)


class QuotaModel(QAbstractTableModel):
    """Rows: a quota, then its allotments (offices). Small (tens of rows): held in memory."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_quotas(self, doc: dict[str, Any]) -> None:
        self.beginResetModel()
        self.rows = []
        for q in doc["quotas"]:
            self.rows.append({**q, "level": "quota", "total": q["limit"]})
            for o in q["offices"]:
                self.rows.append({**o, "level": "office", "kind": q["kind"], "counting": q["counting"],
                                  "total": o["slots"], "quota_names": q.get("region_name"), "region": q["region"]})
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Col):
            return _(HEADERS[Col(section)])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == USE_ROLE:
            return (row["reserved"], row["total"])
        if role == Qt.ItemDataRole.BackgroundRole and row["low"]:
            return theme.brush("warning_bg")
        if role == Qt.ItemDataRole.ToolTipRole and row["low"]:
            return _("Less than 10 % left")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Col.LIMIT, Col.RESERVED, Col.REMAINING):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: dict[str, Any], col: Col) -> str | None:
        if col == Col.REGION:
            if row["level"] == "office":
                return "    ↳ " + row["office"]
            names = row.get("region_name") or {}
            return names.get(current_language()) or names.get("ru") or row["region"]
        if col == Col.KIND:
            return _(KIND_LABELS.get(row["kind"], row["kind"])) if row["level"] == "quota" else ""
        if col == Col.COUNTING:
            return _(COUNTING_LABELS.get(row["counting"], row["counting"])) if row["level"] == "quota" else ""
        values = {Col.LIMIT: row["total"], Col.RESERVED: row["reserved"], Col.REMAINING: row["remaining"]}
        if col in values:
            return fmt_number(values[col])
        if col == Col.USE:
            return ""
        return None

    def low_rows(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["low"]]


class UseBarDelegate(QStyledItemDelegate):
    """A progress bar of reserved / total in the Use column."""

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        used, total = index.data(USE_ROLE) or (0, 0)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 4, -4, -4)
        bar.minimum, bar.maximum = 0, max(total, 1)
        bar.progress = min(used, max(total, 1))
        pct = int(round(100 * used / total)) if total else 0
        bar.text = f"{pct} %"
        bar.textVisible = True
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class QuotasPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title, self.year_label, self.year, self.warning = year_header(self._on_changed)
        self.model = QuotaModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(Col.USE, UseBarDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(Col.REGION, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(Col.USE, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(Col.USE, 160)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        # Who may set quotas and allot places: the permissions table (the oblast Department's work).
        self.set_button, self.allot_button, self.refresh_button = QPushButton(), QPushButton(), QPushButton()
        self.refresh_button.setObjectName("refreshQuotas")
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.setShortcut("F5")

        self.set_button.clicked.connect(self.open_set)
        self.allot_button.clicked.connect(self.open_allot)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        for w, action in ((self.set_button, "quota.set"), (self.allot_button, "quota.allot")):
            w.setVisible(ctx.may(action))
            top.addWidget(w)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.table)
        self.recheck = RecheckBar(ctx, self)
        layout.addWidget(self.recheck)
        ctx.hub.quotaChanged.connect(self._on_changed)  # bound methods: dropped with the page
        ctx.hub.refdataChanged.connect(self._on_changed)
        ctx.hub.casesReset.connect(self._on_reset)
        ctx.hub.languageChanged.connect(self._on_language_changed)
        self.retranslate_ui()

    def _on_changed(self, _what: object) -> None:
        self.refresh()  # tens of rows, one query each: cheap enough to follow every change

    def _on_reset(self) -> None:
        self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()  # another program may have written since (no signal crosses processes)

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def refresh(self) -> None:

        with self.ctx.session() as s:
            self.model.set_quotas(quotas.show(self.year.value(), session=s))
        self._show_warning()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(Col.USE, 160)

    def selected_quota(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        while row >= 0 and self.model.rows[row]["level"] != "quota":
            row -= 1  # an office line belongs to the quota above it
        return self.model.rows[row] if row >= 0 else None

    def open_set(self) -> QuotaDialog:
        dialog = QuotaDialog(self.ctx, self.year.value(), self.selected_quota(), self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def open_allot(self) -> AllotDialog | None:
        quota = self.selected_quota()
        if quota is None:
            self.warning.setText(_("Choose a quota in the table first."))
            return None
        dialog = AllotDialog(self.ctx, quota, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def _show_warning(self) -> None:
        low = self.model.low_rows()
        if not low:
            self.warning.setText("")
            return
        names = [self._low_name(r) for r in low]
        self.warning.setText("⚠ " + _("Less than 10 % left: {names}").format(names="; ".join(names)))

    @staticmethod
    def _low_name(row: dict[str, Any]) -> str:
        """Region (kind), and for an office which quota it is: every office line reads "ALM-KNV"."""
        kind = _(KIND_LABELS.get(row["kind"], row["kind"]))
        if row["level"] == "quota":
            return f"{QuotaModel._text(row, Col.REGION)} ({kind})"
        names = row.get("quota_names") or {}
        region = names.get(current_language()) or names.get("ru") or row["region"]
        return f"{row['office']} — {region} ({kind})"

    def retranslate_ui(self) -> None:
        self.title.setText(_("Quotas"))
        self.year_label.setText(_("Year:"))
        self.set_button.setText(_("Set quota…"))
        self.allot_button.setText(_("Allot places…"))
        self.refresh_button.setText(_("Refresh"))
        self.refresh_button.setToolTip(_("Read the quotas and reservations again (F5)"))
        self.recheck.retranslate_ui()
        self.refresh()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Col) - 1)


register_page(PageSpec(key="quotas", title=N_("Quotas"), order=40, factory=QuotasPage))
