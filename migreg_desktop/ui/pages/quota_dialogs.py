"""Oblast office: set a regional quota, and allot places of it to a district office."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.accounts.office import list_offices
from migreg_desktop.eligibility import quotas
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, current_language
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.vocabulary import CASE_KIND_GROUPS as KINDS  # noqa: E402
from migreg_desktop.vocabulary import COUNTING
from migreg_desktop.vocabulary import COUNTING_LABELS as COUNTING_TEXT  # noqa: E402


class _Form(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        theme.set_role(self.error, "error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            self.apply()
        except MigregError as exc:
            self.error.setText(exc.message())  # names the field and the rule, in the clerk's language
            return
        self.accept()

    def apply(self) -> None:
        raise NotImplementedError


class QuotaDialog(_Form):
    def __init__(self, ctx: AppContext, year: int, row: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.year = ctx, year
        self.region = QLineEdit(row["region"] if row else "")
        self.region.setPlaceholderText("550000000")
        self.kind = QComboBox()
        for code, label in KINDS.items():
            self.kind.addItem(_(label), code)
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.counting = QComboBox()
        for code in COUNTING:
            self.counting.addItem(_(COUNTING_TEXT[code]), code)
        if row:
            self.kind.setCurrentIndex(max(0, self.kind.findData(row["kind"])))
            self.limit.setValue(row["limit"])
            self.counting.setCurrentIndex(max(0, self.counting.findData(row["counting"])))
        for label, widget in ((N_("Region (KATO)"), self.region), (N_("Kind of case"), self.kind),
                              (N_("Limit"), self.limit), (N_("Counts"), self.counting)):
            self.form.addRow(_(label) + ":", widget)
        self.setWindowTitle(_("Regional quota {year}").format(year=year))

    def apply(self) -> None:
        with self.ctx.session() as s:
            quotas.set_quota(self.year, self.region.text().strip(), self.kind.currentData(), self.limit.value(),
                             self.counting.currentData(), session=s)


class AllotDialog(_Form):
    def __init__(self, ctx: AppContext, quota: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.quota = ctx, quota
        self.office = QComboBox()
        with ctx.session() as s:
            for o in list_offices(session=s):
                if o.kind != "oblast":
                    self.office.addItem(f"{o.code} — {o.name(current_language())}", o.code)
        self.slots = QSpinBox()
        self.slots.setRange(0, max(quota["limit"], 0))
        self.form.addRow(_("Office") + ":", self.office)
        self.form.addRow(_("Places") + ":", self.slots)
        self.setWindowTitle(_("Allot places of the quota"))

    def apply(self) -> None:
        with self.ctx.session() as s:
            quotas.allot(self.quota["year"], self.quota["region"], self.quota["kind"], self.office.currentData(),
                         self.slots.value(), session=s)
