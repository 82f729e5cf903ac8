"""PySide6 6.12.0 on Python 3.11 takes a reference from None at each void Qt call; the window's
guard (ui/qt_refcount.py) keeps a long day from aborting. Run in a fresh process, as the window is."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
{guard}
app = QApplication([])
label = QLabel()
for _ in range(50_000):  # ten times what a fresh process holds of None
    label.setText("Қонаев")
del label, app
print("survived")
"""


def _run(guard: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", CODE.format(guard=guard)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_a_long_session_survives_with_the_guard():
    done = _run("from migreg_desktop.ui.qt_refcount import guard; guard()")
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-400:]


def test_the_guard_is_needed_exactly_when_qt_leaks():
    from migreg_desktop.ui.qt_refcount import leaks_none

    done = _run("")
    if leaks_none() and sys.version_info < (3, 12):
        assert done.returncode != 0 and "none_dealloc" in done.stderr  # the bug the guard is for
    else:
        assert done.returncode == 0
