"""Bridge from the core's event hub (events.py) to Qt signals, delivered on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..events import hub

Pairs = list[tuple[str, Callable[[Any], None]]]


def _disconnect(pairs: Pairs, *_args: object) -> None:
    for name, listener in pairs:
        hub.disconnect(name, listener)
    pairs.clear()


class QtHub(QObject):
    caseChanged = Signal(str)
    casesReset = Signal()
    refdataChanged = Signal(str)
    quotaChanged = Signal(object)
    settingsChanged = Signal(str)
    languageChanged = Signal(str)
    signInAgain = Signal()  # the accounts may have changed (a restore): app.py asks who is working

    def __init__(self) -> None:
        super().__init__()
        # Signals are queued across threads, so a worker's commit repaints safely.
        self._pairs: Pairs = [
            ("case_changed", lambda cid: self._emit(self.caseChanged, str(cid))),
            ("cases_reset", lambda _p: self._emit(self.casesReset)),
            ("refdata_changed", lambda name: self._emit(self.refdataChanged, str(name))),
            ("quota_changed", lambda key: self._emit(self.quotaChanged, key)),
            ("settings_changed", lambda key: self._emit(self.settingsChanged, str(key))),
        ]
        for name, listener in self._pairs:
            hub.connect(name, listener)
        # The core hub outlives windows: a destroyed bridge must stop listening, or events
        # reach deleted C++ objects (a fatal error at interpreter exit).
        self.destroyed.connect(partial(_disconnect, self._pairs))

    def _emit(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the C++ side is gone already
            _disconnect(self._pairs)

    def close(self) -> None:
        _disconnect(self._pairs)

    def emit_language(self, lang: str) -> None:
        self.languageChanged.emit(lang)
