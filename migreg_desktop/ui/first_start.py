"""First start: which office this computer works for, and the clerk's name."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _, current_language


class FirstStartDialog(QDialog):
    """Asks for the office (from the shipped reference data) and the clerk's name."""

    def __init__(self, offices: list[dict[str, Any]], clerk: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStart")
        self.offices = offices
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.office = QComboBox(self)
        self.office.setObjectName("office")
        self.clerk = QLineEdit(clerk, self)
        self.clerk.setObjectName("clerk")
        self.office_caption, self.clerk_caption = QLabel(self), QLabel(self)
        self.office_caption.setBuddy(self.office)
        self.clerk_caption.setBuddy(self.clerk)
        form = QFormLayout()
        form.addRow(self.office_caption, self.office)
        form.addRow(self.clerk_caption, self.clerk)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(640, 200)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        key = "name_kk" if current_language() == "kk" else "name_ru"
        current = self.office.currentData()
        self.office.clear()
        for o in self.offices:
            self.office.addItem(f"{o[key]} ({o['code']})", o["code"])
        self.office.setCurrentIndex(max(0, self.office.findData(current)))
        self.setWindowTitle(_("First start"))
        self.intro.setText(_("This computer has no case database yet. Choose the career centre it "
                             "works for; the choice cannot be changed later."))
        self.office_caption.setText(_("&Office:"))
        self.clerk_caption.setText(_("Your &name:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create database"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def office_code(self) -> str:
        return str(self.office.currentData())

    def clerk_name(self) -> str:
        return self.clerk.text().strip()
