"""The case list's columns: widths from what each column can show in this language (at any font
size or scaling), a column chooser in the header's context menu, and order, widths and hidden
columns remembered in the settings registry (``case_columns``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from migreg_desktop.i18n import _
from migreg_desktop.ui.case_table import Col
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
from migreg_desktop.vocabulary import STATUS_LABELS

if TYPE_CHECKING:
    from migreg_desktop.settings import Settings

KEY = "case_columns"
MAX_WIDTH = 420  # a long destination or name wraps into its tooltip beyond this, never the whole row
SAVE_DELAY_MS = 500


def _samples() -> dict[Col, list[str]]:
    return {
        Col.NUMBER: ["ALM-KNV-2026-000000"], Col.KIND: [_(v) for v in KIND_LABELS.values()],
        Col.STATUS: [_(v) for v in STATUS_LABELS.values()], Col.IIN: ["000000000000"], Col.FAMILY: ["00"],
        Col.DESTINATION: ["Қонаев қаласы"], Col.YEAR: ["0000"], Col.CREATED: ["00.00.0000"],
        Col.APPLICANT: ["Ормантаев Ерлан Сағатұлы"],
    }


# The long free-text destination last: on a narrow screen it is the one cut at its end, not the dates.
DEFAULT_ORDER = (Col.NUMBER, Col.KIND, Col.STATUS, Col.APPLICANT, Col.IIN, Col.FAMILY, Col.YEAR, Col.CREATED,
                 Col.DESTINATION)
MEASURED = (Col.APPLICANT, Col.DESTINATION)  # free text: measured on the rows shown, not a sample
# When the list is narrower than every column's full text (a 1366×768 laptop, Russian's long kinds),
# these give way, in order, down to a floor in characters; their cells end in "…" and the tooltip
# has the whole text (case_table ToolTipRole): the list needs no horizontal scroll (issue 15). Names,
# numbers, statuses and dates never give way: at 150 % the list scrolls rather than cut a name.
SHRINK = ((Col.DESTINATION, 14), (Col.KIND, 16))
# Rows a measurement reads: about a screen. Qt's default (1000) read 1000 rows of a 100,000-case
# list at start-up, five pages from the database, 2 s of the cold start (issue 15).
MEASURED_ROWS = 60


class CaseColumns(QObject):
    """Owns the header of the case list: sizes, chooser, remembered layout."""

    def __init__(self, view: QTableView, settings: Settings) -> None:
        super().__init__(view)
        self.view, self.settings = view, settings
        header = self.header
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        header.setResizeContentsPrecision(MEASURED_ROWS)  # Qt reads the precision of the column's header
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._chooser_at)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        self.restored = self.restore()
        if not self.restored:
            self._default_order()
        header.sectionMoved.connect(lambda *_a: self._save_timer.start())
        header.sectionResized.connect(self._resized)
        self._room = 0
        view.viewport().installEventFilter(self)  # fit again when the list's width changes

    def _resized(self, logical: int, _old: int, _new: int) -> None:
        """The clerk's own width is remembered; the last column stretching with the window is not
        the clerk's (remembering it froze every width, in the language of that moment)."""
        shown = [i for i in range(self.header.count()) if not self.header.isSectionHidden(i)]
        if shown and logical == max(shown, key=self.header.visualIndex):
            return
        self._save_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.view.viewport().width() != self._room:
            self._room = self.view.viewport().width()
            self.fit()
        return False

    @property
    def header(self) -> QHeaderView:
        return self.view.horizontalHeader()

    def fit(self) -> None:
        """Each column as wide as its longest possible text or its header (names: the rows shown)."""
        if self.restored:
            return  # the clerk's own widths win over the defaults
        fm, bold = self.view.fontMetrics(), self.header.fontMetrics()
        model = self.view.model()
        widths: dict[Col, int] = {}
        for col, texts in _samples().items():
            head = str(model.headerData(int(col), Qt.Orientation.Horizontal))
            # text and the cell's margins; a header also leaves room for the sort arrow
            width = max([fm.horizontalAdvance(t) + 12 for t in texts] + [bold.horizontalAdvance(head) + 26])
            if col in MEASURED:
                width = max(width, self.view.sizeHintForColumn(int(col)) + 2)
            widths[col] = min(width, MAX_WIDTH)
        self._give_way(widths, self.view.viewport().width())
        self.header.blockSignals(True)
        for col, width in widths.items():
            self.header.resizeSection(int(col), width)
        self.header.blockSignals(False)

    def _give_way(self, widths: dict[Col, int], room: int) -> None:
        """Narrow the SHRINK columns, in order, until the shown columns fit ``room``."""
        if room < 200:  # not laid out yet: the first resize fits again
            return
        over = sum(w for c, w in widths.items() if not self.header.isSectionHidden(int(c))) - room
        digit = self.view.fontMetrics().horizontalAdvance("0")
        for col, chars in SHRINK:
            if over <= 0:
                return
            if self.header.isSectionHidden(int(col)):
                continue
            give = max(0, min(over, widths[col] - digit * chars))
            widths[col] -= give
            over -= give
    def scale(self, factor: float) -> None:
        """Every column's width times ``factor`` (the font size changed in Preferences)."""
        if abs(factor - 1) < 0.01:
            return
        for col in range(self.header.count()):
            self.header.resizeSection(col, max(self.header.minimumSectionSize(),
                                               round(self.header.sectionSize(col) * factor)))

    # ---- chooser -------------------------------------------------------------------------------
    def chooser(self) -> QMenu:
        """A checkable entry per column (the last visible one can't be hidden) and a reset."""
        menu = QMenu(self.view)
        model = self.view.model()
        visible = [c for c in Col if not self.header.isSectionHidden(int(c))]
        for col in Col:
            action = menu.addAction(str(model.headerData(int(col), Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(col in visible)
            action.setEnabled(not (col in visible and len(visible) == 1))
            action.toggled.connect(lambda on, c=col: self.set_visible(c, on))
        menu.addSeparator()
        menu.addAction(_("Default columns"), self.reset)
        return menu

    def _chooser_at(self, pos: QPoint) -> None:
        self.chooser().popup(self.header.mapToGlobal(pos))

    def set_visible(self, col: Col, on: bool) -> None:
        self.header.setSectionHidden(int(col), not on)
        self.save()

    def _default_order(self) -> None:
        self.header.blockSignals(True)
        for visual, col in enumerate(DEFAULT_ORDER):
            self.header.moveSection(self.header.visualIndex(int(col)), visual)
        self.header.blockSignals(False)

    def reset(self) -> None:
        for col in Col:
            self.header.setSectionHidden(int(col), False)
        self._default_order()
        self.restored = False
        self.fit()
        self.settings.set(KEY, {})

    # ---- remembered ----------------------------------------------------------------------------
    def save(self) -> None:
        self._save_timer.stop()
        state = bytes(self.header.saveState().toBase64().data()).decode("ascii")
        self.settings.set(KEY, {"state": state})
        self.restored = True

    def restore(self) -> bool:
        state = self.settings.get(KEY).get("state")
        if not isinstance(state, str) or not state:
            return False
        sort = (self.header.sortIndicatorSection(), self.header.sortIndicatorOrder())
        ok = self.header.restoreState(QByteArray.fromBase64(state.encode("ascii")))
        self.header.setSortIndicator(*sort)  # the list opens newest first, whatever was sorted last
        return bool(ok)
