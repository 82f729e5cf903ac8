"""Case-editor panel: the eligibility decision, one line per rule (green / red / amber).

Re-checks when the case, the reference data or the quotas change (hub signals). A check of one
case takes a few milliseconds, so it runs on the GUI thread (see benchmarks/bench_eligibility.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.eligibility import eligibility
from migreg_desktop.forms.decision import versions_text
from migreg_desktop.i18n import N_, _, current_language, fmt_datetime
from migreg_desktop.models.eligibility import EligibilityDecision
from migreg_desktop.rules import RULE_IDS, RuleResult
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.registry import PanelSpec, register_panel

COLORS = {"ok": "ok", "fail": "error", "needs_check": "warning", "n/a": "na"}  # theme roles (ui/theme.py)
VERDICT_TEXT = {"eligible": N_("Eligible"), "not_eligible": N_("Not eligible"), "needs_check": N_("Needs checking")}
VERDICT_COLOR = {"eligible": "ok", "not_eligible": "fail", "needs_check": "needs_check"}
RESULT_TEXT = {"ok": N_("met"), "fail": N_("not met"), "needs_check": N_("to check"), "n/a": N_("does not apply")}


class RuleLine(QWidget):
    """Dot, rule title, reason, legal reference."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel("●")
        theme.set_size(self.dot, "big")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reference = QLabel()
        theme.set_role(self.reference, "muted")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.addWidget(self.dot, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.reference, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.reason, 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.state = "n/a"

    def show_result(self, r: RuleResult, lang: str) -> None:
        self.state = r.result if r.applies else "n/a"
        theme.set_role(self.dot, COLORS[self.state])
        self.dot.setToolTip(_(RESULT_TEXT[self.state]))
        self.title.setText(eligibility.rule_title(r.rule, lang))
        self.title.setEnabled(r.applies)
        self.reason.setText(r.reason(lang) if r.applies else _(RESULT_TEXT["n/a"]))
        self.reason.setEnabled(r.applies)
        self.reference.setText(r.reference_text(lang))


class DecisionPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.row: EligibilityDecision | None = None
        self.heading = QLabel()
        theme.set_size(self.heading, "heading")
        self.verdict = QLabel()
        self.verdict.setStyleSheet("font-weight: bold")
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_now)
        self.lines = {rule: RuleLine(self) for rule in RULE_IDS}
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        theme.set_role(self.footer, "muted")
        theme.set_size(self.footer, "small")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.verdict)
        top.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        for w in self.lines.values():
            layout.addWidget(w)
        layout.addWidget(self.footer)
        layout.addStretch(1)
        # Bound methods, not lambdas: Qt drops these connections when the panel is destroyed.
        ctx.hub.caseChanged.connect(self._on_case_changed)
        ctx.hub.refdataChanged.connect(self._on_refdata_changed)
        ctx.hub.quotaChanged.connect(self._on_quota_changed)
        ctx.hub.languageChanged.connect(self._on_language_changed)
        self.retranslate_ui()

    # ---- loading ---------------------------------------------------------------------------
    def load_case(self, case_id: str | None) -> None:
        self.case_id = case_id
        self.row = None
        if case_id:
            self._recheck("case_changed", only_if_stale=True)
        self.retranslate_ui()

    def _on_case_changed(self, case_id: str) -> None:
        if case_id == self.case_id:
            self._recheck("case_changed")

    def _on_refdata_changed(self, _name: str) -> None:
        self._recheck("refdata_changed")

    def _on_quota_changed(self, _key: object) -> None:
        self._recheck("quota_changed")

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def _recheck(self, trigger: str, only_if_stale: bool = False) -> None:
        if not self.case_id:
            return
        from migreg_desktop.models import Case

        with self.ctx.session() as s:
            case = s.get(Case, self.case_id)
            if case is None:
                self.row = None
            else:
                latest = eligibility.latest(case.id, session=s)
                # The one "is this decision current?" rule (case, rules and reference versions),
                # the same the sheets, `support` and `quota reserve` read (issue 14).
                fresh = eligibility.stale_reason(latest, session=s, case=case) is None
                self.row = latest if only_if_stale and fresh else eligibility.check_case(case.id, session=s,
                                                                                          trigger=trigger)
        self.retranslate_ui()

    def check_now(self) -> None:
        """The clerk asks: always stored (history)."""
        if self.case_id:
            with self.ctx.session() as s:
                self.row = eligibility.check_case(self.case_id, session=s, trigger="manual")
            self.retranslate_ui()

    # ---- texts -----------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        lang = current_language()
        self.heading.setText(_("Eligibility"))
        self.check_button.setText(_("Check again"))
        self.check_button.setEnabled(self.case_id is not None and self.ctx.may("case.check"))
        if self.row is None:
            self.verdict.setText(_("No case") if not self.case_id else "")
            for w in self.lines.values():
                w.setVisible(False)
            self.footer.setText("")
            return
        state = VERDICT_COLOR[self.row.verdict]
        self.verdict.setText(_(VERDICT_TEXT[self.row.verdict]))
        theme.set_role(self.verdict, COLORS[state])
        for r in eligibility.results_of(self.row):
            if r.rule in self.lines:
                self.lines[r.rule].setVisible(True)
                self.lines[r.rule].show_result(r, lang)
        # The versions in words ("Rules 2026.1 · reference data: MCI 2026.1, …"), as on the sheet.
        self.footer.setText(_("Checked {at}").format(at=fmt_datetime(self.row.checked_at)) + " · " +
                            versions_text(self.row.rules_version, self.row.reference_version))

    def states(self) -> dict[str, str]:
        """For tests: the colour state of each rule line."""
        return {rule: w.state for rule, w in self.lines.items()}


register_panel(PanelSpec(key="decision", title=N_("Eligibility"), order=20, factory=DecisionPanel))
