"""Preferences, generated from settings.REGISTRY (one declaration per setting, Conventions §1).

Two groups: what each clerk sets for themself (language, font size, colours …) and the office's
settings (lock, backups, reference data warning). Whether a setting may be changed here is given
to the dialog (``editable``, from the permissions table through ``ctx.may``); the dialog only
shows it read-only with the reason. Saving goes through ``save`` (the window passes the core's
``accounts.preferences.change`` in a unit of work), so the core refuses what the dialog let slip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import LANGUAGE_NAMES, _
from migreg_desktop.settings import REGISTRY, Setting, Settings
from migreg_desktop.storage import backup, privacy  # noqa: F401  (declare the office's settings)
from migreg_desktop.sync import refpack  # noqa: F401  (declares sync_refdata_max_age_days)
from migreg_desktop.ui import theme

if TYPE_CHECKING:
    from migreg_desktop.ui.context import AppContext

Save = Callable[[dict[str, Any]], list[str]]


def _editor(setting: Setting, parent: QWidget) -> QWidget:
    if setting.choices:
        return QComboBox(parent)  # items filled (translated) by retranslate_ui
    if setting.type is bool:
        return QCheckBox(parent)
    if setting.type is int:
        spin = QSpinBox(parent)
        spin.setRange(setting.minimum if setting.minimum is not None else 0,
                      setting.maximum if setting.maximum is not None else 1_000_000)
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


def _choice_text(setting: Setting, code: str) -> str:
    if setting.key == "language":
        return LANGUAGE_NAMES.get(code, code)
    return _(setting.choice_labels[code]) if setting.choice_labels and code in setting.choice_labels else code


def _save_directly(settings: Settings) -> Save:
    """Before the database is open (no account known yet): the personal settings only."""
    def save(values: dict[str, Any]) -> list[str]:
        changed = [k for k, v in values.items() if REGISTRY[k].action is None and v != settings.get(k)]
        for key in changed:
            settings.set(key, values[key])
        return changed
    return save


class PreferencesDialog(QDialog):
    applied = Signal(list)  # keys whose value changed

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 editable: dict[str, bool] | None = None, save: Save | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.save = save or _save_directly(settings)
        self.setObjectName("preferences")
        self.editors: dict[str, QWidget] = {}
        self.captions: dict[str, QLabel] = {}
        self.groups = {"own": QGroupBox(self), "office": QGroupBox(self)}
        forms = {name: QFormLayout(box) for name, box in self.groups.items()}
        for key, setting in REGISTRY.items():
            if setting.hidden:
                continue
            editor = _editor(setting, self)
            editor.setObjectName(f"setting:{key}")
            # No answer from the permissions table: only what needs no action can be changed.
            editor.setEnabled(editable.get(key, False) if editable is not None else setting.action is None)
            caption = QLabel(self)
            caption.setBuddy(editor)
            forms["office" if setting.action else "own"].addRow(caption, editor)
            self.editors[key], self.captions[key] = editor, caption
        self.note = QLabel(self)  # why some are grey
        self.note.setWordWrap(True)
        theme.set_role(self.note, "muted")
        self.note.setVisible(any(not e.isEnabled() for e in self.editors.values()))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        theme.set_role(self.error, "error")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        for box in self.groups.values():
            layout.addWidget(box)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        for key, editor in self.editors.items():
            _put(editor, settings.get(key))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Preferences"))
        self.groups["own"].setTitle(_("For you"))
        self.groups["office"].setTitle(_("For the whole office"))
        self.note.setText(_("Settings in grey are changed by an administrator."))
        for key, caption in self.captions.items():
            setting, editor = REGISTRY[key], self.editors[key]
            caption.setText(_(setting.label) + ":")
            tip = _(setting.description)
            if not editor.isEnabled():
                tip += "\n" + _("Needs an administrator.")
            editor.setToolTip(tip)
            if isinstance(editor, QComboBox) and setting.choices:
                current = editor.currentData()
                editor.clear()
                for code in setting.choices:
                    editor.addItem(_choice_text(setting, code), code)
                if current is not None:
                    _put(editor, current)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setText(_("Apply"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def values(self) -> dict[str, Any]:
        """What the clerk may change, as the editors hold it now."""
        return {key: _get(editor) for key, editor in self.editors.items() if editor.isEnabled()}

    def apply(self) -> bool:
        """Save and apply at once (font size and colours change while the dialog stays open)."""
        try:
            changed = self.save(self.values())
        except MigregError as exc:  # refused by the core (a permission, a bound): nothing saved
            self.error.setText(exc.message())
            self.error.show()
            return False
        self.error.hide()
        if changed:
            self.applied.emit(changed)
        if "language" in changed:
            self.retranslate_ui()
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()


def for_context(ctx: AppContext, parent: QWidget | None = None) -> PreferencesDialog:
    """The dialog for the working account: ``ctx.may_now`` (the permissions table) says which settings
    it may change; ``accounts.preferences.change`` saves them in a unit of work, which records
    them (the hub tells every page ``settingsChanged`` after the commit)."""
    from migreg_desktop.accounts import preferences

    may = ctx.may_now()
    editable = {s.key: s.action is None or may(s.action) for s in preferences.visible()}

    def save(values: dict[str, Any]) -> list[str]:
        with ctx.session() as s:
            return preferences.change(ctx.settings, values, session=s)

    return PreferencesDialog(ctx.settings, parent, editable=editable, save=save)
