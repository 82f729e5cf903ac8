"""Case statuses and the transitions a clerk may make (domain README: status history)."""

from __future__ import annotations

from migreg_desktop.i18n import N_

STATUSES = ("draft", "submitted", "forwarded", "included", "refused", "moved", "closed", "withdrawn")
INACTIVE = frozenset({"refused", "closed", "withdrawn"})

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

STATUS_LABELS = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "forwarded": N_("Forwarded to oblast"),
    "included": N_("Included in quota"),
    "refused": N_("Refused"),
    "moved": N_("Moved"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
}

KIND_LABELS = {
    "kandas": N_("Kandas"),
    "resettler": N_("Resettler"),
    "intra_oblast": N_("Intra-oblast resettlement"),
}


def status_label(code: str) -> str:
    """The status in the clerk's language, for messages (never the raw code)."""
    from migreg_desktop.i18n import _

    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def is_active(status: str) -> bool:
    return status not in INACTIVE


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
