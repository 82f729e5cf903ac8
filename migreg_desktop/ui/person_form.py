"""The applicant's fields (models/person.py PERSON_FIELDS) with inline errors and a live IIN check."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from migreg_desktop.fields import label
from migreg_desktop.i18n import _, fmt_date
from migreg_desktop.models.person import PERSON_FIELDS
from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.ui import theme
from migreg_desktop.ui.forms import (
    CHOICE_ORDER,
    DateEdit,
    ErrorLabel,
    choice_text,
    fill_choices,
    set_combo_code,
)

DATE_KEYS = ("birth_date", "registered_since", "jobseeker_since", "kandas_certificate_date")
# Left: identity as on the ID card (Tab goes down it first); right: contact, registration, work.
LAYOUT = (
    ("iin", "phone"), ("surname", "address"), ("name", "registered_since"),
    ("patronymic", "employment_status"), ("birth_date", "jobseeker_since"), ("sex", "education"),
    ("citizenship", "profession"), ("name_latin", "kandas_certificate_no"),
    ("nationality", "kandas_certificate_date"), ("origin_country", "former_citizenship"),
)
# Issue 14: a kandas's nationality, country of origin and former citizenship (printed on the
# kandas application form); asked for every applicant, as the kandas certificate is.


class PersonForm(QWidget):
    def __init__(self, prefix: str = "applicant", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix = prefix
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self._extra: dict[str, Any] = {}  # id and anything the form does not show
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(2, 12)
        for row, pair in enumerate(LAYOUT):
            for side, key in enumerate(pair):
                if key:
                    self._add_field(grid, key, row * 2, side * 2)
        grid.setRowStretch(len(LAYOUT) * 2, 1)
        self.fields["iin"].setValidator(QRegularExpressionValidator(r"\d{0,12}", self))  # type: ignore[attr-defined]
        self.fields["iin"].textChanged.connect(self.check_iin)  # type: ignore[attr-defined]
        order = [k for column in (0, 1) for pair in LAYOUT if (k := pair[column])]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(self.fields[first], self.fields[second])
        self.retranslate_ui()

    def _add_field(self, grid: QGridLayout, key: str, row: int, col: int) -> None:
        if key in CHOICE_ORDER:
            widget: QWidget = QComboBox(self)
        elif key in DATE_KEYS:
            widget = DateEdit(self)
        else:
            widget = QLineEdit(self)
        widget.setObjectName(f"{self.prefix}.{key}")
        caption = QLabel(self)
        caption.setBuddy(widget)
        error = ErrorLabel(self)
        error.setObjectName(f"error:{self.prefix}.{key}")
        grid.addWidget(caption, row, col)
        grid.addWidget(widget, row, col + 1)
        if key == "iin":  # the live check sits right under the number, above any save error
            self.iin_info = QLabel(self)
            self.iin_info.setWordWrap(True)
            self.iin_info.setObjectName("iinInfo")
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(self.iin_info)
            box.addWidget(error)
            grid.addLayout(box, row + 1, col + 1)
        else:
            grid.addWidget(error, row + 1, col + 1)
        self.fields[key], self.labels[key], self.errors[key] = widget, caption, error

    def retranslate_ui(self) -> None:
        for key, caption in self.labels.items():
            text = label(key)
            caption.setText(("&" + text) if key == "iin" else text)
            widget = self.fields[key]
            if isinstance(widget, QComboBox):
                fill_choices(widget, key)
            elif isinstance(widget, DateEdit):
                widget.retranslate_ui()
        self.check_iin()

    # ---- values ---------------------------------------------------------------------------
    def set_values(self, person: dict[str, Any]) -> None:
        self._extra = {k: v for k, v in person.items() if k not in PERSON_FIELDS}
        for key, widget in self.fields.items():
            value = person.get(key)
            if isinstance(widget, QComboBox):
                set_combo_code(widget, value)
            elif isinstance(widget, DateEdit):
                widget.set_iso(value)
            else:
                widget.setText("" if value is None else str(value))  # type: ignore[attr-defined]
        self.check_iin()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self._extra)
        for key, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            elif isinstance(widget, DateEdit):
                out[key] = widget.iso()
            else:
                out[key] = widget.text().strip() or None  # type: ignore[attr-defined]
        return out

    # ---- IIN: live check (iin.md), derived birth date and sex ------------------------------
    def check_iin(self) -> None:
        text = self.fields["iin"].text().strip()  # type: ignore[attr-defined]
        if not text:
            self._info("", ok=True)
            return
        if len(text) < 12:
            self._info(_("{n} of 12 digits").format(n=len(text)), ok=True)
            return
        result = iin_rules.check(text)
        if not result.valid:
            self._info("; ".join(_(m).format(**p) for m, p in result.errors), ok=False)
            return
        parts = [_(m).format(**p) for m, p in result.warnings]
        if result.birth_date:
            sex = choice_text("sex", result.sex)
            parts.insert(0, _("Valid IIN: born {date}, {sex}").format(date=fmt_date(result.birth_date), sex=sex))
            self._fill_derived(result)
        else:
            parts.insert(0, _("Valid IIN"))
        self._info("; ".join(parts), ok=True, good=True)

    def _fill_derived(self, result: iin_rules.IinCheck) -> None:
        """Fill what the clerk has not typed yet; never overwrite what was typed (iin.md)."""
        birth = self.fields["birth_date"]
        if isinstance(birth, DateEdit) and not birth.text().strip() and result.birth_date:
            birth.set_iso(result.birth_date.isoformat())
        sex = self.fields["sex"]
        if isinstance(sex, QComboBox) and sex.currentData() is None and result.sex:
            set_combo_code(sex, result.sex)

    def _info(self, text: str, ok: bool, good: bool = False) -> None:
        self.iin_info.setText(text)
        theme.set_role(self.iin_info, "error" if not ok else ("ok" if good else "muted"))

    # ---- errors ---------------------------------------------------------------------------
    def show_errors(self, by_key: dict[str, list[str]]) -> None:
        for key, error in self.errors.items():
            error.show_messages(by_key.get(key, []))

    def widget_for(self, key: str) -> QWidget | None:
        return self.fields.get(key)
