"""Bar charts drawn with QPainter for the Monitoring page (issue 16 §1; docs/monitoring.md, "Charts
in the window": why not QtCharts or pyqtgraph).

One widget, two orientations: horizontal bars with the label on the left (long Kazakh and Russian
region and office names stay readable, cut at the end where they repeat "… career centre"),
vertical columns for months.
Values are written at the end of each bar through Babel (``i18n.fmt_number``).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from migreg_desktop.i18n import fmt_number

BAR = QColor("#1f6fb2")
OVER = QColor("#c62828")  # a quota filled beyond its limit
GRID = QColor("#d0d0d0")


class BarChart(QWidget):
    """``set_data(title, [(label, value)], percent=…)``; ``horizontal`` bars or vertical columns."""

    def __init__(self, horizontal: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.title = ""
        self.items: list[tuple[str, float]] = []
        self.percent = False
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 200)

    def set_data(self, title: str, items: list[tuple[str, float]], *, percent: bool = False,
                 empty_text: str = "") -> None:
        self.title, self.items, self.percent, self.empty_text = title, items, percent, empty_text
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, 300)

    def value_text(self, value: float) -> str:
        return f"{fmt_number(round(value, 1))} %" if self.percent else fmt_number(int(value))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        fm = p.fontMetrics()
        p.setPen(self.palette().text().color())
        title_h = fm.height() + 6
        p.drawText(QRectF(6, 2, self.width() - 12, title_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 12))
        p.setFont(self.font())
        area = QRectF(6, title_h + 4, self.width() - 12, self.height() - title_h - 10)
        if not self.items:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
        elif self.horizontal:
            self._horizontal(p, area)
        else:
            self._vertical(p, area)
        p.end()

    def _scale(self) -> float:
        top = max((v for _l, v in self.items), default=0.0)
        return max(top, 100.0) if self.percent else max(top, 1.0)

    def _horizontal(self, p: QPainter, area: QRectF) -> None:
        fm = p.fontMetrics()
        label_w = min(max(fm.horizontalAdvance(lbl) for lbl, _v in self.items) + 8, area.width() * 0.6)
        value_w = max(fm.horizontalAdvance(self.value_text(v)) for _l, v in self.items) + 8
        row_h = min(area.height() / len(self.items), fm.height() * 2.0)
        bar_room = max(area.width() - label_w - value_w, 10.0)
        top = self._scale()
        if self.percent:  # the 100 % line: the quota's limit
            x = area.left() + label_w + bar_room * 100.0 / top
            p.setPen(QPen(GRID, 1, Qt.PenStyle.DashLine))
            p.drawLine(int(x), int(area.top()), int(x), int(area.top() + row_h * len(self.items)))
        for n, (label, value) in enumerate(self.items):
            y = area.top() + n * row_h
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(area.left(), y, label_w - 6, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 6)))
            width = bar_room * max(value, 0.0) / top
            colour = OVER if self.percent and value > 100 else BAR
            p.fillRect(QRectF(area.left() + label_w, y + row_h * 0.2, width, row_h * 0.6), colour)
            p.drawText(QRectF(area.left() + label_w + width + 4, y, value_w, row_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.value_text(value))

    def _vertical(self, p: QPainter, area: QRectF) -> None:
        fm = p.fontMetrics()
        label_h, value_h = fm.height() + 4, fm.height() + 2
        col_w = area.width() / len(self.items)
        bar_room = max(area.height() - label_h - value_h, 10.0)
        top = self._scale()
        base = area.top() + value_h + bar_room
        p.setPen(QPen(GRID, 1))
        p.drawLine(int(area.left()), int(base), int(area.right()), int(base))
        every = max(1, int((fm.horizontalAdvance(self.items[0][0]) + 8) // max(col_w, 1)) + 1)
        for n, (label, value) in enumerate(self.items):
            x = area.left() + n * col_w
            height = bar_room * max(value, 0.0) / top
            p.fillRect(QRectF(x + col_w * 0.15, base - height, col_w * 0.7, height), BAR)
            p.setPen(self.palette().text().color())
            if col_w >= fm.horizontalAdvance(self.value_text(value)) + 2:
                p.drawText(QRectF(x, base - height - value_h, col_w, value_h),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.value_text(value))
            if n % every == 0:  # months: as many labels as fit side by side
                p.drawText(QRectF(x - col_w * (every - 1) / 2, base + 2, col_w * every, label_h),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
