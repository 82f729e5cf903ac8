"""Typed errors. ``UserError`` is something the clerk can fix; it carries a translatable message.

Messages are stored untranslated (msgid + params) and translated when shown, so the CLI's
``--lang`` and the window's live language both work.
"""

from __future__ import annotations

from typing import Any


class Label(str):
    """A parameter that is itself a msgid (a status's or a kind's label): translated when the
    message is shown, like the message, so a later language switch renders both alike."""


class MigregError(Exception):
    """Base of every error the program raises on purpose."""

    exit_code = 3

    def __init__(self, msgid: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.field = field
        self.params = params

    def message(self) -> str:
        from migreg_desktop.i18n import _

        text = _(self.msgid)
        try:
            text = text.format(**{k: _(v) if isinstance(v, Label) else v for k, v in self.params.items()})
        except (KeyError, IndexError, ValueError):
            pass
        # A fragment ("at least 8 characters") needs its field's name; a whole sentence
        # ("This account is disabled.") already says what it is about.
        if self.field and not self.msgid[:1].isupper():
            from migreg_desktop.fields import label

            name = label(self.field)
            if text.casefold().startswith(name.casefold()):  # "case ALM-…: …" names its field already
                return text[:1].upper() + text[1:]
            return f"{name}: {text}"
        return text

    def __str__(self) -> str:
        return self.message()


class UserError(MigregError):
    """Bad input: the clerk (or the script) can fix it. CLI exit 2."""

    exit_code = 2


class ValidationError(UserError):
    """One or more fields are wrong. ``problems`` holds (field, msgid, params) triples."""

    def __init__(self, problems: list[tuple[str, str, dict[str, Any]]]) -> None:
        field, msgid, params = problems[0]
        super().__init__(msgid, field=field, **params)
        self.problems = problems

    def messages(self) -> list[str]:
        return [UserError(m, field=f, **p).message() for f, m, p in self.problems]

    def message(self) -> str:
        return "; ".join(self.messages())


class NotFound(UserError):
    pass


class AccessDenied(UserError):
    """The acting account may not do this: its role is below what the action needs, or the action
    belongs to another kind of office (services/permissions.py). CLI exit 2, like every refusal
    of who is asking (a wrong password, a disabled account); exit 1 stays "a rule said no".

    Parameters named in ``LOCALISED`` are msgids (the action's title, role and office labels),
    translated when the message is shown, so the window's live language switch holds."""

    LOCALISED = ("what", "required", "role", "kind")

    def message(self) -> str:
        from migreg_desktop.i18n import _

        saved = self.params
        self.params = {k: _(v) if k in self.LOCALISED and isinstance(v, str) else v for k, v in saved.items()}
        try:
            return super().message()
        finally:
            self.params = saved


class DuplicateError(UserError):
    pass


class RuleRefused(MigregError):
    """A rule said no (not eligible, no quota room). CLI exit 1."""

    exit_code = 1


class IntegrityError(MigregError):
    """The stored data is damaged or inconsistent."""

    exit_code = 3


class SchemaTooNew(MigregError):
    """The database was written by a newer program version."""

    exit_code = 2


class SyncError(UserError):
    pass


class Cancelled(MigregError):
    """The clerk pressed Cancel: the job stopped at its next step; what it had not committed is
    rolled back and no half-written file is left. The one cancel of the program: the window's
    operation runner (ui/operations.py) reports it as "cancelled", not as a failure."""

    exit_code = 2

    def __init__(self, msgid: str = "Cancelled; nothing was changed.", **params: Any) -> None:
        super().__init__(msgid, **params)
