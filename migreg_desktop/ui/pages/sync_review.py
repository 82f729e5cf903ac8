"""Review pages: the conflict queue (field by field, accept or reject) and, at the oblast, the
suspected duplicate persons (same person or different persons)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from migreg_desktop.fields import label
from migreg_desktop.i18n import N_, _, fmt_short_date
from migreg_desktop.sync import conflicts, staging
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.sync_common import RowsModel, rows_view, type_label

CONFLICT_COLUMNS = [("sender_seq", N_("Sender")), ("what", N_("Record")), ("case_number", N_("Case")),
                    ("fields", N_("Fields"))]
FIELD_COLUMNS = [("label", N_("Field")), ("local", N_("Ours")), ("incoming", N_("Incoming"))]
DUP_COLUMNS = [("match_label", N_("Match")), ("name", N_("Person")), ("iin", N_("IIN")), ("birth", N_("Birth date")),
               ("owner", N_("Office")), ("other_name", N_("Other person")), ("other_iin", N_("IIN")),
               ("other_owner", N_("Office"))]
MATCH_LABELS = {"iin": N_("same IIN"), "name_birth": N_("same name and birth date")}


def _short(value: str | None) -> str:
    return fmt_short_date(date.fromisoformat(value[:10])) if value else ""


class _Review(QWidget):
    """A list, a detail, two decision buttons."""

    action = ""  # the permissions table's action of the two decision buttons

    def __init__(self, ctx: AppContext, columns: list[tuple[str, str]]) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = RowsModel(columns, self)
        self.view = rows_view(self.model)
        self.view.selectionModel().selectionChanged.connect(self.show_selected)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.yes_btn, self.no_btn = QPushButton(), QPushButton()
        self.yes_btn.clicked.connect(lambda: self.decide(True))
        self.no_btn.clicked.connect(lambda: self.decide(False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.no_btn)
        buttons.addWidget(self.yes_btn)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(buttons)
        for b in (self.yes_btn, self.no_btn):
            b.setVisible(ctx.may(self.action))
        ctx.hub.languageChanged.connect(self.retranslate_ui)
        ctx.hub.casesReset.connect(self.refresh)

    def selected(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_first(self) -> None:
        if self.model.rows:
            self.view.selectRow(0)

    def show_selected(self, *_args: Any) -> None:
        enabled = self.selected() is not None
        self.yes_btn.setEnabled(enabled)
        self.no_btn.setEnabled(enabled)

    def decide(self, yes: bool) -> None:
        raise NotImplementedError

    def refresh(self, *_args: Any) -> None:
        raise NotImplementedError

    def retranslate_ui(self, *_args: Any) -> None:
        self.model.retranslate()
        self.refresh()


class ConflictsPage(_Review):
    action = "conflict.accept"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, CONFLICT_COLUMNS)
        self.fields_model = RowsModel(FIELD_COLUMNS, self)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(rows_view(self.fields_model))
        self.layout_.insertWidget(0, split, 1)
        self.retranslate_ui()

    def retranslate_ui(self, *_args: Any) -> None:
        self.yes_btn.setText(_("Accept incoming"))
        self.no_btn.setText(_("Keep ours"))
        self.fields_model.retranslate()
        super().retranslate_ui()

    def refresh(self, *_args: Any) -> None:
        with self.ctx.session() as s:
            rows = conflicts.list_conflicts("open", session=s)
        for r in rows:
            r["sender_seq"] = f"{r['sender']} #{r['sequence']}"
            r["what"] = type_label(r["record_type"]) + (" — " + _("removed") if r["deleted"] else "")
        self.model.set_rows(rows)
        self.fields_model.set_rows([])
        self.info.setText(_("{n} incoming edits wait for a decision; nothing was overwritten.").format(n=len(rows))
                          if rows else _("No conflicts."))
        self.show_selected()

    def show_selected(self, *_args: Any) -> None:
        super().show_selected()
        row = self.selected()
        if row is None:
            return
        with self.ctx.session() as s:
            diffs = conflicts.detail(row["id"], session=s)["differences"]
        self.fields_model.set_rows([{**d, "label": label(d["field"])} for d in diffs])

    def decide(self, yes: bool) -> None:
        row = self.selected()
        if row is None:
            return
        with self.ctx.session() as s:
            (conflicts.accept if yes else conflicts.reject)(row["id"], session=s)
        self.refresh()


class DuplicatesPage(_Review):
    action = "duplicate.resolve"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, DUP_COLUMNS)
        self.layout_.insertWidget(0, self.view, 1)
        self.retranslate_ui()

    def retranslate_ui(self, *_args: Any) -> None:
        self.yes_btn.setText(_("Same person"))
        self.no_btn.setText(_("Different persons"))
        super().retranslate_ui()

    def refresh(self, *_args: Any) -> None:
        with self.ctx.session() as s:
            rows = staging.list_duplicates("open", session=s)
        flat = [{"id": d["id"], "match_label": _(MATCH_LABELS[d["match"]]), "name": d["person"].get("name"),
                 "iin": d["person"].get("iin"), "birth": _short(d["person"].get("birth_date")),
                 "owner": d["person"].get("owner"), "other_name": d["other"].get("name"),
                 "other_iin": d["other"].get("iin"), "other_owner": d["other"].get("owner")} for d in rows]
        self.model.set_rows(flat)
        self.info.setText(_("{n} pairs of persons may be the same person.").format(n=len(flat))
                          if flat else _("No suspected duplicates."))
        self.show_selected()

    def decide(self, yes: bool) -> None:
        row = self.selected()
        if row is None:
            return
        with self.ctx.session() as s:
            staging.resolve_duplicate(row["id"], "same" if yes else "different", session=s)
        self.refresh()


register_page(PageSpec("sync_conflicts", N_("Conflicts"), 82, ConflictsPage))  # a clerk sees what waits
register_page(PageSpec("sync_duplicates", N_("Duplicates"), 83, DuplicatesPage, roles=("oblast",),
                       action="duplicate.resolve"))
