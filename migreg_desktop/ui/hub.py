"""The window's signal hub: what a unit of work changed, as Qt signals delivered on the GUI thread.

``app.py`` builds the unit of work with ``notify=hub.apply``; a commit on a worker thread emits
here too, and Qt queues the signal to the GUI thread, so a worker's commit repaints safely.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from migreg_desktop.changes import Changes


class QtHub(QObject):
    caseChanged = Signal(str)
    casesReset = Signal()
    refdataChanged = Signal(str)
    quotaChanged = Signal(object)
    settingsChanged = Signal(str)
    languageChanged = Signal(str)
    signInAgain = Signal()  # the accounts may have changed (a restore): app.py asks who is working
    databaseOpened = Signal()  # the engine came after the first screen (app.py): writes may start

    def apply(self, done: Changes) -> None:
        """The unit of work's ``notify``: one signal per change, in the order they happened."""
        signals = {
            "case_changed": lambda p: self.caseChanged.emit(str(p)),
            "cases_reset": lambda _p: self.casesReset.emit(),
            "refdata_changed": lambda p: self.refdataChanged.emit(str(p)),
            "quota_changed": lambda p: self.quotaChanged.emit(p),
            "settings_changed": lambda p: self.settingsChanged.emit(str(p)),
        }
        try:
            for kind, payload in done.events:
                signals[kind](payload)
        except RuntimeError:  # the window is gone (a late worker): nobody to tell
            pass

    def emit_language(self, lang: str) -> None:
        self.languageChanged.emit(lang)
