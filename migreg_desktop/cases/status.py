"""Case statuses and the transitions a clerk may make (domain README: status history)."""

from __future__ import annotations

from migreg_desktop.models.vocabulary import CASE_KIND_LABELS as KIND_LABELS  # noqa: F401
from migreg_desktop.models.vocabulary import INACTIVE, STATUS_LABELS, STATUSES  # noqa: F401

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
