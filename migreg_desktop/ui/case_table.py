"""The case list model: rowids in SQL order, rows read by page on demand (Conventions §3).

Sorting and filtering are SQL (services.case_list); a proxy model over 100,000 rows would sort
for seconds. The model keeps only the ordered rowids plus a small LRU cache of row pages.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer

from migreg_desktop.cases import case_list
from migreg_desktop.cases.case_list import CaseFilter
from migreg_desktop.i18n import _, current_language, fmt_date, fmt_number, pgettext
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.forms import local_time
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
from migreg_desktop.vocabulary import STATUS_LABELS

Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    NUMBER = 0
    KIND = 1
    STATUS = 2
    APPLICANT = 3
    IIN = 4
    FAMILY = 5
    DESTINATION = 6
    YEAR = 7
    CREATED = 8


class Role(IntEnum):
    CASE_ID = int(Qt.ItemDataRole.UserRole) + 1
    CODE = int(Qt.ItemDataRole.UserRole) + 2  # the raw value (status code, KATO, ISO date)


# Column → case_list.SORT_SQL key.
COLUMNS: dict[Col, str] = {
    Col.NUMBER: "number", Col.KIND: "kind", Col.STATUS: "status", Col.APPLICANT: "applicant_name",
    Col.IIN: "applicant_iin", Col.FAMILY: "family_size", Col.DESTINATION: "destination",
    Col.YEAR: "quota_year", Col.CREATED: "created_at",
}
# Headers carry the context "column" so they never clash with the field labels of other catalogs.
_HEADER_MSGIDS = (
    lambda: pgettext("column", "Case No."), lambda: pgettext("column", "Kind"),
    lambda: pgettext("column", "Status"), lambda: pgettext("column", "Applicant"),
    lambda: pgettext("column", "IIN"), lambda: pgettext("column", "Family"),
    lambda: pgettext("column", "Destination"), lambda: pgettext("column", "Year"),
    lambda: pgettext("column", "Created"),
)
NUMERIC = {Col.FAMILY, Col.YEAR}
CACHE_PAGES = 16


def header_text(col: Col) -> str:
    return _HEADER_MSGIDS[int(col)]()


def _created(value: Any) -> str:
    when = local_time(value)
    return fmt_date(when.date(), fmt="short") if when else ""


class CaseTableModel(QAbstractTableModel):
    """Ordered rowids of the cases matching a filter; rows fetched lazily in pages."""

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = max(20, int(ctx.settings.get("page_size")))
        self.filter = CaseFilter()
        self.sort_key = "created_at"
        self.descending = True
        self._rowids: list[int] = []
        self.loaded = False
        self._position: dict[int, int] | None = None  # rowid → row, built when first needed
        self._pages: OrderedDict[int, dict[int, dict[str, Any]]] = OrderedDict()
        # A batch (issue 15) changes hundreds of cases in one commit: a filtered list re-queries once.
        self._requery = QTimer(self, singleShot=True, interval=0)
        self._requery.timeout.connect(self.reload)
        ctx.hub.caseChanged.connect(self.on_case_changed)
        ctx.hub.casesReset.connect(self.reload)
        ctx.hub.refdataChanged.connect(self.on_refdata_changed)

    # ---- queries ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-run the id query (filter, sort or a new case): the only full reset."""
        self._requery.stop()
        self.beginResetModel()
        with self.ctx.reading() as s:
            self._rowids = case_list.query_rowids(self.filter, self.sort_key, self.descending,
                                                  current_language(), db=s)
        self._position = None
        self._pages.clear()
        self.loaded = True
        self.endResetModel()

    def set_filter(self, flt: CaseFilter) -> None:
        self.filter = flt
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[Col(column)]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def _row_data(self, row: int) -> dict[str, Any] | None:
        page = row // self.page_size
        rows = self._pages.get(page)
        if rows is None:
            ids = self._rowids[page * self.page_size:(page + 1) * self.page_size]
            with self.ctx.reading() as s:
                rows = case_list.fetch_rows(ids, db=s)
            self._pages[page] = rows
            while len(self._pages) > CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows.get(self._rowids[row])

    def row_of_rowid(self, rowid: int) -> int | None:
        if self._position is None:
            self._position = {r: i for i, r in enumerate(self._rowids)}
        return self._position.get(rowid)

    def rowids_of_rows(self, rows: list[int]) -> list[int]:
        """The rowids of list rows (a selection), for a batch that reads its cases itself."""
        return [self._rowids[r] for r in rows if 0 <= r < len(self._rowids)]

    def case_id(self, row: int) -> str | None:
        if not 0 <= row < len(self._rowids):
            return None
        data = self._row_data(row)
        return data["id"] if data else None

    def row_of_case(self, case_id: str) -> int | None:
        with self.ctx.reading() as s:
            rowid = case_list.rowid_of(case_id, db=s)
        return None if rowid is None else self.row_of_rowid(rowid)

    # ---- change events ---------------------------------------------------------------------
    def on_case_changed(self, case_id: str) -> None:
        """Repaint the one row; re-query ids for a new case or when a filter may now exclude it."""
        if self._requery.isActive():
            return  # a re-query is already on its way
        filtered = any(getattr(self.filter, k) for k in ("search", "kind", "status", "year", "destination"))
        if filtered:
            self._requery.start()
            return
        row = self.row_of_case(case_id)
        if row is None:
            self.reload()
            return
        self._pages.pop(row // self.page_size, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def on_refdata_changed(self, _name: str) -> None:
        self._pages.clear()
        self.refresh_texts()

    def refresh_texts(self) -> None:
        """After a language switch: headers, labels and destination names are re-read."""
        if self.sort_key == "destination":
            self.reload()  # the order follows the names of the new language
            return
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rowids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rowids) - 1, len(COLUMNS) - 1))

    # ---- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rowids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return header_text(Col(section))
            if role == Qt.ItemDataRole.TextAlignmentRole and Col(section) in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rowids):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.TextAlignmentRole, Role.CASE_ID, Role.CODE):
            return None
        col = Col(index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if col in NUMERIC else None
        row = self._row_data(index.row())
        if row is None:
            return None
        if role == Role.CASE_ID:
            return row["id"]
        if role == Role.CODE:
            return _code(col, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display(col, row)  # elided cells (long kinds, names) read in full on hover
            return f"{text} · {row['destination_kato']}" if col == Col.DESTINATION and text else text
        return display(col, row)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _code(col: Col, row: dict[str, Any]) -> Any:
    key = {Col.DESTINATION: "destination_kato", Col.CREATED: "created_at"}.get(col, COLUMNS[col])
    value = row.get(key)
    return str(value) if value is not None else None


def display(col: Col, row: dict[str, Any]) -> str:
    if col == Col.KIND:
        return _(KIND_LABELS.get(row["kind"], row["kind"]))
    if col == Col.STATUS:
        return _(STATUS_LABELS.get(row["status"], row["status"]))
    if col == Col.DESTINATION:
        name = row["destination_kk"] if current_language() == "kk" else row["destination_ru"]
        return name or (row["destination_kato"] or "")
    if col == Col.FAMILY:
        return fmt_number(row["family_size"] or 1)
    if col == Col.YEAR:
        return str(row["quota_year"] or "")
    if col == Col.CREATED:
        return _created(row["created_at"])
    key = {Col.NUMBER: "number", Col.APPLICANT: "applicant_name", Col.IIN: "applicant_iin"}[col]
    return row[key] or ""
