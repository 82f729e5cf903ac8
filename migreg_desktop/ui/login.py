"""The login dialog (before any data is shown), the first-start admin dialog, and the unlock
dialog of the idle lock (issue 7 §1, §5).

app.py calls ``require_login(engine, settings, parent)`` before attaching any page; it returns
the logged-in ``LoginOutcome`` or None (quit). ``engine`` may be a function that waits for the
engine: then the dialog shows at once while the database opens on a worker, and waits for it only
when the clerk presses Sign in (issue 15: the first screen does not wait for SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop import i18n
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import _
from migreg_desktop.settings import Settings
from migreg_desktop.ui import theme

if TYPE_CHECKING:  # the database layers are imported when the clerk signs in, not before
    from sqlalchemy.engine import Engine

EngineSource = Union["Engine", Callable[[], "Engine"]]  # an engine, or a function that waits for it


@dataclass(frozen=True)
class LoginOutcome:
    name: str
    role: str  # clerk | head | admin


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _Dialog(QDialog):
    """Shared frame: intro, form, red message line, OK/Cancel, live language switch."""

    languageSwitched = Signal(str)

    def __init__(self, engine: EngineSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine_source = engine
        self.outcome: LoginOutcome | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        theme.set_role(self.message, "error")
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.currentIndexChanged.connect(self._switch_language)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.language, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _switch_language(self, _index: int) -> None:
        lang = self.language.currentData()
        i18n.set_language(lang)
        self.retranslate_ui()
        self.languageSwitched.emit(lang)

    @property
    def engine(self) -> Engine:
        """The engine; still opening: wait for it (by now it usually is there)."""
        source = self._engine_source
        if callable(source):
            self._engine_source = source = source()
        return source

    def ok_button(self):  # noqa: ANN201
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate_ui(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit"))

    def try_accept(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class LoginDialog(_Dialog):
    """User name and password; wrong password, disabled or locked account say so in red.
    ``locked_user``: the idle lock's unlock mode (the same user, the password only)."""

    def __init__(self, engine: EngineSource, parent: QWidget | None = None, user: str = "",
                 locked_user: str | None = None) -> None:
        super().__init__(engine, parent)
        self.setObjectName("loginDialog")
        self.locked_user = locked_user
        self.user = QLineEdit(locked_user or user, self)
        self.user.setObjectName("user")
        self.user.setReadOnly(locked_user is not None)
        self.password = _password_field(self, "password")
        self.user_caption, self.password_caption = QLabel(self), QLabel(self)
        self.user_caption.setBuddy(self.user)
        self.password_caption.setBuddy(self.password)
        self.form.addRow(self.user_caption, self.user)
        self.form.addRow(self.password_caption, self.password)
        self._wait = 0
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick)
        (self.password if locked_user or user else self.user).setFocus()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("Locked") if self.locked_user else _("Sign in"))
        self.intro.setText(_("The window was locked after a pause. Enter your password to go on.")
                           if self.locked_user else
                           _("Personal data of applicants: sign in with your own account."))
        self.user_caption.setText(_("&User:"))
        self.password_caption.setText(_("&Password:"))
        self.ok_button().setText(_("Unlock") if self.locked_user else _("Sign in"))

    def try_accept(self) -> None:
        if self._wait:
            return
        from migreg_desktop.accounts import accounts
        from migreg_desktop.storage.db import session_scope

        with session_scope(self.engine, actor=self.user.text().strip()) as session:
            result = accounts.login(self.user.text(), self.password.text(), session=session, via="window")
            account = result.account if result.ok else None
            outcome = LoginOutcome(account.name, account.role) if account is not None else None
        # committed: failed attempts stay in the audit trail even though the dialog stays open
        self.password.clear()
        if outcome is not None:
            self.outcome = outcome
            self.message.clear()
            self.accept()
            return
        self.message.setText(result.error().message())
        if result.reason == "locked":
            self._wait = result.retry_after
            self.ok_button().setEnabled(False)
            self._countdown.start()

    def _tick(self) -> None:
        self._wait = max(0, self._wait - 1)
        if not self._wait:
            self._countdown.stop()
            self.ok_button().setEnabled(True)
            self.message.clear()


