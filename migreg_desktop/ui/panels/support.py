"""Case-editor panel: support measures of the case in MCI and tenge (Social Code; reference.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from migreg_desktop.eligibility.support import case_support
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.registry import PanelSpec, register_panel

STATE_COLORS = {"entitled": "#2e7d32", "forecast": "#ef8f00", "none": "#616161"}


class SupportPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.heading = QLabel()
        theme.set_size(self.heading, "heading")
        self.state = QLabel()  # entitled / forecast / none, as on the support sheet
        self.state.setWordWrap(True)
        self.entitlement: str | None = None
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.note = QLabel()
        self.note.setWordWrap(True)
        theme.set_role(self.note, "muted")
        theme.set_size(self.note, "small")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
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
        self.state.setText("")
        self.entitlement = None
        if not self.case_id:
            return
        try:
            with self.ctx.session() as s:
                doc = case_support(self.case_id, session=s)
        except MigregError as exc:
            self.note.setText(exc.message())
            return
        self._show(doc)

    def _show(self, doc: dict) -> None:
        """The three states of the support sheet (issue 14): entitled, forecast, none (no amounts);
        the employer's subsidy on its own line, outside the family's total."""
        self.entitlement = doc["entitlement"]
        text = doc["entitlement_text"][:1].upper() + doc["entitlement_text"][1:]
        if doc["entitlement_reason_text"]:
            text += " — " + doc["entitlement_reason_text"]
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {STATE_COLORS[self.entitlement]}; font-weight: bold")
        if self.entitlement == "none":
            return
        family = [m for m in doc["measures"] if m["recipient"] != "employer"]
        employer = [m for m in doc["measures"] if m["recipient"] == "employer"]
        for m in family:
            self.form.addRow(m["label"] + ":", _measure_label(m))
        total = _("Family total (forecast)") if self.entitlement == "forecast" else _("Family total")
        self.form.addRow(QLabel(f"<b>{total}:</b>"), QLabel(f"<b>{doc['total_tenge_text']}</b>"))
        if employer:  # Social Code: paid to the employer, never the family's money
            apart = _("Paid to the employer (not part of the family total)")
            self.form.addRow(_wrapped(f"<b>{apart}</b>"))
        for m in employer:
            self.form.addRow(m["label"] + ":", _measure_label(m))
        self.note.setText(_("MCI {year}: {mci}. ⚠ marks amounts not confirmed by an official text.").format(
            year=doc["year"], mci=doc["mci_tenge_text"]))


def _wrapped(text: str) -> QLabel:
    """A heading across the panel that wraps (each row's label stands above its amount: long
    measure names in Kazakh and Russian never squeeze the amount)."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _measure_label(m: dict) -> QLabel:
    amount = m.get("tenge_text") or "—"
    value = QLabel(f"<b>{amount}</b> — {m['detail']}" + ("" if m["confirmed"] else " ⚠"))
    value.setWordWrap(True)
    return value


register_panel(PanelSpec(key="support", title=N_("Support measures"), order=30, factory=SupportPanel))
