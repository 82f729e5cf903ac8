"""Print one form for every selected case (issue 15): one PDF, in Kazakh, Russian or both, made on
the window's runner with progress and Cancel (a cancelled job leaves no file). *Save as PDF…*
writes the chosen file; *Print…* makes the PDF in the program's private temp folder and sends it
to the system print dialog. Each case printed is audited like a single print (forms/print_audit)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from migreg_desktop.cases import selection
from migreg_desktop.forms.batch import audit_printed, batch_forms, render_cases
from migreg_desktop.i18n import LANGUAGE_NAMES, N_, _, current_language, fmt_number, ngettext
from migreg_desktop.storage import privacy
from migreg_desktop.ui import window_size
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.job_dialog import JobDialog
from migreg_desktop.ui.operations import FORMS_QUEUE, Task
from migreg_desktop.ui.pdf_preview import PdfPreview

BOTH = N_("Kazakh and Russian (two copies of each form)")


class BatchPrintDialog(JobDialog):
    def __init__(self, ctx: AppContext, case_ids: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_ids = ctx, list(case_ids)
        self.out: Path | None = None
        self._tmp = privacy.temp_directory(prefix="batch-print-")  # not the shared system temp
        with ctx.session() as s:
            self.forms = batch_forms(selection.kinds_of(self.case_ids, db=s))
        self._build()
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self._language_changed)  # bound: dropped with the dialog

    def _build(self) -> None:
        self.form_label, self.lang_label, self.summary = QLabel(), QLabel(), QLabel()
        self.form_box, self.lang_box = QComboBox(), QComboBox()
        for name, _title in self.forms:
            self.form_box.addItem("", name)
        for lang in ("kk", "ru", "both"):
            self.lang_box.addItem("", lang)
        self.lang_box.setCurrentIndex(max(self.lang_box.findData(current_language()), 0))  # the clerk's
        self.form_label.setBuddy(self.form_box)
        self.lang_label.setBuddy(self.lang_box)
        self.progress, self.message = QProgressBar(), QLabel()
        self.progress.setVisible(False)
        self.message.setWordWrap(True)
        self.preview = PdfPreview(self)  # never shown: it holds the PDF for the system print dialog
        self.preview.setVisible(False)
        self.preview.printed.connect(lambda _pages: self._audit("printer"))
        self.save_button, self.print_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.ask_save)
        self.print_button.clicked.connect(self.print_all)
        self.close_button.clicked.connect(self._close_or_cancel)
        self.layout_job(self.summary, [(self.form_label, self.form_box), (self.lang_label, self.lang_box)],
                          [self.progress, self.message], [self.save_button, self.print_button, self.close_button])
        window_size.fit(self, QSize(560, 260))

    def form_name(self) -> str:
        return str(self.form_box.currentData())

    def language(self) -> str:
        return str(self.lang_box.currentData())

    # ---- making the PDF ---------------------------------------------------------------------------
    def ask_save(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Save as"), f"{self.form_name()}.pdf", _("PDF files (*.pdf)"))
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> Task:
        path = path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")
        return self._make(path, "file", self._saved)

    def print_all(self) -> Task:
        """The PDF first (off the GUI thread), then the system print dialog; audited once printed."""
        return self._make(Path(self._tmp.name) / f"{self.form_name()}.pdf", None, self._to_printer)

    def _make(self, out: Path, output: str | None, done: Callable[[dict[str, Any]], None]) -> Task:
        form, ids, lang, uow = self.form_name(), self.case_ids, self.language(), self.ctx.work.for_actor(self.ctx.actor)

        def work(progress: Any, is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                return render_cases(form, ids, lang, out, session=s, progress=progress, cancelled=is_cancelled,
                                    output=output)

        self._busy(True)
        self._say(lambda: "")
        self.task = self.ctx.ops.run(work, done=done, failed=lambda m: self._say(lambda: m),
                                     cancelled=lambda: self._say(lambda: _("Cancelled; nothing was written.")),
                                     progress=self._progressed, ended=lambda: self._busy(False),
                                     name="batch print", queue=FORMS_QUEUE)
        return self.task

    def _saved(self, result: dict[str, Any]) -> None:
        self.out = Path(result["out"])
        self._say(lambda: self._done_text(result) + " " + _("Saved to {file}.").format(file=result["out"]))

    def _to_printer(self, result: dict[str, Any]) -> None:
        self.out = Path(result["out"])
        self.preview.load(self.out)
        self._say(lambda: self._done_text(result))
        self.preview.ask_print()

    def _done_text(self, result: dict[str, Any]) -> str:
        return ngettext("{n} case, {pages} page(s).", "{n} cases, {pages} page(s).", result["cases"]).format(
            n=fmt_number(result["cases"]), pages=fmt_number(result["pages"]))

    def _audit(self, output: str) -> None:
        """The printer took it: each case's form is audited as printed (a single print's entry)."""
        with self.ctx.session() as s:
            audit_printed(self.form_name(), self.case_ids, self.language(), output, session=s)
        self._say(lambda: _("Sent to the printer."))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.message.setText(_("Printing: {done} of {total}").format(done=fmt_number(done), total=fmt_number(total)))

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
        for w in (self.form_box, self.lang_box, self.save_button, self.print_button):
            w.setEnabled(not busy)
        self.close_button.setText(_("Cancel") if busy else _("Close"))




    def done(self, result: int) -> None:
        self.preview.clear()
        self._tmp.cleanup()
        super().done(result)

    # ---- language --------------------------------------------------------------------------------
    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        n = len(self.case_ids)
        self.setWindowTitle(ngettext("Print {n} case", "Print {n} cases", n).format(n=fmt_number(n)))
        self.summary.setText(ngettext("One PDF with the chosen form of {n} selected case.",
                                      "One PDF with the chosen form of each of the {n} selected cases.",
                                      n).format(n=fmt_number(n)))
        self.form_label.setText(_("&Form:"))
        self.lang_label.setText(_("&Language:"))
        for i, (_name, title) in enumerate(self.forms):
            self.form_box.setItemText(i, _(title))
        for i in range(self.lang_box.count()):
            lang = self.lang_box.itemData(i)
            self.lang_box.setItemText(i, _(BOTH) if lang == "both" else LANGUAGE_NAMES[lang])
        self.save_button.setText(_("&Save as PDF…"))
        self.print_button.setText(_("&Print…"))
        self.close_button.setText(_("Cancel") if self.task is not None else _("Close"))
        self.message.setText(self._message())
