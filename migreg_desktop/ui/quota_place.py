"""A case's quota place in the window (issue 15): what it holds, Reserve and Release.

The case editor's status tab shows it (``QuotaPlaceBox``), the case list's menu has the same two
actions (``add_quota_actions``). Both call ``eligibility.quotas.reserve/release`` through the unit
of work, so the Quotas page and the eligibility panel hear of it (hub ``quotaChanged``); the core's
refusal — not eligible, a stale decision, no allotment, no room — is shown in the clerk's language
next to the action. Who may: ``quota.reserve`` in the permissions table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from migreg_desktop.cases.status import is_active
from migreg_desktop.eligibility import quotas
from migreg_desktop.errors import MigregError
from migreg_desktop.i18n import N_, _, current_language, fmt_number, ngettext
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.forms import ErrorLabel

KIND_WORDS = {"kandas": N_("Kandases"), "resettler": N_("Resettlers"), "intra_oblast": N_("Intra-oblast moves")}


def place_text(held: dict[str, Any] | None) -> str:
    if not held:
        return _("The case holds no quota place.")
    names = held.get("region_name") or {}
    quota = "{region} · {kind} · {year}".format(region=names.get(current_language()) or names.get("ru") or held["region"],
                                              kind=_(KIND_WORDS.get(held["kind"], held["kind"])), year=held["year"])
    return ngettext("The case holds {n} quota place: {quota} (allotment of {office})",
                    "The case holds {n} quota places: {quota} (allotment of {office})",
                    held["persons"]).format(n=fmt_number(held["persons"]), quota=quota, office=held["office"])


def run_quota(ctx: AppContext, fn: Callable[..., Any], case_id: str) -> MigregError | None:
    """Reserve or release in one unit of work; the core's refusal (shown translated), or None."""
    try:
        with ctx.session() as s:
            fn(case_id, session=s)
    except MigregError as exc:
        return exc
    return None


def held_by(ctx: AppContext, case_id: str) -> dict[str, Any] | None:
    with ctx.session() as s:
        return quotas.holding(case_id, session=s)


def add_quota_actions(menu: QMenu, ctx: AppContext, case_id: str, report: Callable[[str], None]) -> None:
    """The case list's menu: Reserve / Release, enabled by the permission and what the case holds;
    ``report`` shows the outcome (the refusal or what was done) next to the list."""
    may = ctx.may("quota.reserve")
    held = held_by(ctx, case_id) if may else None

    def act(fn: Callable[..., Any], done: str) -> None:
        refusal = run_quota(ctx, fn, case_id)
        report(refusal.message() if refusal else done)

    reserve = menu.addAction(_("Reserve quota place"), lambda: act(quotas.reserve, _("Quota place reserved.")))
    release = menu.addAction(_("Release quota place"), lambda: act(quotas.release, _("Quota place released.")))
    reserve.setObjectName("reserveQuota")
    release.setObjectName("releaseQuota")
    reserve.setEnabled(may and held is None)
    release.setEnabled(may and held is not None)


class QuotaPlaceBox(QWidget):
    """One line in the case editor: the place the case holds, Reserve and Release, the refusal."""

    placeChanged = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.status: str | None = None
        self.held: dict[str, Any] | None = None
        self.refusal: MigregError | None = None  # kept whole: shown again in a new language
        self.caption, self.text = QLabel(self), QLabel(self)
        self.text.setObjectName("quotaPlace")
        self.text.setWordWrap(True)
        self.reserve_button, self.release_button = QPushButton(self), QPushButton(self)
        self.reserve_button.setObjectName("reserveQuota")
        self.release_button.setObjectName("releaseQuota")
        self.reserve_button.clicked.connect(self.reserve)
        self.release_button.clicked.connect(self.release)
        self.error = ErrorLabel(self)
        self.error.setObjectName("error:quota")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.caption)
        row.addWidget(self.text, 1)
        row.addWidget(self.reserve_button)
        row.addWidget(self.release_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        ctx.hub.quotaChanged.connect(self._on_quota_changed)  # bound: dropped with the box
        self.retranslate_ui()

    def load(self, case_id: str | None, status: str | None) -> None:
        self.case_id, self.status, self.refusal = case_id, status, None
        self.refresh()

    def refresh(self) -> None:
        self.held = held_by(self.ctx, self.case_id) if self.case_id else None
        self._show()

    def _on_quota_changed(self, _key: object) -> None:
        if self.case_id:
            self.refresh()

    def _show(self) -> None:
        may = bool(self.case_id) and self.ctx.may("quota.reserve")
        self.text.setText(place_text(self.held) if self.case_id else "—")
        self.reserve_button.setEnabled(may and self.held is None and is_active(self.status or ""))
        self.release_button.setEnabled(may and self.held is not None)
        self.error.show_messages([self.refusal.message()] if self.refusal else [])

    def reserve(self) -> bool:
        return self._run(quotas.reserve)

    def release(self) -> bool:
        return self._run(quotas.release)

    def _run(self, fn: Callable[..., Any]) -> bool:
        if not self.case_id:
            return False
        self.refusal = run_quota(self.ctx, fn, self.case_id)
        self.refresh()
        if self.refusal is None:
            self.placeChanged.emit()
        return self.refusal is None

    def retranslate_ui(self) -> None:
        self.caption.setText(_("Quota place:"))
        self.reserve_button.setText(_("&Reserve quota place"))
        self.release_button.setText(_("Re&lease"))
        self.reserve_button.setToolTip(_("Take the case's place in the office's allotment of its quota"))
        self.release_button.setToolTip(_("Give the case's place back to the office's allotment"))
        self._show()
