"""The case editor: one dialog per case, saved through services.cases (same dict as `case add`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.cases import cases
from migreg_desktop.cases.cases import NeedsConfirmation
from migreg_desktop.errors import UserError, ValidationError
from migreg_desktop.fields import label
from migreg_desktop.i18n import _
from migreg_desktop.models.base import utcnow
from migreg_desktop.ui import registry, window_size
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.forms import ErrorLabel, fill_choices, set_combo_code
from migreg_desktop.ui.member_dialog import edit_member
from migreg_desktop.ui.person_form import PersonForm
from migreg_desktop.ui.representative_box import RepresentativeBox
from migreg_desktop.ui.rows_table import DOCUMENT_COLUMNS, FAMILY_COLUMNS, RowsTable
from migreg_desktop.ui.status_box import StatusBox
from migreg_desktop.ui.territory_picker import TerritoryPicker
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS

log = logging.getLogger(__name__)
Problem = tuple[str, str, dict[str, Any]]
MOVE_FIELDS = ("origin_kato", "destination_kato", "employer", "has_job_offer", "has_business_plan",
               "housing", "notes")


def ask_question(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class CaseEditor(QDialog):
    caseSaved = Signal(str)

    def __init__(self, ctx: AppContext, case_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.number: str | None = None
        self.ask: Callable[[QWidget, str, str], bool] = ask_question  # tests replace it
        self.setObjectName("caseEditor")
        self._build()
        self.panels = self._build_panels()
        self._page_policies = [page.sizePolicy() for i in range(self.tabs.count())
                               if (page := self.tabs.widget(i)) is not None]  # i < count: never None
        self.tabs.currentChanged.connect(self._size_to_current_tab)
        self._size_to_current_tab(self.tabs.currentIndex())
        # Fits a 1366×768 laptop above its taskbar; the Save row is outside the tabs, always visible.
        window_size.fit(self, QSize(1060, 700), ctx.settings, "case_editor")
        self.load(case_id)
        self.retranslate_ui()

    # ---- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.toolbar = QToolBar(self)
        self.actions_by_key: dict[str, QAction] = {}
        for spec in registry.case_actions():
            action = QAction(self)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _c=False, s=spec: self._run_action(s))
            self.toolbar.addAction(action)
            self.actions_by_key[spec.key] = action
        self.toolbar.setVisible(bool(self.actions_by_key))
        self.banner = ErrorLabel(self)
        self.banner.setObjectName("error:banner")
        self.kind, self.channel = QComboBox(self), QComboBox(self)
        self.kind.setObjectName("kind")
        self.channel.setObjectName("channel")
        self.quota_year = QSpinBox(self)
        self.quota_year.setRange(2020, 2100)
        self.quota_year.setValue(utcnow().year)
        self.quota_year.setObjectName("quota_year")
        self.number_label = QLabel(self)
        self.captions: dict[str, QLabel] = {}
        self.field_errors: dict[str, ErrorLabel] = {}
        head = QGridLayout()
        for col, (key, widget) in enumerate((("kind", self.kind), ("quota_year", self.quota_year),
                                             ("channel", self.channel))):
            self._captioned(head, key, widget, 0, col * 2)
        head.addWidget(self.number_label, 0, 6)
        head.setColumnStretch(1, 2)
        head.setColumnStretch(5, 2)
        self.applicant = PersonForm("applicant", self)
        self.representative = RepresentativeBox(self)  # issue 14: an applicant under 18
        self.captions.update(self.representative.captions)
        self.field_errors.update(self.representative.errors)
        applicant_page = QWidget(self)
        applicant_layout = QVBoxLayout(applicant_page)
        applicant_layout.addWidget(self.applicant)
        applicant_layout.addWidget(self.representative)
        applicant_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(applicant_page)
        self.edit_member = edit_member  # (parent, values) -> values | None; tests replace it
        self.family = RowsTable(FAMILY_COLUMNS, "family", self,
                                details=lambda values: self.edit_member(self, values))
        self.documents = RowsTable(DOCUMENT_COLUMNS, "documents", self)
        self.status_box = StatusBox(self.ctx, self)
        self.status_box.statusChanged.connect(self._status_changed)
        self.tabs = QTabWidget(self)
        for widget in (scroll, self.family, self.documents, self._build_move(), self.status_box):
            self.tabs.addTab(widget, "")
        self.save_button, self.save_close_button, self.close_button = (QPushButton(self) for _i in range(3))
        self.save_button.clicked.connect(self.save)
        self.save_close_button.clicked.connect(self.save_and_close)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save_and_close)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save_and_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.save_button, self.save_close_button, self.close_button):
            buttons.addWidget(b)
        # The case scrolls, the Save row stays: on a 1366×768 laptop at 150 % (about 910×485 free)
        # the tabs need more than the screen has, and Save must never fall under the taskbar.
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(head)
        body_layout.addWidget(self.banner)
        body_layout.addWidget(self.tabs, 1)
        self.body = QScrollArea(self)
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setMenuBar(self.toolbar)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        for b in self.findChildren(QPushButton):
            b.setAutoDefault(False)  # Enter in a field must not save the case by surprise
        QWidget.setTabOrder(self.kind, self.quota_year)
        QWidget.setTabOrder(self.quota_year, self.channel)
        QWidget.setTabOrder(self.channel, self.tabs)

    def _size_to_current_tab(self, current: int) -> None:
        """The editor needs only the room of the tab shown: a tall panel (eligibility) makes its own
        tab scroll, not the family list, whose buttons would fall below a laptop's screen."""
        ignored = QSizePolicy.Policy.Ignored
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is not None:  # i < count: never None
                page.setSizePolicy(self._page_policies[i] if i == current else QSizePolicy(ignored, ignored))
        self.tabs.updateGeometry()

    def _captioned(self, grid: QGridLayout, key: str, widget: QWidget, row: int, col: int) -> None:
        caption = QLabel(self)
        caption.setBuddy(widget)
        error = ErrorLabel(self)
        error.setObjectName(f"error:{key}")
        grid.addWidget(caption, row, col)
        grid.addWidget(widget, row, col + 1)
        grid.addWidget(error, row + 1, col + 1)
        self.captions[key], self.field_errors[key] = caption, error

    def _build_move(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.origin = TerritoryPicker(self.ctx, page)
        self.destination = TerritoryPicker(self.ctx, page)
        self.employer = QLineEdit(page)
        self.job_offer, self.business_plan = QCheckBox(page), QCheckBox(page)
        self.housing = QComboBox(page)
        self.notes = QPlainTextEdit(page)
        self.notes.setTabChangesFocus(True)
        self.move_widgets: dict[str, QWidget] = {
            "origin_kato": self.origin, "destination_kato": self.destination, "employer": self.employer,
            "has_job_offer": self.job_offer, "has_business_plan": self.business_plan,
            "housing": self.housing, "notes": self.notes,
        }
        for key, widget in self.move_widgets.items():
            widget.setObjectName(key)
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(widget)
            error = ErrorLabel(page)
            error.setObjectName(f"error:{key}")
            box.addWidget(error)
            caption = QLabel(page)
            caption.setBuddy(widget)
            form.addRow(caption, box)
            self.captions[key], self.field_errors[key] = caption, error
        return page

    def _build_panels(self) -> list[QWidget]:
        panels = []
        for spec in registry.panels():
            try:
                widget = spec.factory(self.ctx)
            except Exception:  # a broken extension must not stop the clerk from editing the case
                log.exception("panel %s failed to build", spec.key)
                continue
            widget.setProperty("panel_title", spec.title)
            self.tabs.addTab(widget, _(spec.title))
            panels.append(widget)
        return panels

    def retranslate_ui(self) -> None:
        self._update_title()
        for key, caption in self.captions.items():
            caption.setText(self._caption_text(key))
        self.kind.blockSignals(True)
        current = self.kind.currentData()
        self.kind.clear()
        for code, msgid in KIND_LABELS.items():
            self.kind.addItem(_(msgid), code)
        set_combo_code(self.kind, current)
        self.kind.blockSignals(False)
        fill_choices(self.channel, "channel", blank=False)
        fill_choices(self.housing, "housing")
        self.job_offer.setText(_("The applicant has a job offer"))
        self.business_plan.setText(_("The applicant has a business plan"))
        self.origin.retranslate_ui()
        self.destination.retranslate_ui()
        self.applicant.retranslate_ui()
        self.representative.retranslate_ui()
        self.family.retranslate_ui(_("&Add member"), _("Remove member"))
        self.documents.retranslate_ui(_("Add document"), _("Remove document"))
        self.status_box.retranslate_ui()
        titles = (_("&Applicant"), _("&Family"), _("&Documents"), _("&Move and housing"), _("S&tatus"))
        for n, title in enumerate(titles):
            self.tabs.setTabText(n, title)
        for n, panel in enumerate(self.panels, start=len(titles)):
            self.tabs.setTabText(n, _(panel.property("panel_title")))
            getattr(panel, "retranslate_ui", lambda: None)()
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip("Ctrl+S")
        self.save_close_button.setText(_("Save and close"))
        self.save_close_button.setToolTip("Ctrl+Enter")
        self.close_button.setText(_("Close"))
        self.close_button.setToolTip("Esc")
        for spec in registry.case_actions():
            self.actions_by_key[spec.key].setText(_(spec.title))

    def _caption_text(self, key: str) -> str:
        mnemonic = {"kind": "&", "origin_kato": "&", "destination_kato": "&"}
        if key == "has_job_offer":
            return _("Job offer")
        if key == "has_business_plan":
            return _("Business plan")
        if key == "notes":
            return _("Notes")
        return mnemonic.get(key, "") + label(key)

    def _update_title(self) -> None:
        if self.number:
            self.setWindowTitle(_("Case {number}").format(number=self.number))
            self.number_label.setText(f"<b>{self.number}</b>")
        else:
            self.setWindowTitle(_("New case"))
            self.number_label.setText(_("new, not saved yet"))
        for action in self.actions_by_key.values():
            action.setEnabled(self.case_id is not None)
        may_save = self.ctx.may("case.edit" if self.case_id else "case.create")
        for b in (self.save_button, self.save_close_button):
            b.setEnabled(may_save)

    # ---- load / gather --------------------------------------------------------------------
    def load(self, case_id: str | None) -> None:
        data: dict[str, Any] = {}
        if case_id:
            with self.ctx.session() as s:
                data = cases.case_dict(cases.get_case(case_id, session=s), session=s)
        self.case_id, self.number = data.get("id"), data.get("number")
        set_combo_code(self.kind, data.get("kind") or "resettler")
        self.quota_year.setValue(int(data.get("quota_year") or utcnow().year))
        set_combo_code(self.channel, data.get("channel") or "in_person")
        self.applicant.set_values(data.get("applicant") or {})
        self.representative.set_values(data)
        self.family.set_rows(data.get("family") or [])
        self.documents.set_rows(data.get("documents") or [])
        self.origin.set_kato(data.get("origin_kato"))
        self.destination.set_kato(data.get("destination_kato"))
        self.employer.setText(data.get("employer") or "")
        self.job_offer.setChecked(bool(data.get("has_job_offer")))
        self.business_plan.setChecked(bool(data.get("has_business_plan")))
        set_combo_code(self.housing, data.get("housing"))
        self.notes.setPlainText(data.get("notes") or "")
        self.status_box.load(self.case_id, data.get("status"), data.get("history") or [])
        for panel in self.panels:
            panel.load_case(self.case_id)  # type: ignore[attr-defined]
        self._update_title()
        self.show_problems([])
        self._loaded = self.gather()

    def gather(self) -> dict[str, Any]:
        """The case as the `case add` JSON document (services/cases.clean_case input)."""
        return {
            "kind": self.kind.currentData(), "quota_year": self.quota_year.value(),
            "channel": self.channel.currentData(), "applicant": self.applicant.values(),
            "family": self.family.rows(), "documents": self.documents.rows(),
            "origin_kato": self.origin.kato(), "destination_kato": self.destination.kato(),
            "employer": self.employer.text().strip() or None, "has_job_offer": self.job_offer.isChecked(),
            "has_business_plan": self.business_plan.isChecked(), "housing": self.housing.currentData(),
            "notes": self.notes.toPlainText().strip() or None, **self.representative.values(),
        }

    def quota_year_value(self) -> int:
        return self.quota_year.value()

    def is_dirty(self) -> bool:
        return self.gather() != self._loaded

    # ---- saving ---------------------------------------------------------------------------
    def save(self, confirm_warnings: bool = False) -> bool:
        data = self.gather()
        try:
            with self.ctx.session() as s:
                if self.case_id:
                    case = cases.update_case(self.case_id, data, session=s, confirm_warnings=confirm_warnings)
                else:
                    case = cases.register_case(data, session=s, confirm_warnings=confirm_warnings)
                case_id = case.id
        except NeedsConfirmation as exc:
            self.show_problems([], warnings=exc.warnings)
            text = "\n".join(exc.messages()) + "\n\n" + _("Save anyway?")
            if not confirm_warnings and self.ask(self, _("Please confirm"), text):
                return self.save(confirm_warnings=True)
            return False
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return False
        except UserError as exc:
            self.show_problems([(exc.field or "", exc.msgid, exc.params)])
            return False
        self.load(case_id)
        self.caseSaved.emit(case_id)
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    def reject(self) -> None:
        if self.is_dirty() and not self.ask(self, _("Unsaved changes"), _("Close without saving the changes?")):
            return
        super().reject()

    def _status_changed(self, _status: str) -> None:
        self.load(self.case_id)
        if self.case_id:
            self.caseSaved.emit(self.case_id)

    def _run_action(self, spec: registry.CaseAction) -> None:
        if self.case_id:
            spec.run(self.ctx, self.case_id, self)

    # ---- inline messages ------------------------------------------------------------------
    def show_problems(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        """Each message next to its field; a summary on top names every field (Conventions §5)."""
        from migreg_desktop.ui.editor_errors import place_problems

        place_problems(self, problems, warnings or [])
