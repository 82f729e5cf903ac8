"""The Print page: batch printing of a register of cases or of all receipt slips of a day, off the
GUI thread with progress and cancel; the result is previewed, printed or saved. Also registers the
case action "Print…" (the form dialog of one case)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.i18n import LANGUAGE_NAMES, N_, _, pgettext
from migreg_desktop.storage import privacy
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import FORMS_QUEUE, JobFn, Task
from migreg_desktop.ui.pdf_preview import PdfPreview
from migreg_desktop.ui.registry import CaseAction, PageSpec, register_case_action, register_page

MODES = {"register": N_("Register of cases for a period"), "slips": N_("All receipt slips of a day")}


def _pydate(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class PrintPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self._tmp = privacy.temp_directory(prefix="batch-")  # not the shared system temp
        self._runs = 0
        self.out_path: Path | None = None
        self._build()
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self._language_changed)  # bound: dropped with the widget

    def _build(self) -> None:
        self.mode = QComboBox()
        for key in MODES:
            self.mode.addItem("", key)
        self.office = QLineEdit(self.ctx.office_code)
        today = QDate.currentDate()
        self.date_from, self.date_to, self.day = QDateEdit(QDate(today.year(), 1, 1)), QDateEdit(today), QDateEdit(today)
        for edit in (self.date_from, self.date_to, self.day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.lang = QComboBox()
        for lang in ("kk", "ru"):
            self.lang.addItem(LANGUAGE_NAMES[lang], lang)
        self.lang.setCurrentIndex(max(self.lang.findData(self.ctx.settings.get("language")), 0))
        self.form = QFormLayout()
        self.labels = {k: QLabel() for k in ("mode", "office", "from", "to", "day", "lang")}
        for key, widget in (("mode", self.mode), ("office", self.office), ("from", self.date_from),
                            ("to", self.date_to), ("day", self.day), ("lang", self.lang)):
            self.form.addRow(self.labels[key], widget)
        self.start_button, self.cancel_button = QPushButton(), QPushButton()
        self.print_button, self.save_button = QPushButton(), QPushButton()
        self.progress, self.status = QProgressBar(), QLabel()
        self.preview = PdfPreview(self)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.print_button.clicked.connect(self.preview.ask_print)
        self.save_button.clicked.connect(lambda: self.preview.ask_save(self._suggested_name()))
        self.mode.currentIndexChanged.connect(self._mode_changed)
        row = QHBoxLayout()
        for w in (self.start_button, self.cancel_button, self.progress, self.print_button, self.save_button):
            row.addWidget(w)
        fields = QWidget()
        fields.setLayout(self.form)
        fields.setMaximumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(fields)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        self._set_running(False)
        self._mode_changed()

    def _mode_changed(self) -> None:
        register = self.mode.currentData() == "register"
        for key, widget in (("from", self.date_from), ("to", self.date_to), ("day", self.day)):
            visible = register if key != "day" else not register
            widget.setVisible(visible)
            self.labels[key].setVisible(visible)

    def _suggested_name(self) -> str:
        return f"{self.mode.currentData()}-{self.office.text().strip()}.pdf"

    def _job(self) -> JobFn:
        """The batch as a function for the runner; it opens its own session (the GUI's session
        stays on the GUI thread)."""
        from migreg_desktop.forms import render_register
        from migreg_desktop.forms.batch import render_slips_of_day

        office, lang, out = self.office.text().strip().upper(), str(self.lang.currentData()), self.out_path
        assert out is not None  # start() chose the file first
        uow, register = self.ctx.work.for_actor(self.ctx.actor), self.mode.currentData() == "register"
        start, end, day = _pydate(self.date_from), _pydate(self.date_to), _pydate(self.day)

        def work(progress: Any, is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as session:
                if register:
                    return render_register(office, start, end, lang, out, session=session, progress=progress,
                                           cancelled=is_cancelled, output="window")
                return render_slips_of_day(office, day, lang, out, session=session, progress=progress,
                                           cancelled=is_cancelled, output="window")

        return work

    def start(self) -> Task:
        self._runs += 1
        self.out_path = Path(self._tmp.name) / f"batch-{self._runs}.pdf"
        self.preview.clear()
        self._set_running(True)
        self.status.setText(_("Printing…"))
        self.task = self.ctx.ops.run(self._job(), done=self._on_finished, failed=self._on_failed,
                                     progress=self._on_progress, cancelled=self._on_cancelled, name="batch print",
                                     queue=FORMS_QUEUE)
        return self.task

    def cancel(self) -> None:
        if self.task is not None and self.task.is_running():
            self.task.cancel()
            self.status.setText(_("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _on_finished(self, result: dict[str, Any]) -> None:
        self._set_running(False)
        if not result.get("pages"):
            self.status.setText(_("No cases in this period."))
            return
        self.preview.load(result["out"])
        self.status.setText(_("{cases} case(s), {pages} page(s)").format(**result))
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.status.setText(message)

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.status.setText(_("Printing was cancelled; no file was written."))

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        if running:
            self.progress.setValue(0)

    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for i in range(self.mode.count()):
            self.mode.setItemText(i, _(MODES[self.mode.itemData(i)]))
        texts = {"mode": _("Print"), "office": pgettext("print", "Office"), "from": _("From"), "to": _("To"),
                 "day": _("Day"), "lang": pgettext("print", "Language")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.start_button.setText(_("Start"))
        self.cancel_button.setText(_("Cancel"))
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save as…"))


def open_print_dialog(ctx: AppContext, case_id: str, parent: QWidget) -> Any:
    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(ctx, case_id, parent)
    dialog.open()
    return dialog


register_page(PageSpec(key="printing", title=N_("Printing"), order=70, factory=PrintPage))
register_case_action(CaseAction(key="print", title=N_("Print…"), order=50, run=open_print_dialog,
                                shortcut="Ctrl+P"))
