"""The applicant's legal representative, for an applicant under 18 (Civil Code art. 17 ⚠; rule
``applicant_of_age``): who they are and the paper that makes them one. Case-level keys
``legal_representative`` and ``representative_basis`` of the `case add` document."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from migreg_desktop.fields import label
from migreg_desktop.i18n import _
from migreg_desktop.ui.forms import ErrorLabel

KEYS = ("legal_representative", "representative_basis")


class RepresentativeBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("representativeBox")
        self.fields: dict[str, QLineEdit] = {}
        self.captions: dict[str, QLabel] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #616161")
        grid = QGridLayout(self)
        grid.addWidget(self.hint, 0, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        for n, key in enumerate(KEYS):
            edit = QLineEdit(self)
            edit.setObjectName(key)
            caption, error = QLabel(self), ErrorLabel(self)
            caption.setBuddy(edit)
            error.setObjectName(f"error:{key}")
            grid.addWidget(caption, 1 + 2 * n, 0)
            grid.addWidget(edit, 1 + 2 * n, 1)
            grid.addWidget(error, 2 + 2 * n, 1)
            self.fields[key], self.captions[key], self.errors[key] = edit, caption, error
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Legal representative (applicant under 18)"))
        self.hint.setText(_("Only when the applicant is under 18 on the application date: full name of the "
                            "representative and the paper that makes them one (birth certificate, "
                            "guardianship decision)."))
        for key, caption in self.captions.items():
            caption.setText(label(key))

    def set_values(self, case: dict[str, Any]) -> None:
        for key, edit in self.fields.items():
            edit.setText(case.get(key) or "")

    def values(self) -> dict[str, Any]:
        return {key: edit.text().strip() or None for key, edit in self.fields.items()}
