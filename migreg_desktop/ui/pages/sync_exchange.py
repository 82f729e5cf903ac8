"""Outbox and Inbox pages: what is still unsent or unacknowledged, and what came in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.forms.decision import versions_text
from migreg_desktop.i18n import N_, _, current_language, fmt_number
from migreg_desktop.sync import acks, audit_witness, jobs, outbox, refchanges, refpack
from migreg_desktop.ui import theme
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.sync_common import RowsModel, counts_text, rows_view, when
from migreg_desktop.ui.sync_wizard import ImportWizard

PACKAGE_COLUMNS = [("sequence", N_("No.")), ("kind_label", N_("Kind")), ("created_at", N_("Created")),
                   ("content", N_("Content")), ("ack_label", N_("Acknowledged"))]
CASE_COLUMNS = [("number", N_("Case")), ("applicant_name", N_("Applicant")), ("records", N_("Records")),
                ("state", N_("State"))]
INBOX_COLUMNS = [("sender", N_("Sender")), ("sequence", N_("No.")), ("kind_label", N_("Kind")),
                 ("imported_at", N_("Imported")), ("content", N_("Content")), ("conflicts", N_("To review")),
                 ("ack_label", N_("Acknowledged"))]
KIND_LABELS = {"data": N_("Records"), "ack": N_("Acknowledgement"), "refdata": N_("Reference data")}


class OutboxPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.task: Task | None = None
        self.receiver = QComboBox()
        self.receiver.currentIndexChanged.connect(self.refresh)
        self.summary, self.title_cases, self.title_packages = QLabel(), QLabel(), QLabel()
        self.summary.setWordWrap(True)
        self.cases_model, self.packages_model = RowsModel(CASE_COLUMNS, self), RowsModel(PACKAGE_COLUMNS, self)
        self.export_btn, self.refresh_btn = QPushButton(), QPushButton()
        self.export_btn.clicked.connect(self.choose_and_export)
        self.refresh_btn.clicked.connect(self.refresh)
        self.export_btn.setVisible(ctx.may("sync.export"))
        self.bar = QProgressBar()
        self.bar.hide()
        top = QHBoxLayout()
        top.addWidget(self.receiver)
        top.addStretch(1)
        top.addWidget(self.refresh_btn)
        top.addWidget(self.export_btn)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.title_cases)
        layout.addWidget(rows_view(self.cases_model), 2)
        layout.addWidget(self.title_packages)
        layout.addWidget(rows_view(self.packages_model), 1)
        with ctx.session() as s:
            for code in outbox.receivers(session=s):
                self.receiver.addItem(code, code)
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self.retranslate_ui)
        ctx.hub.casesReset.connect(self.refresh)
        ctx.hub.caseChanged.connect(self.refresh)

    def retranslate_ui(self, *_args: Any) -> None:
        self.export_btn.setText(_("Export package…"))
        self.refresh_btn.setText(_("Refresh"))
        self.title_cases.setText(_("Cases not yet delivered"))
        self.title_packages.setText(_("Packages sent"))
        self.cases_model.retranslate()
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        code = self.receiver.currentData()
        if not code:
            self.summary.setText(_("No partner office is trusted yet: exchange public keys first (keys trust)."))
            return
        with self.ctx.session() as s:
            doc = outbox.summary(code, session=s)
            pending = outbox.pending_cases(code, session=s, limit=2000)
        self.summary.setText(_("{unsent} records not sent yet; {waiting} sent and waiting for the acknowledgement "
                               "of {office}.").format(unsent=fmt_number(sum(doc["unsent"].values())),
                                                      waiting=fmt_number(sum(doc["awaiting_ack"].values())),
                                                      office=code))
        for row in pending:
            row["state"] = (_("not sent") if row["unsent"] else
                            _("sent in package {n}, not acknowledged").format(n=row["sent_in"]))
        self.cases_model.set_rows(pending)
        for p in doc["packages"]:
            p["kind_label"] = _(KIND_LABELS.get(p["kind"], p["kind"]))
            p["content"] = counts_text(p["counts"])
            p["ack_label"] = when(p["acknowledged_at"]) if p["acknowledged_at"] else _("not yet")
            p["created_at"] = when(p["created_at"])
        self.packages_model.set_rows(doc["packages"])

    def choose_and_export(self) -> None:
        code = self.receiver.currentData()
        name, _f = QFileDialog.getSaveFileName(self, _("Export package…"), f"{self.ctx.office_code}-to-{code}.migreg",
                                               _("Packages (*.migreg)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, out: Path) -> Task:
        code, uow = self.receiver.currentData(), self.ctx.work.for_actor(self.ctx.actor)
        self.bar.show()

        def show_progress(done: int, total: int) -> None:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

        self.task = self.ctx.ops.run(
            lambda progress, is_cancelled: jobs.run_export(uow, code, out, progress=progress,
                                                           cancel=is_cancelled),
            done=self._exported, failed=self.summary.setText, ended=self.bar.hide, name="package export",
            progress=show_progress)
        return self.task

    def _exported(self, doc: dict[str, Any]) -> None:
        self.bar.hide()
        self.refresh()
        self.summary.setText(_("Package {sequence} for {office} written to {file}").format(
            sequence=doc["sequence"], office=doc["to"], file=doc["file"]) + "\n" + self.summary.text())


class InboxPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.task: Task | None = None
        self.model = RowsModel(INBOX_COLUMNS, self)
        self.view = rows_view(self.model)
        self.import_btn, self.ack_btn = QPushButton(), QPushButton()
        self.import_btn.clicked.connect(lambda: self.open_wizard())
        self.ack_btn.clicked.connect(self.choose_and_ack)
        self.import_btn.setVisible(ctx.may("sync.import"))
        self.ack_btn.setVisible(ctx.may("sync.ack"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.alert = QLabel()  # audit_rewound: a partner's audit trail went back (issue 12 §7)
        self.alert.setWordWrap(True)
        theme.set_role(self.alert, "error")
        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        top.addWidget(self.ack_btn)
        top.addWidget(self.import_btn)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.alert)
        layout.addWidget(self.view, 1)
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self.retranslate_ui)
        ctx.hub.casesReset.connect(self.refresh)

    def retranslate_ui(self, *_args: Any) -> None:
        self.import_btn.setText(_("Import package…"))
        self.ack_btn.setText(_("Acknowledge…"))
        self.model.retranslate()
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        with self.ctx.session() as s:
            rows = outbox.inbox(session=s)
            ref = refpack.status(self.ctx.settings.get(refpack.MAX_AGE.key), session=s)
            rewound = audit_witness.warnings(session=s)
        lang = current_language()
        for r in rows:
            r["kind_label"] = _(KIND_LABELS.get(r["kind"], r["kind"]))
            # A reference package says what it changed: "settlement list 2027: 12 added …" (issue 15).
            r["content"] = refchanges.text(r["changes"], lang) if r["kind"] == "refdata" else counts_text(r["counts"])
            if r.get("warnings"):
                r["content"] = _("Audit trail went back") + " · " + r["content"]
            r["imported_at"] = when(r["imported_at"])
            r["ack_label"] = (_("in package {n}").format(n=r["acknowledged_in"]) if r["acknowledged_in"]
                              else _("not yet") if r["kind"] == "data" else "—")
        self.model.set_rows(rows)
        # In words, with spaces to wrap at (as the decision panel shows them), never the stored
        # "designated_regions=…;mci=…" line that widened the window beyond a laptop's screen.
        text = versions_text(None, ref["reference"]) or _("Reference data: {versions}").format(versions="—")
        if ref["stale"]:
            text += "\n" + _("Reference data is {days} days old (limit {limit}): ask the oblast office for a new "
                             "reference package.").format(days=ref["age_days"], limit=ref["max_age_days"])
        self.info.setText(text)
        self.alert.setText("\n".join(audit_witness.message(w) for w in rewound[:5]))
        self.alert.setVisible(bool(rewound))

    def open_wizard(self, show: bool = True) -> ImportWizard:
        wizard = ImportWizard(self.ctx, self)
        wizard.imported.connect(self.refresh)
        if show:
            wizard.open()
        return wizard

    def choose_and_ack(self) -> None:
        senders = sorted({r["sender"] for r in self.model.rows if r["kind"] == "data"})
        if not senders:
            return
        name, _f = QFileDialog.getSaveFileName(self, _("Acknowledge…"), f"ack-{self.ctx.office_code}-to-{senders[0]}"
                                               ".migreg", _("Packages (*.migreg)"))
        if name:
            self.acknowledge(senders[0], Path(name))

    def acknowledge(self, sender: str, out: Path) -> Task:
        """On the runner: the office lock may wait for an import or export that is running."""
        uow = self.ctx.work.for_actor(self.ctx.actor)

        def work(_progress: Any, _is_cancelled: Any) -> dict[str, Any]:
            with jobs.office_lock(), uow.session() as s:
                written = acks.make_ack(sender, out, session=s)
            return written.finish()

        self.task = self.ctx.ops.run(work, done=lambda _doc: self.refresh(), failed=self.info.setText,
                                     name="acknowledgement")
        return self.task


register_page(PageSpec("sync_outbox", N_("Outbox"), 80, OutboxPage))
register_page(PageSpec("sync_inbox", N_("Inbox"), 81, InboxPage))
