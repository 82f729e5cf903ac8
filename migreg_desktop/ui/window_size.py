"""Dialog sizes that fit the clerk's screen: a sensible default no larger than the screen's free area
(1366×768 laptops with a taskbar, 150 % scaling), and the size the clerk last gave it, remembered in
the settings registry (``window_sizes``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from migreg_desktop.settings import Settings

KEY = "window_sizes"
FRAME = QSize(16, 40)  # a title bar and borders the window manager adds around the dialog


def available(widget: QWidget) -> QSize:
    """The screen's free area (without the taskbar) the widget is on, less the window frame."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1366, 728) - FRAME
    return screen.availableGeometry().size() - FRAME


def fit(widget: QWidget, wanted: QSize, settings: Settings | None = None, name: str = "") -> QSize:
    """Resize to the remembered size (or ``wanted``), never beyond the screen; remember on close."""
    size = wanted
    if settings is not None and name:
        saved = settings.get(KEY).get(name)
        if isinstance(saved, list) and len(saved) == 2:
            size = QSize(int(saved[0]), int(saved[1]))
        widget.finished.connect(lambda _r: remember(widget, settings, name))  # type: ignore[attr-defined]
    size = size.boundedTo(available(widget)).expandedTo(QSize(320, 240))
    widget.resize(size)
    return size


def remember(widget: QWidget, settings: Settings, name: str) -> None:
    sizes = dict(settings.get(KEY))
    size = widget.size()
    sizes[name] = [size.width(), size.height()]
    settings.set(KEY, sizes)
