"""A guard against a reference-count bug of PySide6 6.12.0 on Python 3.11.

Each call of a Qt function that returns nothing (``QLabel.setText``, ``QPainter.setPen``,
``processEvents`` …) takes one reference from ``None`` without having added it. A fresh process
holds a few thousand references to ``None``; once a window has made that many such calls, CPython
aborts ("Fatal Python error: none_dealloc") — a clerk's window would die within minutes. Python 3.12
made ``None`` immortal, so it is not affected there.

The guard measures the leak once (ten calls of ``QObject.setObjectName``) and, only if ``None``
loses references, gives it 2**50 more: no day's work makes that many calls, and the count is a
number in ``None``'s object header, so this costs nothing. Called by ``app.main`` before the
window is built (and by the test session). Remove it when the PySide6 pin moves to a fixed release.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 50


def leaks_none() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


def guard() -> bool:
    """Protect ``None`` from the leak if this PySide6 has it; True if the guard was applied."""
    if sys.version_info >= (3, 12) or not leaks_none():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += RESERVE
    return True
