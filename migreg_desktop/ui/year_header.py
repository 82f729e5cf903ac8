"""The head of the pages that show one year's reference data (quotas, settlement list)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QLabel, QSpinBox

from migreg_desktop.ui import theme


def year_header(on_changed: Callable[[int], None]) -> tuple[QLabel, QLabel, QSpinBox, QLabel]:
    """(title, year label, year spin box set to this year, amber warning banner)."""
    title = QLabel()
    theme.set_size(title, "title")
    year_label = QLabel()
    year = QSpinBox()
    year.setRange(2020, 2100)
    year.setValue(date.today().year)
    year.valueChanged.connect(on_changed)
    banner = QLabel()
    banner.setWordWrap(True)
    theme.set_role(banner, "warning")
    banner.setStyleSheet("font-weight: bold")
    return title, year_label, year, banner
