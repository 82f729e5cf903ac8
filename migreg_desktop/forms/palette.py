"""The two greys every form uses: table grid lines and shaded header cells."""

from reportlab.lib.colors import HexColor

GRID_GREY = HexColor("#808080")
SHADE = HexColor("#ececec")
