"""Dialogs of the Users page: add an account, change its full name and position (printed on
papers instead of the login, issue 14), set a password (own change or admin reset)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

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

if TYPE_CHECKING:
    from sqlmodel import Session

W = TypeVar("W", bound=QWidget)


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

    def row(self, text: str, widget: W) -> W:
        self.form.addRow(text, widget)
        return widget

    def password_field(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def run(self, action: Callable[[Session], object]) -> None:
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
        self.position = self.row(_("Position:"), QLineEdit(self))
        self.position.setObjectName("position")
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
                                                full_name=self.full_name.text(), position=self.position.text()))


class DetailsDialog(_Form):
    """How papers and the status bar name the clerk: full name and position (issue 14)."""

    def __init__(self, ctx: AppContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("accountDetailsDialog")
        self.name = name
        self.setWindowTitle(_("Full name and position of {name}").format(name=name))
        with ctx.session() as s:
            account = accounts.get(name, session=s)
            full_name, position = account.full_name, account.position
        self.full_name = self.row(_("Full name:"), QLineEdit(full_name, self))
        self.full_name.setObjectName("fullName")
        self.position = self.row(_("Position:"), QLineEdit(position, self))
        self.position.setObjectName("position")
        hint = QLabel(_("Printed documents and the window's status bar show the full name and the position, "
                        "never the login."), self)
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def try_accept(self) -> None:
        self.run(lambda s: accounts.set_details(self.name, session=s, full_name=self.full_name.text(),
                                                position=self.position.text()))


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
