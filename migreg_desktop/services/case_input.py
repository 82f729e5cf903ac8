"""The shape of a case document (the `case add` JSON): its keys and their JSON types.

Checked before any rule so that a number where text belongs, a list for a surname or
``"has_job_offer": "yes"`` is a message naming the field (issue 3 §7: bad input → exit 2),
never a crash deep in the database layer (exit 3) nor a silent ``true``. Unknown keys are
refused: a misspelt ``"patronimic"`` would otherwise be dropped without a word.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..i18n import N_
from ..models.person import PERSON_FIELDS
from .persons import DATE_FIELDS

TEXT, DATE, BOOL, YEAR = "text", "date", "bool", "year"

CASE_TYPES = {"kind": TEXT, "origin_kato": TEXT, "destination_kato": TEXT, "quota_year": YEAR,
              "channel": TEXT, "employer": TEXT, "has_job_offer": BOOL, "has_business_plan": BOOL,
              "housing": TEXT, "notes": TEXT, "legal_representative": TEXT, "representative_basis": TEXT}
PERSON_TYPES = {"id": TEXT, **{k: DATE if k in DATE_FIELDS else TEXT for k in PERSON_FIELDS}}
MEMBER_TYPES = {**PERSON_TYPES, "relation": TEXT}
DOC_TYPES = {"id": TEXT, "doc_type": TEXT, "number": TEXT, "issued_on": DATE, "expires_on": DATE,
             "note": TEXT}
# What `case show` adds to the document: accepted and ignored, so a shown case can be edited
# and sent back with `case update` (statuses change only through `case status`).
SHOWN_ONLY = ("id", "number", "office", "status", "clerk", "version", "created_at", "updated_at",
              "history")
CASE_KEYS = frozenset(CASE_TYPES) | {"applicant", "family", "documents"} | frozenset(SHOWN_ONLY)

MSG_TYPE = {
    TEXT: N_("must be text in quotes (found: {found})"),
    DATE: N_("must be a date as text \"YYYY-MM-DD\" (found: {found})"),
    BOOL: N_("must be true or false without quotes (found: {found})"),
    YEAR: N_("must be a whole number such as 2026 (found: {found})"),
}
MSG_LIST = N_("must be a list (found: {found})")
MSG_OBJECT = N_("must be a JSON object (found: {found})")
MSG_UNKNOWN_KEYS = N_("unknown keys: {keys} (the keys of a case file are listed in the README)")
# JSON's names for what was found, so the message says what to change.
FOUND = {bool: N_("true/false"), int: N_("a number"), float: N_("a number"), str: N_("text"),
         list: N_("a list"), dict: N_("an object")}

Problems = list[tuple[str, str, dict[str, Any]]]


def found(value: Any) -> str:
    """Translated at message time: the params of a problem are formatted into the msgid."""
    from ..i18n import _

    kind = FOUND.get(type(value))
    return _(kind) if kind else type(value).__name__


def _fits(kind: str, value: Any) -> bool:
    if value is None:
        return True  # absent: the rules say whether the field is required
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == DATE:
        return isinstance(value, str | date)  # the window hands over date objects
    if kind == YEAR:
        return isinstance(value, int | str) and not isinstance(value, bool)
    return isinstance(value, str)


def field_problems(data: dict[str, Any], types: dict[str, str], prefix: str = "") -> Problems:
    """Type problems of the known keys of one JSON object."""
    return [(f"{prefix}{key}", MSG_TYPE[kind], {"found": found(data[key])})
            for key, kind in types.items() if key in data and not _fits(kind, data[key])]


def _unknown(data: dict[str, Any], allowed: frozenset[str] | dict[str, str], field: str) -> Problems:
    extra = sorted(str(k) for k in data if k not in allowed)
    return [(field, MSG_UNKNOWN_KEYS, {"keys": ", ".join(extra)})] if extra else []


def _object(value: Any, field: str, types: dict[str, str], problems: Problems) -> None:
    if not isinstance(value, dict):
        problems.append((field, MSG_OBJECT, {"found": found(value)}))
        return
    problems += _unknown(value, types, field)
    problems += field_problems(value, types, f"{field}.")


def _list_of_objects(value: Any, field: str, types: dict[str, str], problems: Problems) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        problems.append((field, MSG_LIST, {"found": found(value)}))
        return
    for n, item in enumerate(value, start=1):
        _object(item, f"{field}.{n}", types, problems)


def shape_problems(data: dict[str, Any]) -> Problems:
    """Every unknown key and every value of the wrong JSON type in a case document."""
    problems = _unknown(data, CASE_KEYS, "file")
    problems += field_problems(data, CASE_TYPES)
    if data.get("applicant") is not None:
        _object(data["applicant"], "applicant", PERSON_TYPES, problems)
    _list_of_objects(data.get("family"), "family", MEMBER_TYPES, problems)
    _list_of_objects(data.get("documents"), "documents", DOC_TYPES, problems)
    return problems
