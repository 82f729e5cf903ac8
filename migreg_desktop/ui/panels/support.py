"""Case-editor panel: support measures of the case in MCI and tenge (Social Code; reference.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from migreg_desktop.eligibility.support import case_support
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.registry import PanelSpec, register_panel


class SupportPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.heading = QLabel()
        theme.set_size(self.heading, "heading")
        self.form = QFormLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        theme.set_role(self.note, "muted")
        theme.set_size(self.note, "small")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        ctx.hub.caseChanged.connect(self._on_case_changed)  # bound methods: dropped with the panel
        ctx.hub.refdataChanged.connect(self._on_other_changed)
        ctx.hub.languageChanged.connect(self._on_other_changed)
        self.retranslate_ui()

    def _on_case_changed(self, case_id: str) -> None:
        if case_id == self.case_id:
            self.retranslate_ui()

    def _on_other_changed(self, _what: str) -> None:
        self.retranslate_ui()

    def load_case(self, case_id: str | None) -> None:
        self.case_id = case_id
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Support measures"))
        while self.form.rowCount():
            self.form.removeRow(0)
        self.note.setText("")
        if not self.case_id:
            return
        try:
            with self.ctx.session() as s:
                doc = case_support(self.case_id, session=s)
        except MigregError as exc:
            self.note.setText(exc.message())
            return
        for m in doc["measures"]:
            value = QLabel(f"<b>{m['tenge_text']}</b> — {m['detail']}" + ("" if m["confirmed"] else " ⚠"))
            value.setWordWrap(True)
            self.form.addRow(m["label"] + ":", value)
        self.form.addRow(_("Total") + ":", QLabel(f"<b>{doc['total_tenge_text']}</b>"))
        self.note.setText(_("MCI {year}: {mci}. ⚠ marks amounts not confirmed by an official text.").format(
            year=doc["year"], mci=doc["mci_tenge_text"]))


register_panel(PanelSpec(key="support", title=N_("Support measures"), order=30, factory=SupportPanel))
