"""Small building blocks of the editor: translated choices, date fields, inline error labels."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from migreg_desktop.i18n import N_, _
from migreg_desktop.ui import theme
from migreg_desktop.vocabulary import CHANNELS, CITIZENSHIPS, EMPLOYMENT, HOUSING, RELATIONS, SEXES

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "sex": {"M": N_("Male"), "F": N_("Female")},
    "citizenship": {"citizen": N_("Citizen of Kazakhstan"), "kandas": N_("Kandas (status granted)"),
                    "foreigner": N_("Foreign citizen"), "stateless": N_("Stateless person")},
    "employment_status": {
        "employed": N_("Employed"), "jobseeker": N_("Registered jobseeker"),
        "unemployed": N_("Registered unemployed"), "self_employed": N_("Self-employed"),
        "student": N_("Student"), "pensioner": N_("Pensioner"), "other": N_("Other"),
    },
    "relation": {"spouse": N_("Spouse"), "child": N_("Child"), "parent": N_("Parent"),
                 "sibling": N_("Brother or sister"), "grandchild": N_("Grandchild"),
                 "grandparent": N_("Grandparent"), "other": N_("Other relative")},
    "channel": {"in_person": N_("In person"), "egov": N_("egov.kz portal"),
                "labour_exchange": N_("Electronic Labour Exchange"), "con": N_("State Corporation (CON)")},
    "housing": {"state_fund": N_("State housing fund"), "rent": N_("Rented"), "own": N_("Own home"),
                "relatives": N_("With relatives"), "none": N_("No housing yet")},
    "doc_type": {
        "identity_card": N_("Identity card"), "passport": N_("Passport of Kazakhstan"),
        "foreign_passport": N_("Foreign passport"), "kandas_certificate": N_("Kandas certificate"),
        "birth_certificate": N_("Birth certificate"), "marriage_certificate": N_("Marriage certificate"),
        "address_certificate": N_("Certificate of address"), "application": N_("Application"),
        "jobseeker_certificate": N_("Jobseeker registration"), "job_offer": N_("Job offer"),
        "business_plan": N_("Business plan"), "other": N_("Other document"),
    },
}
# The codes the services accept, in display order.
CHOICE_ORDER = {"sex": SEXES, "citizenship": CITIZENSHIPS, "employment_status": EMPLOYMENT,
                "relation": RELATIONS, "channel": CHANNELS, "housing": HOUSING,
                "doc_type": tuple(CHOICE_LABELS["doc_type"])}

_DMY = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")


def choice_text(kind: str, code: Any) -> str:
    if code in (None, ""):
        return ""
    msgid = CHOICE_LABELS.get(kind, {}).get(code)
    return _(msgid) if msgid else str(code)


def fill_choices(combo: QComboBox, kind: str, blank: bool = True) -> None:
    """(Re)fill a combo with translated choices, keeping the selected code."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if blank:
        combo.addItem("—", None)
    for code in CHOICE_ORDER[kind]:
        combo.addItem(choice_text(kind, code), code)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def set_combo_code(combo: QComboBox, code: Any) -> None:
    index = combo.findData(code)
    if index < 0 and code not in (None, ""):
        combo.addItem(str(code), code)  # a code from a newer program: keep it, don't lose it
        index = combo.count() - 1
    combo.setCurrentIndex(max(0, index))


def parse_date_text(text: str) -> str | None:
    """dd.mm.yyyy (what clerks type) or ISO → ISO; anything else is passed on for the service to
    reject with its own message naming the field."""
    text = (text or "").strip()
    if not text:
        return None
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def local_time(value: Any) -> datetime | None:
    """Stored times are UTC (SQLite gives them back naive); the clerk reads local time."""
    if not value:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone()


def show_date(value: Any) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


class DateEdit(QLineEdit):
    """A date typed as dd.mm.yyyy; an empty field is no date (QDateEdit cannot be empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("дд.мм.гггг")
        self.setMaxLength(10)

    def retranslate_ui(self) -> None:
        self.setPlaceholderText(_("dd.mm.yyyy"))

    def iso(self) -> str | None:
        return parse_date_text(self.text())

    def set_iso(self, value: Any) -> None:
        self.setText(show_date(value))


class ErrorLabel(QLabel):
    """The inline message under a field; hidden while the field is fine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        theme.set_role(self, "error")
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        self.setText("\n".join(messages))
        self.setVisible(bool(messages))
