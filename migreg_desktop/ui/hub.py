"""Bridge from the core's event hub (events.py) to Qt signals, delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..events import hub


class QtHub(QObject):
    caseChanged = Signal(str)
    casesReset = Signal()
    refdataChanged = Signal(str)
    quotaChanged = Signal(object)
    settingsChanged = Signal(str)
    languageChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # Signals are queued across threads, so a worker's commit repaints safely.
        hub.connect("case_changed", lambda cid: self.caseChanged.emit(str(cid)))
        hub.connect("cases_reset", lambda _p: self.casesReset.emit())
        hub.connect("refdata_changed", lambda name: self.refdataChanged.emit(str(name)))
        hub.connect("quota_changed", lambda key: self.quotaChanged.emit(key))
        hub.connect("settings_changed", lambda key: self.settingsChanged.emit(str(key)))

    def emit_language(self, lang: str) -> None:
        self.languageChanged.emit(lang)


