"""Issue 15, cold start: the window is usable with the first page; the other pages' modules are
imported after it (app.attach_pages(defer_pages=True)), and sizing the case list's columns reads
about a screen of rows, not Qt's default thousand (a 100,000-case list read five pages of rows)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from migreg_desktop.ui.case_columns import MEASURED_ROWS, CaseColumns
from migreg_desktop.ui.case_table import COLUMNS


class ManyRows(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows_read: set[int] = set()

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 100_000

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.rows_read.add(index.row())
        return "Құрманғазы Ерлан" if role == Qt.ItemDataRole.DisplayRole else None

    def headerData(self, section: int, orientation: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        return f"column {section}" if role == Qt.ItemDataRole.DisplayRole else None


def test_fitting_the_columns_reads_about_a_screen_of_rows(qtbot, app_context):
    view = QTableView()
    qtbot.addWidget(view)
    model = ManyRows()
    view.setModel(model)
    columns = CaseColumns(view, app_context.settings)
    columns.fit()
    assert model.rows_read and max(model.rows_read) < MEASURED_ROWS <= 100


def test_pages_after_the_first_come_once_it_is_shown(qtbot, engine, data_dir, monkeypatch):
    from migreg_desktop import app
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui import registry
    from migreg_desktop.ui.main_window import MainWindow

    registry.discover()  # every module imported and registered now: what the teardown puts back
    for table in ("PAGES", "PANELS", "CASE_ACTIONS"):
        monkeypatch.setattr(registry, table, {})  # a fresh start: nothing registered yet
    monkeypatch.setattr(registry, "_complete", False)
    import importlib
    import sys

    for name in [m for m in sys.modules if m.startswith("migreg_desktop.ui.pages.") or
                 m.startswith("migreg_desktop.ui.panels.")]:
        monkeypatch.delitem(sys.modules, name)  # re-imported: each module registers itself again
    importlib.invalidate_caches()
    window = MainWindow(Settings())
    window.ask = lambda *_a: True
    qtbot.addWidget(window)
    ctx = app.attach_pages(window, engine, Settings(), defer_pages=True)
    assert ctx is not None
    assert [s.key for s in window.specs] == ["cases"]  # usable now: the case list
    assert window.stack.currentWidget() is window.pages["cases"]
    qtbot.waitUntil(lambda: len(window.specs) > 5, timeout=5000)  # the rest, one turn later
    assert {"quotas", "sync_inbox", "audit", "backups"} <= {s.key for s in window.specs}
    assert window.stack.currentWidget() is window.pages["cases"]  # still on the list
