"""Every person field of one family member (the table shows only the common ones)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from migreg_desktop.i18n import _
from migreg_desktop.ui.person_form import PersonForm


class MemberDialog(QDialog):
    def __init__(self, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberDialog")
        self.relation = values.get("relation")
        self.form = PersonForm("member", self)
        self.form.set_values(values)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Family member"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.resize(900, 420)

    def values(self) -> dict[str, Any]:
        return {**self.form.values(), "relation": self.relation}


def edit_member(parent: QWidget, values: dict[str, Any]) -> dict[str, Any] | None:
    dialog = MemberDialog(values, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
