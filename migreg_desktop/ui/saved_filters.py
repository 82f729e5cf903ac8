"""Saved filters of the case list: a small "Saved filters" menu to save the current filter under a
name, apply one, or delete one. Stored in the settings registry (``saved_filters``); a filter is
``services.case_list.CaseFilter`` (its SQL stays in the core)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMenu, QToolButton, QWidget

from migreg_desktop.cases.case_list import CaseFilter
from migreg_desktop.i18n import _

if TYPE_CHECKING:
    from migreg_desktop.settings import Settings

KEY = "saved_filters"
MAX_NAME = 60


def _ask_name(parent: QWidget) -> str | None:
    name, ok = QInputDialog.getText(parent, _("Save filter"), _("Name of the filter:"))
    return name if ok else None


class SavedFiltersButton(QToolButton):
    def __init__(self, settings: Settings, current: Callable[[], CaseFilter], apply: Callable[[CaseFilter], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.current, self.apply = settings, current, apply
        self.ask_name: Callable[[QWidget], str | None] = _ask_name  # tests replace it
        self.setObjectName("savedFilters")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.menu().aboutToShow.connect(self.fill_menu)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setText(_("Saved filters"))
        self.setToolTip(_("Save the current filter under a name, apply or delete a saved one"))

    def names(self) -> list[str]:
        return sorted(self.settings.get(KEY), key=str.casefold)

    def fill_menu(self) -> None:
        menu = self.menu()
        menu.clear()
        menu.addAction(_("Save current filter…"), self.save_current)
        names = self.names()
        if names:
            menu.addSeparator()
        for name in names:
            def apply(n: str = name) -> None:
                self.apply_saved(n)
            menu.addAction(name, apply)
        if names:
            delete = menu.addMenu(_("Delete"))
            for name in names:
                def remove(n: str = name) -> None:
                    self.delete(n)
                delete.addAction(name, remove)

    def save_current(self, name: str | None = None) -> str | None:
        name = (name if name is not None else self.ask_name(self)) or ""
        name = name.strip()[:MAX_NAME]
        if not name:
            return None
        saved = dict(self.settings.get(KEY))
        saved[name] = self.current().to_dict()
        self.settings.set(KEY, saved)
        return name

    def apply_saved(self, name: str) -> CaseFilter | None:
        doc = self.settings.get(KEY).get(name)
        if not isinstance(doc, dict):
            return None
        flt = CaseFilter.from_dict(doc)
        self.apply(flt)
        return flt

    def delete(self, name: str) -> None:
        saved = dict(self.settings.get(KEY))
        saved.pop(name, None)
        self.settings.set(KEY, saved)
