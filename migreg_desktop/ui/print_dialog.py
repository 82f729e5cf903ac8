"""Print a form of one case: choose the form and its language (kk, ru, or both where the form
allows), see it in the program, print through the system dialog or save it as a file. Each
preview renders on the window's operation runner; a newer choice supersedes an older render."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop import forms
from migreg_desktop.forms import print_audit
from migreg_desktop.i18n import LANGUAGE_NAMES, N_, _, pgettext
from migreg_desktop.storage import privacy
from migreg_desktop.ui import window_size
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import FORMS_QUEUE, Task
from migreg_desktop.ui.pdf_preview import PdfPreview

BOTH = N_("Kazakh and Russian on one sheet")


class PrintDialog(QDialog):
    def __init__(self, ctx: AppContext, case_id: str, parent: QWidget | None = None,
                 form: str | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self._tmp = privacy.temp_directory(prefix="print-")  # not the shared system temp
        self._n = 0
        self.task: Task | None = None
        self.rendering, self._closed = False, False
        with ctx.session() as session:
            from migreg_desktop.cases.cases import get_case

            case = get_case(case_id, session=session)
            self.case_number, kind = case.number, case.kind
        self.specs = forms.forms_for_kind(kind)
        self._build()
        if form:
            self.form_box.setCurrentIndex(max(0, [s.name for s in self.specs].index(form)))
        self._fill_languages()
        self.retranslate_ui()
        self.form_box.currentIndexChanged.connect(self._form_changed)
        self.lang_box.currentIndexChanged.connect(self.refresh)
        ctx.hub.languageChanged.connect(self._language_changed)  # bound: dropped with the widget
        self.refresh()

    def _build(self) -> None:
        self.form_label, self.lang_label = QLabel(), QLabel()
        self.form_box, self.lang_box = QComboBox(), QComboBox()
        for spec in self.specs:
            self.form_box.addItem("", spec.name)
        self.preview = PdfPreview(self)
        self.status = QLabel()
        self.print_button, self.save_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.print_button.clicked.connect(self.preview.ask_print)
        self.save_button.clicked.connect(lambda: self.preview.ask_save(f"{self.form_name()}-{self.case_number}.pdf"))
        self.close_button.clicked.connect(self.reject)
        self.preview.printed.connect(lambda _pages: self._audit("printer"))
        self.preview.saved.connect(lambda _path: self._audit("file"))
        # Side by side: the choices and the buttons on the left stay on screen whatever the height
        # (1366×768 laptops, 150 % scaling); the preview takes the rest and scrolls.
        self.lang_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.form_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        for w in (self.form_label, self.form_box, self.lang_label, self.lang_box, self.status):
            side.addWidget(w)
        side.addStretch(1)
        for b in (self.print_button, self.save_button, self.close_button):
            side.addWidget(b)
        layout = QHBoxLayout(self)
        layout.addLayout(side)
        layout.addWidget(self.preview, 1)
        self.print_button.setDefault(True)
        window_size.fit(self, QSize(1100, 700), self.ctx.settings, "print_dialog")

    def _fill_languages(self) -> None:
        current = self.lang_box.currentData() or self.ctx.settings.get("language")
        self.lang_box.blockSignals(True)
        self.lang_box.clear()
        for lang in forms.languages(self.form_name()):
            self.lang_box.addItem("", lang)
        index = self.lang_box.findData(current if current in ("kk", "ru", "both") else "ru")
        self.lang_box.setCurrentIndex(max(index, 0))
        self.lang_box.blockSignals(False)
        self._label_languages()

    def _label_languages(self) -> None:
        for i in range(self.lang_box.count()):
            lang = self.lang_box.itemData(i)
            self.lang_box.setItemText(i, _(BOTH) if lang == "both" else LANGUAGE_NAMES[lang])

    def _form_changed(self) -> None:
        self._fill_languages()
        self.refresh()

    def form_name(self) -> str:
        return str(self.form_box.currentData())

    def language(self) -> str:
        return str(self.lang_box.currentData())

    def refresh(self) -> Task:
        """Render to a fresh temp file in the background (tens of milliseconds for one case) and
        show it; only the newest render is shown."""
        self._n += 1
        n, out = self._n, Path(self._tmp.name) / f"{self.form_name()}-{self._n}.pdf"
        form, case_id, lang = self.form_name(), self.case_id, self.language()
        uow = self.ctx.work.for_actor(self.ctx.actor)

        def work(_progress: object, _is_cancelled: object) -> Path:
            with uow.session() as session:
                forms.render_form(form, case_id, lang, out, session=session)
            return out

        if self.task is not None:
            self.task.cancel()  # superseded: its result is ignored
        self.rendering = True
        self._enable(False)
        self.task = self.ctx.ops.run(work, done=lambda path: self._rendered(n, path),
                                     failed=lambda message: self._failed(n, message), name="print preview",
                                     queue=FORMS_QUEUE)
        return self.task

    def _current(self, n: int) -> bool:
        return n == self._n and not self._closed

    def _rendered(self, n: int, out: Path) -> None:
        if not self._current(n):
            return
        pages = self.preview.load(out)
        self.status.setText(_("{pages} page(s)").format(pages=pages))
        self._enable(True)
        self.rendering = False

    def _failed(self, n: int, message: str) -> None:
        if not self._current(n):
            return
        self.preview.clear()
        self.status.setText(message)
        self._enable(False)
        self.rendering = False

    def _audit(self, output: str) -> None:
        """The form left the program: an audit entry (the preview itself is not one)."""
        with self.ctx.session() as session:
            print_audit.record_form(self.form_name(), self.case_id, self.language(), output, session=session)

    def _enable(self, ok: bool) -> None:
        self.print_button.setEnabled(ok)
        self.save_button.setEnabled(ok)

    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print: case {number}").format(number=self.case_number))
        self.form_label.setText(_("Form"))
        self.lang_label.setText(pgettext("print", "Language"))
        for i, spec in enumerate(self.specs):
            self.form_box.setItemText(i, _(spec.title))
        self._label_languages()
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save as…"))
        self.close_button.setText(_("Close"))
        self.preview.retranslate_ui()

    def done(self, result: int) -> None:
        self._closed = True
        if self.task is not None:
            self.task.cancel()
        self.preview.clear()
        self._tmp.cleanup()
        super().done(result)
