"""Pick a territory (KATO) by typing part of its name in Kazakh, Russian or Latin, or its code."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from migreg_desktop.i18n import _, current_language
from migreg_desktop.ui.context import AppContext

SEARCH_LIMIT = 40


def territory_text(t: Any, lang: str | None = None) -> str:
    """«Қаскелең · 195220100»: the name in kk (or ru for ru/en; the data has no English names)."""
    lang = lang or current_language()
    return f"{t.name(lang)} · {t.kato}"


class TerritoryPicker(QWidget):
    """A line edit with a search popup; ``kato()`` is the chosen code (None when empty)."""

    changed = Signal(object)  # KATO code or None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._kato: str | None = None
        self._found: list[tuple[str, str]] = []  # (text, kato) of the last search
        self.edit = QLineEdit(self)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("×")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+A, Del clears from the keyboard
        self.clear_button.clicked.connect(lambda: self.set_kato(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.edit)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self.completer)
        self.completer.activated[str].connect(self._chosen)  # type: ignore[index]  # overloaded signal: PySide6 stubs
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.search_now)
        self.edit.textEdited.connect(lambda _t: self._timer.start())
        self.edit.editingFinished.connect(self._commit_typed)
        # Tab must work like a click (issue 15): while the popup is open it holds the keyboard,
        # and QLineEdit emits no editingFinished when focus leaves for a popup.
        popup = self.completer.popup()  # the completer makes it on the first call
        assert popup is not None
        popup.installEventFilter(self)
        self.retranslate_ui()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and isinstance(watched, QAbstractItemView) and watched is self.completer.popup()):
            current = watched.currentIndex()
            watched.hide()
            if current.isValid():
                self._chosen(current.data())
            else:
                self._commit_typed()
            self.edit.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
            return True
        return super().eventFilter(watched, event)

    def retranslate_ui(self) -> None:
        self.edit.setPlaceholderText(_("Type a name or KATO code…"))
        self.clear_button.setToolTip(_("Clear"))
        self._show_current()

    def kato(self) -> str | None:
        return self._kato

    def set_kato(self, kato: str | None) -> None:
        kato = kato or None
        if kato != self._kato:
            self._kato = kato
            self.changed.emit(kato)
        self._show_current()

    def _show_current(self) -> None:
        if self._kato is None:
            self.edit.clear()
            return
        from migreg_desktop.models import Territory  # not on the first screen's path (issue 15)

        with self.ctx.session() as s:
            t = s.get(Territory, self._kato)
            self.edit.setText(territory_text(t) if t else self._kato)
        self.edit.setCursorPosition(0)

    def search_now(self) -> list[tuple[str, str]]:
        query = self.edit.text().strip()
        if not query:
            self._found = []
        else:
            from migreg_desktop.refdata import refdata

            with self.ctx.session() as s:
                found = refdata.search_territories(query, session=s, limit=SEARCH_LIMIT)
                self._found = [(territory_text(t), t.kato) for t in found]
        self._model.setStringList([text for text, _k in self._found])
        if self._found and self.edit.hasFocus():
            self.completer.complete()
        return self._found

    def _chosen(self, text: str) -> None:
        for shown, kato in self._found:
            if shown == text:
                self.set_kato(kato)
                return

    def _commit_typed(self) -> None:
        """Leaving the field: keep a complete pick, take a single match, else restore."""
        text = self.edit.text().strip()
        if not text:
            self.set_kato(None)
            return
        if self._kato and text == self.edit.text() and self._matches_current(text):
            return
        if self._timer.isActive():
            self._timer.stop()
            self.search_now()
        exact = [k for t, k in self._found if t == text or k == text]
        if exact or len(self._found) == 1:
            self.set_kato((exact or [self._found[0][1]])[0])
        else:
            self._show_current()

    def _matches_current(self, text: str) -> bool:
        from migreg_desktop.models import Territory

        with self.ctx.session() as s:
            t = s.get(Territory, self._kato)
            return t is not None and text == territory_text(t)
