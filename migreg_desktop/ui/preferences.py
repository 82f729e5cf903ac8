"""Preferences, generated from settings.REGISTRY (one declaration per setting, Conventions §1)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.i18n import LANGUAGE_NAMES, _
from migreg_desktop.settings import REGISTRY, Setting, Settings


def _editor(setting: Setting, parent: QWidget) -> QWidget:
    if setting.choices:
        combo = QComboBox(parent)
        for code in setting.choices:
            combo.addItem(LANGUAGE_NAMES.get(code, code) if setting.key == "language" else code, code)
        return combo
    if setting.type is bool:
        return QCheckBox(parent)
    if setting.type is int:
        spin = QSpinBox(parent)
        spin.setRange(0, 1_000_000)
        return spin
    return QLineEdit(parent)


def _get(widget: QWidget) -> Any:
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    assert isinstance(widget, QLineEdit)
    return widget.text().strip()


def _put(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))


class PreferencesDialog(QDialog):
    applied = Signal(list)  # keys whose value changed

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferences")
        self.editors: dict[str, QWidget] = {}
        self.captions: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, setting in REGISTRY.items():
            if setting.hidden:
                continue
            editor = _editor(setting, self)
            editor.setObjectName(f"setting:{key}")
            _put(editor, settings.get(key))
            caption = QLabel(self)
            caption.setBuddy(editor)
            form.addRow(caption, editor)
            self.editors[key], self.captions[key] = editor, caption
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Preferences"))
        for key, caption in self.captions.items():
            setting = REGISTRY[key]
            caption.setText(_(setting.label) + ":")
            self.editors[key].setToolTip(_(setting.description))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def accept(self) -> None:
        changed = []
        for key, editor in self.editors.items():
            value = _get(editor)
            if value != self.settings.get(key):
                self.settings.set(key, value)
                changed.append(key)
        super().accept()
        self.applied.emit(changed)
