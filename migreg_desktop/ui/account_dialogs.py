"""Dialogs of the Users page: add an account, set a password (own change or admin reset)."""

from __future__ import annotations

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

from migreg_desktop.accounts import accounts
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import _
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext


class _Form(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        theme.set_role(self.message, "error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def row(self, text: str, widget: QWidget) -> QWidget:
        self.form.addRow(text, widget)
        return widget

    def password_field(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def run(self, action) -> None:  # noqa: ANN001
        try:
            with self.ctx.session() as s:
                action(s)
        except MigregError as exc:
            self.message.setText(exc.message())
            return
        self.accept()

    def try_accept(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class AddAccountDialog(_Form):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("addAccountDialog")
        self.setWindowTitle(_("Add an account"))
        self.name = self.row(_("User:"), QLineEdit(self))
        self.full_name = self.row(_("Full name:"), QLineEdit(self))
        self.role = self.row(_("Role:"), QComboBox(self))
        for role in accounts.ROLES:
            self.role.addItem(accounts.role_label(role), role)
        self.password = self.row(_("Password:"), self.password_field("password"))
        self.repeat = self.row(_("Repeat password:"), self.password_field("repeat"))

    def try_accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(_("The two passwords differ."))
            return
        self.run(lambda s: accounts.add_account(self.name.text(), self.role.currentData(),
                                                self.password.text(), session=s,
                                                full_name=self.full_name.text()))


class PasswordDialog(_Form):
    """``own``: the user changes their own password (the current one is asked); else an admin
    resets ``name``'s password."""

    def __init__(self, ctx: AppContext, name: str, own: bool, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("passwordDialog")
        self.name, self.own = name, own
        self.setWindowTitle(_("Change my password") if own else
                            _("New password for {name}").format(name=name))
        self.current = self.row(_("Current password:"), self.password_field("current")) if own else None
        self.password = self.row(_("New password:"), self.password_field("password"))
        self.repeat = self.row(_("Repeat password:"), self.password_field("repeat"))

    def try_accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(_("The two passwords differ."))
            return
        old = self.current.text() if self.current is not None else None
        self.run(lambda s: accounts.set_password(self.name, self.password.text(), session=s,
                                                 old_password=old))