class SetupAdminDialog(_Dialog):
    """First start: no account yet, so the first one is the admin's (set-up mode)."""

    def __init__(self, engine: EngineSource, parent: QWidget | None = None, user: str = "") -> None:
        super().__init__(engine, parent)
        self.setObjectName("setupAdminDialog")
        self.user = QLineEdit(user, self)
        self.user.setObjectName("user")
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("fullName")
        self.position = QLineEdit(self)  # issue 14: papers name the admin by full name and position
        self.position.setObjectName("position")
        self.password = _password_field(self, "password")
        self.repeat = _password_field(self, "repeat")
        self.captions = [QLabel(self) for _i in range(5)]
        for caption, edit in zip(self.captions, (self.user, self.full_name, self.position, self.password,
                                                 self.repeat), strict=True):
            caption.setBuddy(edit)
            self.form.addRow(caption, edit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        from migreg_desktop.accounts.accounts import MIN_PASSWORD

        super().retranslate_ui()
        self.setWindowTitle(_("Create the admin account"))
        self.intro.setText(_("No account exists yet. Create the admin's account: the admin adds "
                             "the clerks' accounts, makes backups and restores them. "
                             "Passwords need at least {n} characters.").format(n=MIN_PASSWORD))
        for caption, text in zip(self.captions, (_("&User:"), _("Full &name:"), _("P&osition:"), _("&Password:"),
                                                 _("&Repeat password:")), strict=True):
            caption.setText(text)
        self.ok_button().setText(_("Create and sign in"))

    def try_accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(_("The two passwords differ."))
            return
        from migreg_desktop.accounts import accounts
        from migreg_desktop.storage.db import session_scope

        try:
            with session_scope(self.engine, actor=self.user.text().strip()) as session:
                account = accounts.add_account(self.user.text(), "admin", self.password.text(),
                                               session=session, full_name=self.full_name.text(),
                                               position=self.position.text())
                self.outcome = LoginOutcome(account.name, account.role)
            with session_scope(self.engine, actor=account.name) as session:
                accounts.login(account.name, self.password.text(), session=session, via="window")
        except MigregError as exc:
            self.message.setText(exc.message())
            return
        self.accept()


def login_dialog_for(engine: EngineSource, settings: Settings, parent: QWidget | None = None) -> _Dialog:
    """The dialog the start-up needs: first-admin creation in set-up mode, else the login."""
    setup = _setup_mode(engine)
    user = settings.get("clerk_name") or ""
    return SetupAdminDialog(engine, parent, user) if setup else LoginDialog(engine, parent, user)


def _setup_mode(engine: EngineSource) -> bool:
    if callable(engine):  # still opening: the accounts' state from a plain read (accounts/at_start.py)
        from migreg_desktop.accounts import at_start
        from migreg_desktop.storage.reader import reading

        with reading() as db:
            setup = at_start.setup_mode(db)
        if setup is not None:
            return setup
        engine = engine()  # wiped: the full path says so and marks the file damaged
    from migreg_desktop.accounts import accounts
    from migreg_desktop.storage.db import session_scope

    with session_scope(engine) as session:
        return accounts.in_setup_mode(session=session)


def require_login(engine: EngineSource, settings: Settings, parent: QWidget | None = None) -> LoginOutcome | None:
    """Modal: ask who is working before any data is shown. None: the user quit (or the
    accounts were wiped behind the program's back: said so)."""
    try:
        dialog = login_dialog_for(engine, settings, parent)
    except MigregError as exc:
        QMessageBox.critical(parent, _("Cannot sign in"), exc.message())
        return None
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if dialog.outcome:
        settings.set("clerk_name", dialog.outcome.name)
        settings.set("language", i18n.current_language())
    return dialog.outcome
