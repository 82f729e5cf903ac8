"""Case statuses and the transitions a clerk may make (domain README: status history)."""

from __future__ import annotations

# The statuses themselves are vocabulary (vocabulary.py); here: what a clerk may do with them.
from migreg_desktop.vocabulary import CASE_KIND_LABELS
from migreg_desktop.vocabulary import INACTIVE as INACTIVE
from migreg_desktop.vocabulary import STATUS_LABELS as STATUS_LABELS
from migreg_desktop.vocabulary import STATUSES as STATUSES

KIND_LABELS = CASE_KIND_LABELS

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"draft", "forwarded", "refused", "withdrawn"}),
    "forwarded": frozenset({"included", "refused", "withdrawn"}),
    "included": frozenset({"moved", "refused", "withdrawn"}),
    "moved": frozenset({"closed"}),
    "refused": frozenset(),
    "closed": frozenset(),
    "withdrawn": frozenset(),
}

def status_label(code: str) -> str:
    """The status in the clerk's language, for messages (never the raw code)."""
    from migreg_desktop.i18n import _

    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def is_active(status: str) -> bool:
    return status not in INACTIVE


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
