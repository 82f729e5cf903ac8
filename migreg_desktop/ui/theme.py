"""Font size and colours of the whole window, applied live (issue 15: Preferences).

``apply(app, settings)`` sets the application font's size and the palette of the chosen theme:
``system`` keeps the platform's style and palette (a dark system stays dark), ``light``, ``dark``
and ``high_contrast`` use Fusion with our own palette, so they look the same on every office PC.

Widgets never hard-code a colour or a pixel font size: a label says what it is
(``set_role(label, "error")``, ``set_size(label, "heading")``) and the application style sheet
built here colours and sizes it for the current theme and font size, so a switch repaints every
open window at once. Item models ask ``color(role)`` when they paint a row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

R = QPalette.ColorRole
# (window, window text, base, alternate base, text, button, button text, highlight, highlighted
# text, link, placeholder, disabled text)
PALETTES: dict[str, tuple[str, ...]] = {
    "light": ("#f3f3f3", "#1a1a1a", "#ffffff", "#f5f7fa", "#1a1a1a", "#e8e8e8", "#1a1a1a", "#2f65ca",
              "#ffffff", "#1f5bb5", "#757575", "#8a8a8a"),
    "dark": ("#2b2d30", "#e6e6e6", "#1e1f22", "#26282b", "#e6e6e6", "#3a3c40", "#e6e6e6", "#3d7bd9",
             "#ffffff", "#8ab4f8", "#9a9a9a", "#7d7d7d"),
    # Black and white with yellow selection: readable for a clerk with weak sight (WCAG AAA).
    "high_contrast": ("#000000", "#ffffff", "#000000", "#101010", "#ffffff", "#000000", "#ffffff", "#ffff00",
                      "#000000", "#00ffff", "#d0d0d0", "#c0c0c0"),
}
# Colours that carry meaning (error, warning …), per light or dark background.
ROLE_COLORS: dict[str, dict[str, str]] = {
    "light": {"error": "#b00020", "warning": "#b26a00", "ok": "#1b6e20", "muted": "#5f5f5f", "na": "#9e9e9e",
              "error_bg": "#f8d7da", "warning_bg": "#fff3e0"},
    "dark": {"error": "#ff8a80", "warning": "#ffb74d", "ok": "#81c784", "muted": "#a8a8a8", "na": "#8a8a8a",
             "error_bg": "#5c2227", "warning_bg": "#4a3a1c"},
    "high_contrast": {"error": "#ff6e6e", "warning": "#ffff00", "ok": "#00ff66", "muted": "#e0e0e0",
                      "na": "#c0c0c0", "error_bg": "#7a0000", "warning_bg": "#5a4a00"},
}
SIZES = {"heading": 1.15, "title": 1.2, "big": 1.2, "small": 0.85}  # × the base font size

_state: dict[str, Any] = {"style": None, "palette": None, "scheme": "light", "connected": False}


def scheme() -> str:
    """The colour scheme in use: light, dark or high_contrast (``system`` resolved)."""
    return str(_state["scheme"])


def color(role: str) -> QColor:
    return QColor(ROLE_COLORS[scheme()][role])


def brush(role: str) -> QBrush:
    return QBrush(color(role))


def set_role(widget: QWidget, role: str | None) -> None:
    """The meaning of a label's text colour (error, warning, ok, muted, na); None: plain text."""
    if widget.property("role") != role:
        widget.setProperty("role", role)
        _repolish(widget)


def set_size(widget: QWidget, size: str) -> None:
    """A label's size relative to the font size Preferences sets (heading, title, big, small)."""
    widget.setProperty("scale", size)
    _repolish(widget)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def _system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def style_sheet(base_pt: float, name: str) -> str:
    colors = ROLE_COLORS[name]
    rules = [f'QLabel[role="{role}"] {{ color: {value}; }}' for role, value in colors.items()
             if not role.endswith("_bg")]
    rules += [f'QLabel[scale="{size}"] {{ font-size: {base_pt * k:.1f}pt; font-weight: bold; }}'
              for size, k in SIZES.items() if size != "small"]
    rules.append(f'QLabel[scale="small"] {{ font-size: {base_pt * SIZES["small"]:.1f}pt; }}')
    if name == "high_contrast":  # black fields on black: a white frame shows where to type
        rules.append("QLineEdit, QComboBox, QPlainTextEdit, QTextEdit "
                     "{ border: 1px solid #ffffff; }")
    return "\n".join(rules)


def palette(name: str) -> QPalette:
    (window, window_text, base, alt, text, button, button_text, highlight, highlighted, link, placeholder,
     disabled) = (QColor(c) for c in PALETTES[name])
    pal = QPalette()
    for role, value in ((R.Window, window), (R.WindowText, window_text), (R.Base, base), (R.AlternateBase, alt),
                        (R.Text, text), (R.Button, button), (R.ButtonText, button_text),
                        (R.Highlight, highlight), (R.HighlightedText, highlighted), (R.Link, link),
                        (R.PlaceholderText, placeholder), (R.ToolTipBase, base), (R.ToolTipText, text),
                        (R.BrightText, QColor("#ff5252"))):
        pal.setColor(role, value)
    for role in (R.WindowText, R.Text, R.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def apply(app: QApplication, font_size: int, theme: str) -> None:
    """Font size (points) and theme for every window of the application, at once."""
    if _state["style"] is None:  # what the platform gave us: "system" goes back to it
        _state["style"] = app.style().name() or "Fusion"  # "" behind a style sheet set by someone else
        _state["palette"] = QPalette(app.palette())
    # Under a style sheet Qt leaves the item views' fonts as they were: style and font first,
    # the sheet (colours and sizes of the labels that say what they are) last.
    app.setStyleSheet("")
    if theme == "system":
        app.setStyle(QStyleFactory.create(_state["style"]) or app.style())
        app.setPalette(_state["palette"])
        _state["scheme"] = "dark" if _system_is_dark() else "light"
    else:
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(palette(theme))
        _state["scheme"] = theme
    font = app.font()
    font.setPointSize(font_size)
    app.setFont(font)
    QApplication.sendPostedEvents()  # every widget has its new font before the sheet comes back
    app.setStyleSheet(style_sheet(font_size, scheme()))
    _follow_system(app)


def reset(app: QApplication) -> None:
    """Back to what the platform gave (tests: one test's theme is not the next one's)."""
    if _state["style"] is not None:
        app.setStyle(QStyleFactory.create(_state["style"]) or app.style())
        app.setPalette(_state["palette"])
    app.setStyleSheet("")
    _state["scheme"] = "light"


def apply_settings(app: QApplication, settings: Any) -> None:
    apply(app, int(settings.get("font_size")), str(settings.get("theme")))
    _state["settings"] = settings


def _follow_system(app: QApplication) -> None:
    """A system switching between light and dark re-applies "system" (Qt ≥ 6.5 tells us)."""
    hints = QGuiApplication.styleHints()
    if _state["connected"] or hints is None:
        return
    _state["connected"] = True

    def changed(*_args: Any) -> None:
        settings = _state.get("settings")
        if settings is not None and settings.get("theme") == "system":
            apply_settings(app, settings)

    hints.colorSchemeChanged.connect(changed)
