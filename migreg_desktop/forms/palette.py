"""What every form draws with: the two greys (table grid lines, shaded header cells) and a text style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor

GRID_GREY = HexColor("#808080")
SHADE = HexColor("#ececec")


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    color: Any
