"""What a clerk sees on screen, read back from the widget tree: every text a window shows (labels,
buttons, tabs, group boxes, titles, placeholders, tooltips, item-view headers and cells) and the
words in it that are English (kk and ru screens must have none), and windows too big for a laptop."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabBar,
    QWidget,
)

# The usable screen of a 1366×768 laptop under a 40 px taskbar (issue 15), and a real window
# frame: offscreen windows have next to none, Windows 10 puts a ~31 px title bar and 1 px borders.
SCREEN = QSize(1366, 728)
FRAME = QSize(2, 32)
# Codes and abbreviations that are the same in every language, and the test data's Latin names.
ALLOWED = {"IIN", "KATO", "PDF", "QR", "XLSX", "ALM", "KNV", "ALM-KNV", "tester", "admin", "migreg", "pdf",
           "xlsx", "json", "Qt", "UUID", "SHA", "OK", "ID", "KZ", "CSV", "Ctrl", "Shift", "Alt", "Enter", "Esc",
           "Insert", "Delete", "PgUp", "PgDn", "Tab", "Del", "Ins"}
# Proper names: the language menu's autonym and the e-government portal.
ALLOWED |= {"English", "egov", "kz", "Excel"}  # names of things, the same in every language
# The column names a settlement-list file must carry (the import wizard names them as they are).
ALLOWED |= {"year", "kato", "kind", "potential", "fixed_on", "source"}
CASE_NUMBER = re.compile(r"\b[A-Z]{2,5}(-[A-Z0-9]+)+\b")
FILE = re.compile(r"[\w.\-/*]*\.(migreg|pdf|xlsx|json|csv|zip|bak|db)\b|\S+@\S+|[A-Za-z]:\\\S+|/\S+")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
TAG = re.compile(r"<[^>]+>")
ROWS = 400  # item-view cells read per view (the audit trail of a fresh office fits)
SHORT_YEAR = re.compile(r"(?<![\d.])\d{2}\.\d{2}\.\d{2}(?![\d.])")  # 14.11.26


def _item_texts(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    if isinstance(view, QListWidget):
        for row in range(min(view.count(), ROWS)):
            yield "cell", view.item(row).text()
        return
    model = view.model()
    if model is None:
        return
    hidden = getattr(view, "isColumnHidden", lambda _c: False)
    root = view.rootIndex()
    for col in range(model.columnCount(root)):
        if hidden(col):
            continue
        header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        head = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if head is not None and header is not None and header().isVisible():
            yield "header", str(head)
        for row in range(min(model.rowCount(root), ROWS)):
            value = model.data(model.index(row, col, root), Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield "cell", value


def texts(root: QWidget) -> Iterator[tuple[str, str, str]]:
    """(widget name, what, text) for everything visible in root."""
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        name = f"{type(w).__name__}:{w.objectName()}"
        if w.isWindow():
            yield name, "title", w.windowTitle()
        if w.toolTip():
            yield name, "tooltip", w.toolTip()
        if isinstance(w, QLabel):
            yield name, "label", w.text()
        elif isinstance(w, QAbstractButton):
            yield name, "button", w.text()
        elif isinstance(w, QGroupBox):
            yield name, "group", w.title()
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield name, "tab", w.tabText(i)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield name, "item", w.itemText(i)
        elif isinstance(w, QLineEdit):
            yield name, "placeholder", w.placeholderText()
            if w.isReadOnly():
                yield name, "text", w.text()
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
            for what, text in _item_texts(w):
                yield name, what, text


def english_words(text: str) -> list[str]:
    text = TAG.sub(" ", text.replace("&&", "&").replace("&", ""))
    text = FILE.sub(" ", CASE_NUMBER.sub(" ", text))
    return [w for w in WORD.findall(text) if w not in ALLOWED and w.strip("_") not in ALLOWED]


def english_on_screen(root: QWidget) -> list[str]:
    found = []
    for name, what, text in texts(root):
        words = english_words(text) + [f"two-digit year {d}" for d in SHORT_YEAR.findall(text)]
        if words:
            found.append(f"{name} {what}: {text[:90]!r} → {words}")
    return found


def too_big(window: QWidget) -> list[str]:
    """The window's frame and what its layout needs at least, against the laptop's screen."""
    problems = []
    sizes = {"frame": window.geometry().size(), "minimumSizeHint": window.minimumSizeHint(),
             "minimumSize": window.minimumSize()}
    for what, client in sizes.items():
        size = client + FRAME
        if size.width() > SCREEN.width() or size.height() > SCREEN.height():
            problems.append(f"{type(window).__name__} {window.windowTitle()!r} {what} "
                            f"{size.width()}×{size.height()} > {SCREEN.width()}×{SCREEN.height()}")
    return problems
