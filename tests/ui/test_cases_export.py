"""The Cases page's "Export to Excel…" button (issue 15): the list as shown, in the clerk's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from migreg_desktop.ui.pages import cases as cases_module

FIRST_HEADER = {"kk": "Іс нөмірі", "ru": "№ дела"}


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The file dialog replaced by a fixed answer (no modal loop in a test)."""
    target = tmp_path / "list"  # no suffix typed: the page adds .xlsx
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "Excel workbook (*.xlsx)")))
    return target.with_suffix(".xlsx")


def _rows(path: Path) -> list[tuple[Any, ...]]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_button_exports_the_filtered_list(ui_lang: str, qtbot: Any, cases_page: Any,
                                          example_cases: list[str], save_as: Path) -> None:
    cases_page.model.reload()
    cases_page.kind.setCurrentIndex(cases_page.kind.findData("kandas"))
    assert cases_page.model.rowCount() == 1
    assert cases_page.export_button.text() == {"kk": "E&xcel-ге экспорттау…", "ru": "Экспорт в E&xcel…"}[ui_lang]
    qtbot.mouseClick(cases_page.export_button, Qt.MouseButton.LeftButton)
    rows = _rows(save_as)
    assert rows[0][0] == FIRST_HEADER[ui_lang]
    assert len(rows) - 1 == cases_page.model.rowCount() == 1
    assert rows[1][0] == cases_page.model.index(0, 0).data()
    assert save_as.name in cases_page.export_status.text()


def test_a_large_list_exports_in_the_background(qtbot: Any, cases_page: Any, example_cases: list[str],
                                                save_as: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cases_module, "EXPORT_INLINE_ROWS", 0)
    cases_page.model.reload()
    qtbot.mouseClick(cases_page.export_button, Qt.MouseButton.LeftButton)
    assert cases_page.export_job is not None
    qtbot.waitUntil(lambda: cases_page.export_job is None, timeout=10000)
    assert len(_rows(save_as)) - 1 == cases_page.model.rowCount() == 3
    assert save_as.name in cases_page.export_status.text()


def test_a_folder_that_cannot_be_written_is_said_on_the_page(qtbot: Any, cases_page: Any, example_cases: list[str],
                                                             tmp_path: Path) -> None:
    cases_page.export_to(tmp_path / "no-such-folder" / "cases.xlsx")
    assert "cannot write" in cases_page.export_status.text()
    assert cases_page.export_job is None and not (tmp_path / "no-such-folder").exists()


def test_the_export_runs_on_the_windows_operation_runner(qtbot: Any, cases_page: Any, app_context: Any,
                                                         example_cases: list[str], save_as: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: no thread of its own — the one runner (ctx.ops) has it while it runs."""
    monkeypatch.setattr(cases_module, "EXPORT_INLINE_ROWS", 0)
    cases_page.model.reload()
    with qtbot.waitSignal(app_context.ops.started, timeout=2000) as started:
        qtbot.mouseClick(cases_page.export_button, Qt.MouseButton.LeftButton)
    assert started.args[0] is cases_page.export_job and started.args[0].op.name == "cases export"
    qtbot.waitUntil(lambda: cases_page.export_job is None, timeout=10000)
    assert save_as.exists()


def test_cancel_writes_nothing(qtbot: Any, cases_page: Any, example_cases: list[str], save_as: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel before the job's first step (the pool held back, so no race): no file, and the page says so."""
    from migreg_desktop.ui import operations

    held: list[Any] = []
    monkeypatch.setattr(cases_module, "EXPORT_INLINE_ROWS", 0)
    monkeypatch.setattr(operations, "_pool", lambda: type("Pool", (), {"start": lambda _self, job: held.append(job)})())
    cases_page.model.reload()
    qtbot.mouseClick(cases_page.export_button, Qt.MouseButton.LeftButton)
    assert held and cases_page.export_button.text() == "Cancel export"
    qtbot.mouseClick(cases_page.export_button, Qt.MouseButton.LeftButton)  # now "Cancel export"
    held[0].run()
    qtbot.waitUntil(lambda: cases_page.export_job is None, timeout=5000)
    assert not save_as.exists()
    assert cases_page.export_status.text() == "Cancelled; nothing was written."
    assert [p for p in save_as.parent.iterdir() if p.name.endswith(".partial")] == []
