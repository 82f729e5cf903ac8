"""The Cases page: search, filters and the case list; opens the case editor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.cases import case_list
from migreg_desktop.cases.case_list import CaseFilter
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, current_language, ngettext
from migreg_desktop.ui import registry
from migreg_desktop.ui.case_columns import CaseColumns
from migreg_desktop.ui.case_selection import CaseSelection
from migreg_desktop.ui.case_table import CaseTableModel, Col
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task, stop_at_progress
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.saved_filters import SavedFiltersButton
from migreg_desktop.ui.territory_picker import TerritoryPicker
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
from migreg_desktop.vocabulary import STATUS_LABELS, STATUSES

if TYPE_CHECKING:  # the editor is imported when first opened
    from migreg_desktop.ui.case_editor import CaseEditor

SEARCH_DELAY_MS = 250  # debounce: one query per pause in typing, not per key
EXPORT_INLINE_ROWS = 200  # up to this many rows (≈ 50 ms) the export runs at once, more in the background
class CasesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editors: dict[str | None, CaseEditor] = {}
        self._years: list[int] | None = None  # the year filter's years (read once, then on change)
        self.model = CaseTableModel(ctx, self)
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.kind, self.status, self.year):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.destination.changed.connect(lambda _k: self.apply_filter())
        self.model.modelReset.connect(self._update_count)
        ctx.hub.casesReset.connect(self._fill_years)  # an import or a restore may bring new years
        self.retranslate_ui()
        if not self.model.loaded:
            self.model.reload()

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("caseSearch")
        self.kind, self.status, self.year = QComboBox(self), QComboBox(self), QComboBox(self)
        for combo in (self.kind, self.status, self.year):  # full text when there is room; may shrink at 150 %
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance("0" * 8) + 32)
        self.destination = TerritoryPicker(self.ctx, self)
        self.destination.setMinimumWidth(180)
        self.new_button = QPushButton(self)
        self.new_button.clicked.connect(lambda: self.open_case(None))
        self.new_button.setVisible(self.ctx.may("case.create"))
        self.count_label = QLabel(self)
        self.export_button, self.export_status = QPushButton(self), QLabel(self)
        self.export_button.setObjectName("exportXlsx")
        self.export_button.clicked.connect(self.ask_export)
        # A long message (a path, an error) is cut, never widens the window; the tooltip has it whole.
        self.export_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_job: Task | None = None  # the export running on the operation runner
        self.search_label, self.dest_label = QLabel(self), QLabel(self)
        self.search_label.setBuddy(self.search)
        self.dest_label.setBuddy(self.destination)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        # Indicator first, then enable: Qt sorts once (one ids query), newest cases on top.
        self.view.horizontalHeader().setSortIndicator(int(Col.CREATED), Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.columns = CaseColumns(self.view, self.ctx.settings)
        self.selection = CaseSelection(self.ctx, self.view, self.model, self)  # multi-select, batches
        self.saved_filters = SavedFiltersButton(self.ctx.settings, self.current_filter, self.set_filter, self)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(lambda idx: self.open_case(self.model.case_id(idx.row())))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Only while the table has focus: PySide6 ignores a ``context=`` keyword here, and a
            # window-wide Return stole the Enter that picks a destination from the popup.
            shortcut = QShortcut(QKeySequence(key), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        # Ctrl+N is the main window's "New case" action (a second one here made it ambiguous).
        # Two rows, so the page fits a 1366×768 laptop at 150 % (910 px wide) without widening the window.
        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.saved_filters)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        for w in (self.kind, self.status, self.year):
            filters.addWidget(w)
        filters.addWidget(self.dest_label)
        filters.addWidget(self.destination, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        row: list[tuple[QWidget, int]] = [(self.count_label, 0), (self.selection.count_label, 0),
                                          (self.export_status, 1)]
        row += [(b, 0) for b in self.selection.widgets()[1:]] + [(self.export_button, 0)]
        for widget, stretch in row:
            bottom.addWidget(widget, stretch)
        layout.addLayout(bottom)
        undo_row = QHBoxLayout()  # the last batch status change, undoable (shown only then)
        undo_row.addWidget(self.selection.last_label, 1)
        undo_row.addWidget(self.selection.undo_button)
        layout.addLayout(undo_row)
        self.setTabOrder(self.search, self.kind)
        self.setTabOrder(self.kind, self.status)
        self.setTabOrder(self.status, self.year)
        self.setTabOrder(self.year, self.destination)
        self.setTabOrder(self.destination, self.saved_filters)
        self.setTabOrder(self.saved_filters, self.new_button)
        self.setTabOrder(self.new_button, self.view)
        self.setTabOrder(self.view, self.selection.print_button)
        self.setTabOrder(self.selection.print_button, self.selection.status_button)
        self.setTabOrder(self.selection.status_button, self.export_button)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        """A font size set in Preferences (issue 15): rows as tall and columns as wide as its
        text, or Qt cuts every cell to "ALM-…" (a line taller than its row is elided)."""
        if event.type() == QEvent.Type.FontChange and hasattr(self, "columns"):
            if not hasattr(self, "_refit"):  # measured once the table and its header have the new font
                self._refit = QTimer(self, singleShot=True, interval=0)
                self._refit.timeout.connect(self._fit_font)
            self._refit.start()
        super().changeEvent(event)

    def _fit_font(self) -> None:
        old = self.view.verticalHeader().defaultSectionSize() - 8
        new = self.view.fontMetrics().height()
        self.view.verticalHeader().setDefaultSectionSize(new + 8)
        if self.columns.restored:  # the clerk's own widths, grown or shrunk with the text
            self.columns.scale(new / max(old, 1))
        else:
            self.columns.fit()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("IIN, name (kk/ru/Latin) or case number"))
        self.search_label.setText(_("&Search:"))
        self.dest_label.setText(_("&Destination:"))
        self.new_button.setText(_("&New case"))
        self.new_button.setToolTip(_("Register a new case (Ctrl+N)"))
        self.export_button.setText(_("Cancel export") if self.export_job else _("Export to E&xcel…"))
        self.export_button.setToolTip(_("Write the cases the list shows (search and filters) to an .xlsx file"))
        self._fill_combo(self.kind, _("All kinds"), [(k, _(v)) for k, v in KIND_LABELS.items()])
        self._fill_combo(self.status, _("All statuses"), [(s, _(STATUS_LABELS[s])) for s in STATUSES])
        self._fill_years(requery=False)
        self.columns.fit()
        self.saved_filters.retranslate_ui()
        self.selection.retranslate_ui()
        self.destination.retranslate_ui()
        self.model.refresh_texts()
        self._update_count()
        for editor in list(self.editors.values()):
            retranslate = getattr(editor, "retranslate_ui", None)
            if retranslate:
                retranslate()

    def _fill_combo(self, combo: QComboBox, all_text: str, items: list[tuple[object, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, None)
        for code, text in items:
            combo.addItem(text, code)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _fill_years(self, requery: bool = True) -> None:
        """The year filter: the years that have cases (read again when a case, an import or a
        restore may have brought a new one; a language switch only relabels "All years")."""
        if requery or self._years is None:
            with self.ctx.reading() as db:
                self._years = case_list.quota_years(db=db)
        self._fill_combo(self.year, _("All years"), [(y, str(y)) for y in self._years])

    def current_filter(self) -> CaseFilter:
        return CaseFilter(search=self.search.text(), kind=self.kind.currentData(),
                          status=self.status.currentData(), year=self.year.currentData(),
                          destination=self.destination.kato())

    def set_filter(self, flt: CaseFilter) -> None:
        """Show a (saved) filter in the widgets and apply it."""
        widgets = (self.kind, self.status, self.year, self.search, self.destination)
        for w in widgets:
            w.blockSignals(True)
        self.search.setText(flt.search)
        self.kind.setCurrentIndex(max(0, self.kind.findData(flt.kind)))
        self.status.setCurrentIndex(max(0, self.status.findData(flt.status)))
        self.year.setCurrentIndex(max(0, self.year.findData(flt.year)))
        self.destination.set_kato(flt.destination)
        for w in widgets:
            w.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def _update_count(self) -> None:
        n = self.model.rowCount()
        from migreg_desktop.i18n import fmt_number

        self.count_label.setText(ngettext("{n} case", "{n} cases", n).format(n=fmt_number(n)))

    # ---- export to Excel (issue 15): the core function, run at once or by a background job --------
    def ask_export(self) -> None:
        if self.export_job is not None:
            self.export_job.cancel()
            return
        name, _f = QFileDialog.getSaveFileName(self, _("Export the list to Excel"), "cases.xlsx",
                                               _("Excel workbook (*.xlsx)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Export what the list shows (its filter and order) in the window's language; a long list
        on the window's one operation runner (``ctx.ops``: progress, Cancel, errors in one place)."""
        path = path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")
        flt, sort, desc, lang = self.model.filter, self.model.sort_key, self.model.descending, current_language()
        uow = self.ctx.work.for_actor(self.ctx.actor)  # the job reads no widget

        def run(progress: Callable[[int, int], None], is_cancelled: Callable[[], bool]) -> tuple[int, Path]:
            # Cancelled raised at a step: export_xlsx stops there and leaves no file
            with uow.session() as s:  # its own session: maybe a worker thread
                return case_list.export_xlsx(flt, path, lang, session=s, sort=sort, descending=desc,
                                             progress=stop_at_progress(progress, is_cancelled)), path

        if self.model.rowCount() <= EXPORT_INLINE_ROWS:
            try:
                self._exported(run(lambda _d, _t: None, lambda: False))
            except MigregError as exc:
                self._export_message(exc.message())
            return
        self.export_job = self.ctx.ops.run(
            run, done=self._exported, failed=self._export_message, progress=self._export_progress,
            cancelled=self._export_cancelled,
            ended=self._export_done, name="cases export")
        self.export_button.setText(_("Cancel export"))

    def _export_progress(self, done: int, total: int) -> None:
        self._export_message(_("Exporting: {done} of {total}").format(done=done, total=total))

    def _export_message(self, text: str) -> None:
        self.export_status.setText(text)
        self.export_status.setToolTip(text)

    def _exported(self, result: tuple[int, Path]) -> None:
        n, path = result
        self._export_message(ngettext("{n} case written to {file}", "{n} cases written to {file}",
                                      n).format(n=n, file=path))

    def _export_cancelled(self) -> None:
        self._export_message(_("Cancelled; nothing was written."))

    def _export_done(self) -> None:
        self.export_job = None
        self.export_button.setText(_("Export to E&xcel…"))

    def case_menu(self, case_id: str) -> QMenu:
        """Open, the quota place (issue 15), plus the case actions other features registered."""
        from migreg_desktop.ui.quota_place import add_quota_actions

        menu = QMenu(self)
        menu.addAction(_("&Open"), lambda: self.open_case(case_id))
        menu.addSeparator()
        add_quota_actions(menu, self.ctx, case_id, self._export_message)  # the refusal under the list
        actions = registry.case_actions()
        if actions:
            menu.addSeparator()
        for spec in actions:
            def run(s: registry.CaseAction = spec) -> None:
                s.run(self.ctx, case_id, self)
            menu.addAction(_(spec.title), run)
        self.selection.add_to_menu(menu)
        return menu

    def list_menu(self, case_id: str | None) -> QMenu:
        """One case selected: its menu; several: the batch actions on them (issue 15)."""
        if case_id and self.selection.count() <= 1:
            return self.case_menu(case_id)
        menu = QMenu(self)
        self.selection.add_to_menu(menu)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.list_menu(self.model.case_id(self.view.indexAt(pos).row()))
        if not menu.isEmpty():
            menu.popup(self.view.viewport().mapToGlobal(pos))

    def open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.open_case(self.model.case_id(index.row()))

    def open_case(self, case_id: str | None) -> QWidget:
        """Open (or raise) the editor of a case; None opens the (single) editor of a new case."""
        from migreg_desktop.ui.case_editor import CaseEditor

        editor = self.editors.get(case_id)
        if editor is None:
            editor = CaseEditor(self.ctx, case_id, self)
            self.editors[case_id] = editor
            editor.caseSaved.connect(lambda cid, e=editor: self._editor_saved(e, cid))
            editor.finished.connect(lambda _r, e=editor: self._forget(e))
            editor.open()
        editor.raise_()
        editor.activateWindow()
        return editor

    def _editor_saved(self, editor: CaseEditor, case_id: str) -> None:
        for key, value in list(self.editors.items()):
            if value is editor and key != case_id:
                del self.editors[key]
        self.editors[case_id] = editor
        if self.year.findData(editor.quota_year_value()) < 0:
            self._fill_years()

    def _forget(self, editor: QWidget) -> None:
        for key, value in list(self.editors.items()):
            if value is editor:
                del self.editors[key]
        editor.deleteLater()


register_page(PageSpec(key="cases", title=N_("Cases"), order=10, factory=CasesPage, shortcut="Ctrl+1"))
