"""Other features plug into the editor through ui.registry: panels (tabs) and case actions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from migreg_desktop.ui import registry

ROOT = Path(__file__).resolve().parents[2]


class DemoPanel(QLabel):
    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.loaded: list[str | None] = []
        self.retranslated = 0

    def load_case(self, case_id: str | None) -> None:
        self.loaded.append(case_id)

    def retranslate_ui(self) -> None:
        self.retranslated += 1


def test_panels_and_actions_appear_in_the_editor(qtbot: Any, monkeypatch: Any, cases_page: Any,
                                                 example_cases: list[str]) -> None:
    ran: list[str] = []
    monkeypatch.setitem(registry.PANELS, "demo", registry.PanelSpec("demo", "Decision", 50, DemoPanel))
    monkeypatch.setitem(registry.CASE_ACTIONS, "print", registry.CaseAction(
        "print", "Print receipt", 10, lambda ctx, case_id, parent: ran.append(case_id), "Ctrl+P"))
    editor = cases_page.open_case(example_cases[0])
    panel = next(p for p in editor.panels if isinstance(p, DemoPanel))  # other features' panels too
    assert editor.tabs.tabText(editor.tabs.indexOf(panel)) == "Decision"
    assert panel.loaded == [example_cases[0]]
    editor.retranslate_ui()
    assert panel.retranslated >= 1
    editor.actions_by_key["print"].trigger()
    assert ran == [example_cases[0]]
    new = cases_page.open_case(None)
    assert not new.actions_by_key["print"].isEnabled()  # nothing to print before the first save


@pytest.mark.slow
def test_program_starts_and_paints(tmp_path: Path) -> None:
    """`migreg-desktop --data-dir D` in a fresh process: opens an existing database, shows the list."""
    data = tmp_path / "d"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", MIGREG_BENCH_STARTUP="1")
    subprocess.run([sys.executable, "-m", "migreg_desktop", "--data-dir", str(data), "init", "--office",
                    "ALM-KNV"], cwd=ROOT, env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", "from migreg_desktop.app import main; "
                          f"raise SystemExit(main(['--data-dir', {str(data)!r}, '--lang', 'kk']))"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "first_paint" in out.stdout and "ready" in out.stdout
    assert (data / "logs").is_dir()


def test_case_actions_in_the_list_menu(monkeypatch: Any, cases_page: Any, example_cases: list[str]) -> None:
    ran: list[str] = []
    monkeypatch.setitem(registry.CASE_ACTIONS, "print", registry.CaseAction(
        "print", "Print receipt", 10, lambda ctx, case_id, parent: ran.append(case_id)))
    menu = cases_page.case_menu(example_cases[2])
    actions = [a for a in menu.actions() if not a.isSeparator()]
    titles = [a.text() for a in actions]
    # The case's own actions, then the batch actions on the selection (issue 15).
    assert "Print receipt" in titles and titles.index("Print receipt") < titles.index(
        next(t for t in titles if "matching the filter" in t))
    actions[titles.index("Print receipt")].trigger()
    assert ran == [example_cases[2]]
    menu.actions()[0].trigger()
    assert example_cases[2] in cases_page.editors
