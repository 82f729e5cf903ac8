"""The shape of a case document (the `case add` JSON): its keys, their JSON types and the messages.

Checked before any rule so that a number where text belongs, a list for a surname or
``"has_job_offer": "yes"`` is a message naming the field (issue 3 §7: bad input → exit 2),
never a crash deep in the database layer (exit 3) nor a silent ``true``. Unknown keys are
refused: a misspelt ``"patronimic"`` would otherwise be dropped without a word. The check
itself is ``services/case_document.py`` (pydantic), which also applies the limits and Unicode rules.
"""

from __future__ import annotations

from typing import Any

from migreg_desktop.cases.persons import DATE_FIELDS
from migreg_desktop.i18n import N_
from migreg_desktop.models.person import PERSON_FIELDS

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
    from migreg_desktop.i18n import _

    kind = FOUND.get(type(value))
    return _(kind) if kind else type(value).__name__
