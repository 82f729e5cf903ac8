"""Placing validation messages of services.cases next to the fields they name.

Field keys come from the services ("applicant.iin", "family.2.relation", "documents.1.doc_type",
"destination_kato"); the rule text goes beside the field, the full message (field › rule) into
the summary on top, so the clerk sees every problem even on another tab.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol

from PySide6.QtWidgets import QTabWidget, QWidget

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import _
from migreg_desktop.ui.forms import ErrorLabel
from migreg_desktop.ui.person_form import PersonForm
from migreg_desktop.ui.rows_table import RowsTable


class CaseEditor(Protocol):
    """What placing problems needs of the case editor (ui/case_editor.py, which imports this)."""

    tabs: QTabWidget
    banner: ErrorLabel
    field_errors: dict[str, ErrorLabel]
    applicant: PersonForm
    family: RowsTable
    documents: RowsTable
    move_widgets: dict[str, QWidget]

Problem = tuple[str, str, dict[str, Any]]
TAB_APPLICANT, TAB_FAMILY, TAB_DOCUMENTS, TAB_MOVE = 0, 1, 2, 3


def problem_text(msgid: str, params: dict[str, Any]) -> str:
    """The rule part of a message (the field is named by where it is shown)."""
    text = _(msgid)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def _rule(msgid: str, params: dict[str, Any]) -> str:
    return problem_text(msgid, params)


def _row_problem(parts: list[str], msgid: str, params: dict[str, Any]) -> tuple[int, str, str]:
    n = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    key = parts[2] if len(parts) > 2 else ""
    return n, key, UserError(msgid, field=".".join(parts), **params).message()


def place_problems(editor: CaseEditor, problems: list[Problem], warnings: list[Problem]) -> None:
    person: dict[str, list[str]] = defaultdict(list)
    rows: dict[str, list[tuple[int, str, str]]] = {"family": [], "documents": []}
    fields: dict[str, list[str]] = defaultdict(list)
    for field, msgid, params in problems:
        parts = field.split(".") if field else [""]
        if parts[0] == "applicant" and len(parts) > 1:
            person[parts[1]].append(_rule(msgid, params))
        elif parts[0] in rows:
            rows[parts[0]].append(_row_problem(parts, msgid, params))
        elif parts[0] in editor.field_errors:
            fields[parts[0]].append(_rule(msgid, params))
    editor.applicant.show_errors(person)
    editor.family.show_errors(rows["family"])
    editor.documents.show_errors(rows["documents"])
    for key, label in editor.field_errors.items():
        label.show_messages(fields.get(key, []))
    summary = [UserError(m, field=f or None, **p).message() for f, m, p in problems]
    summary += [_("Warning: {message}").format(message=UserError(m, field=f or None, **p).message())
                for f, m, p in warnings]
    editor.banner.show_messages(summary)
    if problems:
        _focus_first(editor, min((f for f, _m, _p in problems), key=_tab_rank))


def _tab_rank(field: str) -> int:
    """Focus goes to the first problem in the order the clerk fills the editor."""
    head = field.split(".")[0]
    return {"kind": 0, "quota_year": 0, "channel": 0, "applicant": 1, "family": 2, "documents": 3}.get(head, 4)


def _focus_first(editor: CaseEditor, field: str) -> None:
    parts = field.split(".")
    if parts[0] == "applicant":
        editor.tabs.setCurrentIndex(TAB_APPLICANT)
        widget = editor.applicant.widget_for(parts[1] if len(parts) > 1 else "iin")
        if widget is not None:
            widget.setFocus()
    elif parts[0] in ("family", "documents"):
        table = editor.family if parts[0] == "family" else editor.documents
        editor.tabs.setCurrentIndex(TAB_FAMILY if parts[0] == "family" else TAB_DOCUMENTS)
        n = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        table.focus_problem(n, parts[2] if len(parts) > 2 else "")
    elif parts[0] in editor.move_widgets:
        editor.tabs.setCurrentIndex(TAB_MOVE)
        editor.move_widgets[parts[0]].setFocus()
    elif parts[0] in ("kind", "quota_year", "channel"):
        getattr(editor, parts[0]).setFocus()
