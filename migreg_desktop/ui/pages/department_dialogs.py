"""Dialogs of the Department's pages: the statistics import's errors (row by row) and the draft
proposal to the Ministry (Rules §4): year, language, the head's paragraphs, PDF and xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.department import proposal
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.window_size import fit

PARAGRAPH_TITLES = {"intro": N_("Introduction"), "quotas": N_("Quotas for kandases and resettlers"),
                    "territories": N_("Territories for resettlement"),
                    "foreign_labour": N_("Quota for attracting foreign labour"),
                    "labour_immigrants": N_("Quota for labour immigrants"), "closing": N_("Closing")}
LANGUAGES = (("kk", "Қазақша"), ("ru", "Русский"))


def stats_error_lines(doc: dict[str, Any]) -> list[str]:
    """"Row 5, Arrivals: …": the column in the clerk's words, never the English key."""
    from migreg_desktop.department.stats import LABELS

    lines = [_("row {row}, {field}: {message}").format(row=e["row"], field=_(LABELS.get(e["field"], e["field"])),
                                                      message=e["message"])
             for e in doc["errors"]]
    if not doc["rows"]:
        lines.append(_("{file}: no rows to import").format(file=Path(doc["file"]).name))
    return lines


class StatsErrorsDialog(QDialog):
    """Nothing was written: every bad row with its sheet row number."""

    def __init__(self, doc: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import statistics"))
        self.summary = QLabel(_("Nothing was imported. Correct these rows and import the file again:"))
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.addItems(stats_error_lines(doc))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        fit(self, QSize(720, 420))


class ProposalDialog(QDialog):
    """The head's paragraphs are saved with the draft (audited), then the letter is written on the
    runner (PDF, and the tables as xlsx when asked)."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.year = QSpinBox()
        self.year.setRange(2020, 2100)
        self.year.setValue(year)
        self.lang = QComboBox()
        for code, name in LANGUAGES:
            self.lang.addItem(name, code)
        self.xlsx = QCheckBox()
        self.tabs = QTabWidget()
        self.texts = {key: QPlainTextEdit() for key in proposal.PARAGRAPHS}
        for key in proposal.PARAGRAPHS:
            self.tabs.addTab(self.texts[key], _(PARAGRAPH_TITLES[key]))
        self.hint = QLabel(_("An empty paragraph prints the default sentence; the foreign-labour and "
                             "labour-immigrant quotas print blank lines to fill by hand."))
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save and write PDF…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.buttons.accepted.connect(self._ask_file)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Quota year of the figures:"), self.year)
        form.addRow(_("Language of the letter:"), self.lang)
        form.addRow("", self.xlsx)
        self.xlsx.setText(_("Also the tables as xlsx"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Proposal to the Ministry"))
        self.year.valueChanged.connect(self.load)
        self.lang.currentIndexChanged.connect(self.load)
        fit(self, QSize(760, 560))
        self.load()

    def load(self, *_args: object) -> None:
        with self.ctx.session() as s:
            saved = proposal.load_paragraphs(self.year.value(), self.lang.currentData(), session=s)
        for key, edit in self.texts.items():
            edit.setPlainText(saved[key])

    def _ask_file(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Proposal to the Ministry"),
                                               f"proposal-{self.year.value() + 1}-{self.lang.currentData()}.pdf",
                                               "PDF (*.pdf)")
        if name:
            self.write(Path(name))

    def write(self, pdf: Path) -> Task | None:
        from migreg_desktop.forms.department_files import write_proposal

        year, lang = self.year.value(), self.lang.currentData()
        edits = {key: edit.toPlainText() for key, edit in self.texts.items()}
        xlsx = pdf.with_suffix(".xlsx") if self.xlsx.isChecked() else None
        uow = self.ctx.work.for_actor(self.ctx.actor)

        def work(_progress: Any, _is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                doc = proposal.build(year, proposal.Thresholds(), lang, session=s)
                doc["paragraphs"] = proposal.save_paragraphs(year, lang, edits, session=s)
                return write_proposal(doc, lang, pdf=pdf, xlsx=xlsx, session=s)

        def done(files: dict[str, Any]) -> None:
            self.status.setText(_("Written: {file}").format(file=", ".join(f for f in files.values() if f)))

        self.status.setText(_("Writing {file}…").format(file=pdf.name))
        try:
            self.task = self.ctx.ops.run(work, done=done, failed=self.status.setText, name="proposal")
        except MigregError as exc:  # pragma: no cover - the runner reports errors itself
            self.status.setText(exc.message())
        return self.task
