"""What the batch dialogs (print, status change) share: a job on the runner that Close or Esc
cancels while it runs, a message that is said again after a language switch, and one layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from migreg_desktop.ui.operations import Task


class JobDialog(QDialog):
    message: QLabel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        self._message: Callable[[], str] = lambda: ""

    def layout_job(self, summary: QWidget, rows: Sequence[tuple[QWidget, QWidget]], middle: Sequence[QWidget],
                   buttons: Sequence[QWidget]) -> QVBoxLayout:
        return _layout(self, summary, rows, middle, buttons)

    def _say(self, message: Callable[[], str]) -> None:
        """Kept as a function: a language switch says it again in the new language."""
        self._message = message
        self.message.setText(message())

    def _close_or_cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
        else:
            self.accept()

    def reject(self) -> None:
        if self.task is not None:  # Esc while it runs: cancel, and stay to say so
            self.task.cancel()
            return
        super().reject()


def _layout(dialog: QWidget, summary: QWidget, rows: Sequence[tuple[QWidget, QWidget]],
                      middle: Sequence[QWidget], buttons: Sequence[QWidget]) -> QVBoxLayout:
    """A batch job's dialog: what it acts on, its choices, the progress and messages, then the
    buttons on the right (the batch print and batch status dialogs)."""
    form = QFormLayout()
    for caption, field in rows:
        form.addRow(caption, field)
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    layout = QVBoxLayout(dialog)
    layout.addWidget(summary)
    layout.addLayout(form)
    for widget in middle:
        layout.addWidget(widget)
    layout.addStretch(1)
    layout.addLayout(row)
    return layout
