"""Lock the window after a pause (issue 7 §5): the data is hidden until the same user's
password is typed again. The pause is the setting ``lock_after_minutes`` (0: never)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from migreg_desktop.storage import privacy  # noqa: F401  (declares the setting lock_after_minutes)
from migreg_desktop.ui.context import AppContext

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                QEvent.Type.MouseMove, QEvent.Type.TouchBegin}


class IdleLock(QObject):
    """Watches the application's input; on timeout hides ``window`` and asks to unlock."""

    locked = Signal()
    unlocked = Signal()
    quitRequested = Signal()

    def __init__(self, window: QWidget, ctx: AppContext, timeout_ms: int | None = None) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        minutes = ctx.settings.get("lock_after_minutes")
        self.timeout_ms = timeout_ms if timeout_ms is not None else max(0, minutes) * 60_000
        self.dialog: QDialog | None = None
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.lock)
        self._watching = False
        self._watch()
        if timeout_ms is None:  # an admin's change in Preferences holds at once (issue 15)
            ctx.hub.settingsChanged.connect(self._setting_changed)

    def _watch(self) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if self.timeout_ms and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        elif not self.timeout_ms and self._watching:
            app.removeEventFilter(self)
            self._watching = False
        if self.timeout_ms:
            self.timer.start(self.timeout_ms)
        else:
            self.timer.stop()

    def _setting_changed(self, key: str) -> None:
        if key == "lock_after_minutes":
            self.timeout_ms = max(0, self.ctx.settings.get(key)) * 60_000
            self._watch()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in INPUT_EVENTS and not self.is_locked:
            self.timer.start(self.timeout_ms)
        return False

    def lock(self) -> None:
        from migreg_desktop.ui.login import LoginDialog

        if self.is_locked:
            return
        self.window.hide()  # nothing personal stays on the screen
        self.dialog = LoginDialog(self.ctx.engine, None, locked_user=self.ctx.actor)
        self.dialog.accepted.connect(self._unlock)
        self.dialog.rejected.connect(self.quitRequested)
        self.locked.emit()
        self.dialog.open()

    def _unlock(self) -> None:
        self.dialog = None
        self.window.show()
        self.timer.start(self.timeout_ms)
        self.unlocked.emit()
