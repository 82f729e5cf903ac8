"""The Users page (issue 7 §1): the admin adds, disables (never deletes) and resets accounts and
changes roles; everyone can change their own password here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.accounts import accounts
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, fmt_datetime
from migreg_desktop.ui.account_dialogs import AddAccountDialog, DetailsDialog, PasswordDialog
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.registry import PageSpec, register_page

HEADERS = (N_("User"), N_("Full name"), N_("Position"), N_("Role"), N_("State"), N_("Last sign-in"))


class UsersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPage")
        self.ctx = ctx
        self.dialog: QWidget | None = None
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button, self.disable_button, self.reset_button, self.role_button, self.own_button = (
            QPushButton(self) for _i in range(5))
        self.details_button = QPushButton(self)  # full name and position (issue 14)
        self.details_button.setObjectName("detailsButton")
        self.note, self.message = QLabel(self), QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.note.setWordWrap(True)  # a long sentence wraps, never widens the window (150 %: ~910 px)
        # Everyone's own button beside the note, the admin's four below the table: no single row of
        # five buttons that a 1366×768 laptop at 150 % cannot hold next to the navigation (issue 15).
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.own_button)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.details_button, self.disable_button, self.reset_button, self.role_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.open_add)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.details_button.clicked.connect(self.open_details)
        self.reset_button.clicked.connect(self.open_reset)
        self.role_button.clicked.connect(self.cycle_role)
        self.own_button.clicked.connect(self.open_own_password)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        ctx.hub.languageChanged.connect(self._language_changed)
        self.retranslate_ui()

    def is_admin(self) -> bool:
        return self.ctx.may("user.manage")

    def reload(self) -> None:
        admin = self.is_admin()
        with self.ctx.session() as s:
            rows = [accounts.account_dict(a) for a in accounts.list_accounts(session=s)] if admin else []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            state = _("disabled") if row["disabled"] else _("active")
            last = fmt_datetime(row["last_login_at"].astimezone()) if row["last_login_at"] else ""
            for c, text in enumerate((row["name"], row["full_name"], row["position"],
                                      accounts.role_label(row["role"]), state, last)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        for b in (self.add_button, self.details_button, self.disable_button, self.reset_button, self.role_button):
            b.setVisible(admin)
        self.table.setVisible(admin)
        self.note.setText(_("Accounts are never deleted: the audit trail names them. "
                            "Disable an account instead.") if admin else
                          _("Only the admin manages accounts."))
        self._update_buttons()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.text() if item is not None else None

    def select(self, name: str | None) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == name:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        for b in (self.details_button, self.disable_button, self.reset_button, self.role_button):
            b.setEnabled(chosen is not None)
        if chosen:
            with self.ctx.session() as s:
                disabled = accounts.get(chosen, session=s).disabled
            self.disable_button.setText(_("Enable") if disabled else _("Disable"))

    def _apply(self, action) -> None:  # noqa: ANN001
        name = self.selected()
        try:
            with self.ctx.session() as s:
                action(name, s)
        except MigregError as exc:
            self.message.setText(exc.message())
            return
        self.message.clear()
        self.reload()
        self.select(name)

    def toggle_disabled(self) -> None:
        self._apply(lambda name, s: accounts.set_disabled(
            name, not accounts.get(name, session=s).disabled, session=s))

    def cycle_role(self) -> None:
        """clerk → head → admin → clerk (the last active admin stays admin)."""
        def next_role(name: str, s) -> None:  # noqa: ANN001
            role = accounts.get(name, session=s).role
            accounts.set_role(name, accounts.ROLES[(accounts.RANK[role] + 1) % 3], session=s)
        self._apply(next_role)

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.accepted.connect(self.reload)
        dialog.open()
        return dialog

    def open_add(self) -> QWidget:
        return self._open(AddAccountDialog(self.ctx, self))

    def open_details(self) -> QWidget:
        return self._open(DetailsDialog(self.ctx, self.selected() or "", self))

    def open_reset(self) -> QWidget:
        return self._open(PasswordDialog(self.ctx, self.selected() or "", own=False, parent=self))

    def open_own_password(self) -> QWidget:
        return self._open(PasswordDialog(self.ctx, self.ctx.actor, own=True, parent=self))

    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.add_button.setText(_("Add an account…"))
        self.details_button.setText(_("Full name and position…"))
        self.reset_button.setText(_("New password…"))
        self.role_button.setText(_("Change role"))
        self.own_button.setText(_("Change my password…"))
        self.disable_button.setText(_("Disable"))
        self.reload()


register_page(PageSpec(key="users", title=N_("Users"), order=850, factory=UsersPage, action="user.manage"))
