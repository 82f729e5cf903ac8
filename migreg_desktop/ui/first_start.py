"""First start: the window's language, which office this computer works for, the clerk's name.

Nothing is preselected (the choice can't be changed later, so it must be made on purpose), and
the office box finds a centre by any part of its name as typed in Kazakh or Russian (issue 15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop import i18n, paths
from migreg_desktop.i18n import _, current_language

if TYPE_CHECKING:
    from migreg_desktop.settings import Settings


def system_language() -> str:
    """Kazakh on a Kazakh system, else Russian (the oblast's two working languages)."""
    return "kk" if QLocale.system().name().startswith("kk") else "ru"


class FirstStartDialog(QDialog):
    """Asks for the language, the office (shipped reference data) and the clerk's name."""

    def __init__(self, offices: list[dict[str, Any]], clerk: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStart")
        self.offices = offices
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code in ("kk", "ru", "en"):
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.office = self._office_box()
        self.clerk = QLineEdit(clerk, self)
        self.clerk.setObjectName("clerk")
        self.language_caption, self.office_caption, self.clerk_caption = QLabel(self), QLabel(self), QLabel(self)
        form = QFormLayout()
        for caption, field in ((self.language_caption, self.language), (self.office_caption, self.office),
                               (self.clerk_caption, self.clerk)):
            caption.setBuddy(field)
            form.addRow(caption, field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(640, 220)
        self.retranslate_ui()

    def _office_box(self) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName("office")
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = box.completer()  # an editable box has one
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # «Конаев» finds «Карьерный центр города Конаев»
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        box.currentIndexChanged.connect(lambda _i: self._update_ok())
        box.editTextChanged.connect(lambda _t: self._update_ok())
        return box

    def _language_chosen(self, _index: int) -> None:
        i18n.set_language(self.chosen_language())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        key = "name_kk" if current_language() == "kk" else "name_ru"
        current = self.office.currentData() if self.office.currentIndex() >= 0 else None
        self.office.blockSignals(True)
        self.office.clear()
        for o in sorted(self.offices, key=lambda o: (o["kind"] == "oblast", o[key])):
            self.office.addItem(f"{o[key]} ({o['code']})", o["code"])
        self.office.setCurrentIndex(self.office.findData(current) if current else -1)
        self.office.blockSignals(False)
        line = self.office.lineEdit()  # editable: it has one
        assert line is not None
        line.setPlaceholderText(_("Type part of the name…"))
        self.setWindowTitle(_("First start"))
        self.intro.setText(_("This computer has no case database yet. Choose the career centre it "
                             "works for; the choice cannot be changed later."))
        self.language_caption.setText(_("&Language:"))
        self.office_caption.setText(_("&Office:"))
        self.clerk_caption.setText(_("Your &name:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create database"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.office_code() is not None)

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def office_code(self) -> str | None:
        """The chosen office, only when the box shows exactly one of the listed centres."""
        index = self.office.findText(self.office.currentText(), Qt.MatchFlag.MatchExactly)
        return str(self.office.itemData(index)) if index >= 0 else None

    def clerk_name(self) -> str:
        return self.clerk.text().strip()


def offices_from_reference() -> list[dict[str, Any]]:
    """The offices of the shipped reference data (no database needed yet)."""
    from migreg_desktop.refdata.refdata import read_dataset

    return list(read_dataset(paths.resource("refdata", "territories.json"))["offices"])


def ask_first_start(settings: Settings) -> str | None:
    """No database yet: ask which office this computer works for. None if the clerk cancels."""
    dialog = FirstStartDialog(offices_from_reference(), settings.get("clerk_name"))
    if dialog.exec() != dialog.DialogCode.Accepted:
        return None
    settings.set("language", dialog.chosen_language())
    if dialog.clerk_name():
        settings.set("clerk_name", dialog.clerk_name())
    return dialog.office_code()
