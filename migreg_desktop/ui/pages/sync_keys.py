"""The Keys page (issue 6 §2, §6): this office's key fingerprint, the partners it trusts, and on
the oblast the reference package for the districts. Only the admin changes anything here;
everyone sees the fingerprints, which the two admins compare by phone before trusting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.errors import MigregError, UserError
from migreg_desktop.i18n import N_, _
from migreg_desktop.sync import jobs, keys, refpack
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.sync_common import RowsModel, rows_view, when

PARTNER_COLUMNS = [("office", N_("Office")), ("fingerprint", N_("Fingerprint")), ("trusted_at", N_("Trusted since"))]


class KeysPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("keysPage")
        self.ctx = ctx
        self.task: Task | None = None
        # Asked before replacing keys or trusting a key; tests answer it without a dialog.
        self.confirm = self._ask
        self.mine, self.title_partners, self.message, self.ref_info = QLabel(), QLabel(), QLabel(), QLabel()
        for label in (self.mine, self.message, self.ref_info):
            label.setWordWrap(True)
        self.message.setObjectName("message")
        self.model = RowsModel(PARTNER_COLUMNS, self)
        self.view = rows_view(self.model)
        self.said: Any = None  # the last outcome, re-worded on a language switch
        self.init_btn, self.export_btn, self.trust_btn, self.ref_btn = (QPushButton() for _i in range(4))
        self.init_btn.clicked.connect(self.ask_init)
        self.export_btn.clicked.connect(self.ask_export_public)
        self.trust_btn.clicked.connect(self.ask_trust)
        self.ref_btn.clicked.connect(self.ask_export_refdata)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.hide()
        buttons = QHBoxLayout()
        for b in (self.init_btn, self.export_btn, self.trust_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        ref = QHBoxLayout()
        ref.addWidget(self.ref_info, 1)
        ref.addWidget(self.bar)
        ref.addWidget(self.ref_btn)
        layout = QVBoxLayout(self)
        layout.addWidget(self.mine)
        layout.addLayout(buttons)
        layout.addWidget(self.title_partners)
        layout.addWidget(self.view, 1)
        layout.addLayout(ref)
        layout.addWidget(self.message)
        self.ref_info.setVisible(ctx.role == "oblast")
        self.ref_btn.setVisible(ctx.may("refdata.publish"))
        self.retranslate_ui()
        ctx.hub.languageChanged.connect(self.retranslate_ui)

    def retranslate_ui(self, *_args: Any) -> None:
        self.init_btn.setText(_("Make keys…"))
        self.export_btn.setText(_("Save public key…"))
        self.trust_btn.setText(_("Trust a partner's key…"))
        self.ref_btn.setText(_("Publish reference package…"))
        self.title_partners.setText(_("Trusted partner offices"))
        self.model.retranslate()
        self.refresh()
        if self.said is not None:
            self.message.setText(self.said())

    def is_admin(self) -> bool:
        return self.ctx.may("keys.manage")

    def refresh(self, *_args: Any) -> None:
        fp = keys.own_fingerprint(self.ctx.office_code)
        with self.ctx.session() as s:
            rows = [{**p, "trusted_at": when(p["trusted_at"])} for p in keys.partners(session=s)]
            ref = refpack.status(self.ctx.settings.get(refpack.MAX_AGE.key), session=s)
        self.model.set_rows(rows)
        self.mine.setText(_("Office {office}: key fingerprint {fingerprint}").format(
            office=self.ctx.office_code, fingerprint=fp) if fp else
            _("Office {office} has no keys yet: make them before the first exchange.").format(
                office=self.ctx.office_code))
        self.ref_info.setText(_("Reference data: {versions}").format(versions=ref["reference"] or "—"))
        admin = self.is_admin()
        self.init_btn.setEnabled(admin)
        self.trust_btn.setEnabled(admin and fp is not None)
        self.ref_btn.setEnabled(self.ctx.may("refdata.publish") and fp is not None)
        self.export_btn.setEnabled(fp is not None)
        if not admin:
            self.say(lambda: _("Only the admin makes keys, trusts partners and publishes reference data."))

    def _ask(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def say(self, words: Any) -> None:
        """Show an outcome; ``words`` is a callable so a language switch re-words it."""
        self.said = words
        self.message.setText(words())

    def _done(self, words: Any) -> None:
        self.refresh()
        self.say(words)

    # ---- actions (each ask_* opens the dialogs, the plain method does the work) -------------

    def ask_init(self) -> None:
        self.make_keys()

    def make_keys(self) -> bool:
        replace = keys.key_file().exists()
        if replace and not self.confirm(_("Make keys…"), _(
                "Replace this office's keys? Every partner must then trust the new public key, and "
                "packages made for the old key can no longer be opened here.")):
            return False
        try:
            with self.ctx.session() as s:
                made = keys.init_keys(session=s, force=replace)
        except MigregError as exc:
            self.say(exc.message)
            return False
        doc = made.public_doc()
        self._done(lambda: _("Keys made for {office}; fingerprint {fingerprint}").format(**doc))
        return True

    def ask_export_public(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Save public key…"), f"{self.ctx.office_code}.pub.json",
                                               _("Public keys (*.json)"))
        if name:
            self.export_public(Path(name))

    def export_public(self, out: Path) -> bool:
        try:
            with self.ctx.session() as s:
                doc = keys.export_public(out, session=s)
        except OSError as exc:  # a read-only stick, a full disk
            error = UserError("cannot write {path}: {error}", path=str(out), error=exc.strerror or str(exc))
            self.say(error.message)
            return False
        except MigregError as exc:
            self.say(exc.message)
            return False
        self._done(lambda: _("Public key of {office} written to {file}").format(office=doc["office"], file=out))
        return True

    def ask_trust(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, _("Trust a partner's key…"), "", _("Public keys (*.json)"))
        if name:
            self.trust_file(Path(name))

    def trust_file(self, path: Path) -> bool:
        try:
            doc = keys.read_public(path)
            office = str(doc.get("office", ""))
            fp = keys.fingerprint(keys.unb64(doc["sign_key"]), keys.unb64(doc["box_key"]))
            if not self.confirm(_("Trust a partner's key…"), _(
                    "Trust this key of office {office}?\nFingerprint: {fingerprint}\nCompare it with the "
                    "partner's admin by phone first.").format(office=office, fingerprint=fp)):
                return False
            with self.ctx.session() as s:
                keys.trust(path, office, session=s)
        except MigregError as exc:
            self.say(exc.message)
            return False
        self._done(lambda: _("Office {office} trusted; fingerprint {fingerprint}").format(office=office, fingerprint=fp))
        return True

    def ask_export_refdata(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Publish reference package…"), "reference.migreg",
                                               _("Packages (*.migreg)"))
        if name:
            self.export_refdata(Path(name))

    def export_refdata(self, out: Path) -> Task:
        uow = self.ctx.work.for_actor(self.ctx.actor)

        def work(_progress: Any, _cancelled: Any) -> dict[str, Any]:

            with jobs.office_lock():
                with uow.session() as s:
                    written = refpack.export_refdata(out, session=s)
                return written.finish()

        self.bar.show()
        self.task = self.ctx.ops.run(work, done=lambda doc: self._done(
            lambda: _("Reference package written to {file}").format(file=doc["file"])),
            failed=self._refdata_failed, ended=self.bar.hide, name="reference package")
        return self.task

    def _refdata_failed(self, message: str) -> None:
        error = self.task.error if self.task else None
        self.say(error.message if isinstance(error, MigregError) else lambda: message)  # re-worded on a switch


register_page(PageSpec("sync_keys", N_("Keys"), 84, KeysPage, action="keys.manage"))
