"""QR code of a case id, drawn as vector squares (segno computes the matrix)."""

from __future__ import annotations

import segno
from reportlab.pdfgen.canvas import Canvas


def qr_matrix(payload: str) -> list[list[bool]]:
    code = segno.make(payload, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix]


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw with the lower-left corner at (x, y) in points; runs of dark modules share one rect."""
    matrix = qr_matrix(payload)
    n = len(matrix) + 8  # 4-module quiet zone on each side
    cell = size / n
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + 4) * cell
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(x + (start + 4) * cell, top - cell, (c - start) * cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
