"""The Cases page's multi-select (issue 15): extended selection with the mouse and the keyboard
(Shift/Ctrl+click, Shift+arrows, Ctrl+A), a count of what is selected, and the batch actions on it:
*Print…* (one PDF, ui/batch_print_dialog.py) and *Change status…* (one operation with Undo,
ui/batch_status_dialog.py). "Select all matching the filter" says how many cases that is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QWidget,
)

from migreg_desktop.cases.selection import ids_of_rowids
from migreg_desktop.cases.status import status_label
from migreg_desktop.i18n import _, fmt_number, ngettext
from migreg_desktop.ui.case_table import CaseTableModel
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task


class CaseSelection(QObject):
    def __init__(self, ctx: AppContext, view: QTableView, model: CaseTableModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.view, self.model, self.parent_widget = ctx, view, model, parent
        self.dialog: QDialog | None = None
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.count_label = QLabel(parent)
        self.count_label.setObjectName("selectionCount")
        self.print_button, self.status_button = QPushButton(parent), QPushButton(parent)
        self.print_button.setObjectName("batchPrint")
        self.status_button.setObjectName("batchStatus")
        self.print_button.clicked.connect(self.open_print)
        self.status_button.clicked.connect(self.open_status)
        self.status_button.setVisible(ctx.may("case.status"))
        # The last batch status change stays undoable from the page after its dialog is closed.
        self.last: dict[str, Any] | None = None
        self.last_label, self.undo_button = QLabel(parent), QPushButton(parent)
        self.last_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens
        self.undo_button.setObjectName("batchUndo")
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_task: Task | None = None
        self._last_text: Callable[[], str] = lambda: ""
        self._show_last(None)
        view.selectionModel().selectionChanged.connect(lambda *_a: self.update())
        model.modelReset.connect(self.update)
        self.update()

    def widgets(self) -> tuple[QWidget, ...]:
        return self.count_label, self.print_button, self.status_button

    def undo_widgets(self) -> tuple[QWidget, ...]:
        return self.last_label, self.undo_button

    # ---- what is selected --------------------------------------------------------------------
    def rows(self) -> list[int]:
        """Selected rows in list order, from the selection's ranges (Ctrl+A over 100,000 rows is
        one range: no index per cell is built)."""
        rows: set[int] = set()
        selection = self.view.selectionModel().selection()
        for i in range(selection.count()):
            r = selection.at(i)
            rows.update(range(r.top(), r.bottom() + 1))
        return sorted(rows)

    def count(self) -> int:
        return len(self.rows())

    def case_ids(self) -> list[str]:
        with self.ctx.session() as s:
            return ids_of_rowids(self.model.rowids_of_rows(self.rows()), db=s)

    def select_all(self) -> None:
        self.view.selectAll()

    def select_rows(self, rows: list[int]) -> None:
        """For a test or a saved selection: exactly these rows."""
        sm = self.view.selectionModel()
        sm.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            sm.select(self.model.index(row, 0), flags)

    # ---- actions ------------------------------------------------------------------------------
    def add_to_menu(self, menu: QMenu) -> None:
        """The batch entries of the list's context menu (with the counts they act on)."""
        n, total = self.count(), self.model.rowCount()
        if n > 1:
            menu.addAction(ngettext("&Print {n} selected case…", "&Print {n} selected cases…", n)
                           .format(n=fmt_number(n)), self.open_print)
            if self.ctx.may("case.status"):
                menu.addAction(ngettext("Change the &status of {n} selected case…",
                                        "Change the &status of {n} selected cases…", n).format(n=fmt_number(n)),
                               self.open_status)
        if total > n:
            menu.addSeparator()
            menu.addAction(ngettext("Select &all {n} case matching the filter",
                                    "Select &all {n} cases matching the filter", total).format(n=fmt_number(total)),
                           self.select_all)

    def open_print(self) -> QDialog | None:
        from migreg_desktop.ui.batch_print_dialog import BatchPrintDialog

        return self._open(BatchPrintDialog)

    def open_status(self) -> QDialog | None:
        from migreg_desktop.ui.batch_status_dialog import BatchStatusDialog

        return self._open(BatchStatusDialog)

    def _open(self, factory: type[QDialog]) -> QDialog | None:
        ids = self.case_ids()
        if not ids:
            return None
        dialog = factory(self.ctx, ids, self.parent_widget)  # type: ignore[call-arg, arg-type]
        if hasattr(dialog, "changed"):
            dialog.changed.connect(self._changed)
            dialog.undone.connect(lambda _r: self._show_last(None))  # type: ignore[attr-defined]
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    # ---- undo from the page ---------------------------------------------------------------------
    def _changed(self, result: dict[str, Any]) -> None:
        self._show_last(result if result.get("operation") else None)

    def _show_last(self, result: dict[str, Any] | None, text: Callable[[], str] | None = None) -> None:
        """The page's undo row: shown while there is something to say (a row of its own, so the
        bottom row's buttons still fit a 1366×768 laptop at 150 %)."""
        self.last = result
        self._last_text = text or (self._last_change if result is not None else (lambda: ""))
        self.last_label.setText(self._last_text())
        self.last_label.setToolTip(self._last_text())
        self.last_label.setVisible(bool(self.last_label.text()))
        self.undo_button.setVisible(result is not None)

    def _last_change(self) -> str:
        assert self.last is not None
        n, status = self.last["changed"], self.last["status"]
        return ngettext("Last change: {n} case to «{status}».", "Last change: {n} cases to «{status}».",
                        n).format(n=fmt_number(n), status=status_label(status))

    def undo_last(self) -> Task | None:
        """The same undo as the dialog's: a new audited operation, refused if a case changed since."""
        if self.last is None or self.undo_task is not None:
            return None
        from migreg_desktop.eligibility import batch_status

        operation, uow = str(self.last["operation"]), self.ctx.work.for_actor(self.ctx.actor)

        def work(progress: Any, is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                return batch_status.undo(operation, session=s, progress=progress, cancelled=is_cancelled)

        def done(result: dict[str, Any]) -> None:
            n = result["undone"]
            self._show_last(None, lambda: ngettext("Undone: {n} case has its previous status again.",
                                                   "Undone: {n} cases have their previous status again.",
                                                   n).format(n=fmt_number(n)))

        def failed(message: str) -> None:
            self._show_last(self.last, lambda: message)

        def ended() -> None:
            self.undo_task = None
            self.undo_button.setEnabled(True)

        self.undo_button.setEnabled(False)
        self.undo_task = self.ctx.ops.run(work, done=done, failed=failed, ended=ended, name="batch status undo")
        return self.undo_task

    # ---- texts ----------------------------------------------------------------------------------
    def update(self) -> None:
        n, total = self.count(), self.model.rowCount()
        if n == 0:
            text = ""
        elif n == total and n > 1:
            text = "· " + ngettext("all {n} case selected", "all {n} cases selected", n).format(n=fmt_number(n))
        else:
            text = "· " + ngettext("{n} selected", "{n} selected", n).format(n=fmt_number(n))
        self.count_label.setText(text)
        for b in (self.print_button, self.status_button):
            b.setEnabled(n > 0)

    def retranslate_ui(self) -> None:
        self.print_button.setText(_("Print selected…"))
        self.print_button.setToolTip(_("One PDF with a form of every selected case"))
        self.status_button.setText(_("Change status…"))
        self.status_button.setToolTip(_("Change the status of the selected cases in one operation, with Undo"))
        self.undo_button.setText(_("&Undo"))
        self.last_label.setText(self._last_text())
        self.update()
