"""Changing preferences: who may change which setting is the permissions table's call (issue 15).

Each setting of ``settings.REGISTRY`` may name an action (``settings.office`` for the lock
timeout, backup retention, the reference-data warning); ``editable`` says which ones the acting
account may change, ``change`` refuses the others with the one ``AccessDenied`` and records an
office-wide change in the audit trail. The window's dialog and ``migreg settings set`` both call
it, so neither door decides on its own.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import UserError
from migreg_desktop.settings import REGISTRY, Setting, Settings


def visible() -> list[Setting]:
    """The settings Preferences shows, in declaration order."""
    return [s for s in REGISTRY.values() if not s.hidden]


def may_change(key: str, *, session: Session) -> bool:
    action = REGISTRY[key].action
    return action is None or permissions.may(action, session)


def editable(*, session: Session) -> dict[str, bool]:
    """key → whether the acting account may change it (read-only otherwise)."""
    return {s.key: may_change(s.key, session=session) for s in visible()}


def change(settings: Settings, values: dict[str, Any], *, session: Session) -> list[str]:
    """Apply ``values`` (key → new value); the keys whose value changed. All or nothing: every
    value is checked (known key, type, bounds, permission) before the first is written."""
    checked: dict[str, Any] = {}
    for key, value in values.items():
        setting = REGISTRY.get(key)
        if setting is None or setting.hidden:
            raise UserError("Unknown setting {key}", field="key", key=key)
        try:
            new = setting.check(value)
        except (TypeError, ValueError):
            raise UserError("{key}: {value} is not allowed (from {minimum} to {maximum})", field=key, key=key,
                            value=value, minimum=setting.minimum if setting.minimum is not None else "—",
                            maximum=setting.maximum if setting.maximum is not None else "—") from None
        if new != settings.get(key):
            if setting.action is not None:
                permissions.require(setting.action, session)
            checked[key] = new
    for key, new in checked.items():
        old = settings.get(key)
        settings.set(key, new)
        if REGISTRY[key].action is not None:  # office-wide: who changed it is on record
            audit.record("settings_change", "settings", key, {key: [old, new]}, session=session)
        record_change(session, "settings_changed", key)
    return list(checked)


def rows(settings: Settings, *, session: Session) -> list[dict[str, Any]]:
    """For ``migreg settings show``: every visible setting with its value and who may change it."""
    may = editable(session=session)
    return [{"key": s.key, "value": settings.get(s.key), "default": s.default, "action": s.action,
             "editable": may[s.key], "minimum": s.minimum, "maximum": s.maximum,
             "choices": list(s.choices) if s.choices else None} for s in visible()]
