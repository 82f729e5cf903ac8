"""Clerks' accounts: roles, Argon2id passwords, lockout, set-up mode.

Set-up mode: while the database never held an account, nothing asks for a login and the first
account must be an admin (issue 7 §1). A database whose accounts were wiped behind the program's
back (rows, marker or table: services/accounts_history) is damaged, not set-up mode again.

Lockout (issue 12 §6): each attempt is counted by one ``UPDATE … RETURNING`` under SQLite's write
lock (``BEGIN IMMEDIATE``) before the password is checked, so parallel guesses cannot lose
updates of the counter; a disabled account gives the same answer whatever the password.

Who may manage accounts is the permissions table's (services/permissions.py, ``user.manage``):
each function that changes another account asks it first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from migreg_desktop import fields
from migreg_desktop.accounts import accounts_history, audit, names, permissions

# Part of this module's API (the doors ask accounts.*): re-exported explicitly.
from migreg_desktop.accounts.lookup import find as find
from migreg_desktop.accounts.lookup import history_state as history_state
from migreg_desktop.accounts.lookup import in_setup_mode as in_setup_mode
from migreg_desktop.accounts.lookup import normalise_name as normalise_name
from migreg_desktop.accounts.office import set_meta
from migreg_desktop.errors import NotFound, RuleRefused, UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models.account import Account
from migreg_desktop.models.base import utcnow
from migreg_desktop.vocabulary import ROLE_LABELS as ROLE_LABELS  # noqa: E402
from migreg_desktop.vocabulary import ROLES as ROLES  # noqa: E402

fields.LABELS.update({"user": N_("User"), "password": N_("Password"), "role": N_("Role"),
                      "passphrase": N_("Passphrase"), "reason": N_("Reason"), "via": N_("Via"),
                      "disabled": N_("Disabled")})
RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD = 8
NAME_RE = re.compile(r"^[\w.\-]{2,32}$")
# Lockout (issue 7 §1): the first FREE_ATTEMPTS failures cost nothing, then each failure doubles
# the wait, from BASE_DELAY up to MAX_DELAY.
FREE_ATTEMPTS = 3
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=15)
SINCE_KEY = accounts_history.SINCE_KEY

HASHER = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile; tests swap in a cheaper one


def hasher() -> PasswordHasher:
    return HASHER


# A hash to verify against when the name is unknown, so both cases take the same time.
_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hasher().hash("not a password"))
    return _DUMMY[0]


def role_label(role: str) -> str:
    from migreg_desktop.i18n import _

    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def allows(role: str | None, required: str) -> bool:
    return role is not None and RANK.get(role, -1) >= RANK[required]


def account_count(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Account)).one()


def get(name: str, *, session: Session) -> Account:
    account = find(name, session=session)
    if account is None:
        raise NotFound(N_("no account {name}"), field="user", name=name)
    return account


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(N_("at least {n} characters"), field="password", n=MIN_PASSWORD)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(N_("must be one of {choices}"), field="role", choices=", ".join(ROLES))


def add_account(name: str, role: str, password: str, *, session: Session,
                full_name: str = "", position: str = "") -> Account:
    permissions.require("user.manage", session)
    key = normalise_name(name)
    if not NAME_RE.match(key):
        raise UserError(N_("2 to 32 letters, digits, '.', '-' or '_'"), field="user")
    _check_role(role)
    _check_password(password)
    if in_setup_mode(session=session) and role != "admin":
        raise RuleRefused(N_("The first account must be an admin."))
    if find(key, session=session):
        raise UserError(N_("an account {name} already exists"), field="user", name=key)
    account = Account(name=key, full_name=_person_text(full_name, "full_name"), role=role,
                      position=_person_text(position, "position"),
                      password_hash=hasher().hash(password), created_by=audit.actor(session))
    session.add(account)
    set_meta(SINCE_KEY, utcnow().isoformat(), session=session)
    audit.record("account_add", "account", key, {"role": [None, role]}, session=session)
    return account


PERSON_TEXT_MAX = 120


def _person_text(value: str | None, field: str) -> str:
    """A full name or a position as printed on papers: one line, no control characters."""
    from migreg_desktop.safe_text import TextProblem, clean_text

    try:
        return clean_text(value or "", PERSON_TEXT_MAX).strip()
    except TextProblem as exc:
        raise UserError(exc.msgid, field=field, **exc.params) from exc


def set_details(name: str, *, session: Session, full_name: str | None = None,
                position: str | None = None) -> Account:
    """Change how papers and the window name a clerk (issue 14: full name and position); None
    leaves a value as it is."""
    permissions.require("user.manage", session)
    account = get(name, session=session)
    changes: dict[str, list[str]] = {}
    for field, value in (("full_name", full_name), ("position", position)):
        if value is None:
            continue
        new = _person_text(value, field)
        if new != getattr(account, field):
            changes[field] = [getattr(account, field), new]
            setattr(account, field, new)
    if changes:
        audit.record("account_details", "account", account.name, changes, session=session)
        session.add(account)
    return account


def _active_admins(*, session: Session) -> int:
    query = select(func.count()).select_from(Account).where(
        Account.role == "admin", Account.disabled == False)  # noqa: E712
    return session.exec(query).one()


def set_disabled(name: str, disabled: bool, *, session: Session) -> Account:
    """Disable (or enable again) an account; never delete: the audit trail names it."""
    permissions.require("user.manage", session)
    account = get(name, session=session)
    if disabled and account.role == "admin" and not account.disabled and _active_admins(session=session) <= 1:
        raise RuleRefused(N_("{name} is the last active admin; add another admin first."), name=account.name)
    if account.disabled != disabled:
        audit.record("account_disable" if disabled else "account_enable", "account", account.name,
                     {"disabled": [account.disabled, disabled]}, session=session)
        account.disabled = disabled
        account.failed_attempts, account.locked_until = 0, None
        session.add(account)
    return account


def set_role(name: str, role: str, *, session: Session) -> Account:
    permissions.require("user.manage", session)
    _check_role(role)
    account = get(name, session=session)
    if account.role == "admin" and role != "admin" and _active_admins(session=session) <= 1:
        raise RuleRefused(N_("{name} is the last active admin; add another admin first."), name=account.name)
    if account.role != role:
        audit.record("account_role", "account", account.name, {"role": [account.role, role]}, session=session)
        account.role = role
        session.add(account)
    return account


def set_password(name: str, new_password: str, *, session: Session,
                 old_password: str | None = None, own: bool = False) -> Account:
    """Own password (``old_password`` given and checked, or the acting account's own) or an admin's
    reset of another account's (``user.manage``)."""
    if old_password is None and normalise_name(name) != permissions.actor_of(session).name:
        permissions.require("user.manage", session)
    account = get(name, session=session)
    _check_password(new_password)
    if old_password is not None and not _verify(account, old_password):
        raise UserError(N_("the current password is wrong"), field="password")
    account.password_hash = hasher().hash(new_password)
    account.password_changed_at = utcnow()
    account.failed_attempts, account.locked_until = 0, None
    session.add(account)
    how = "own" if own or old_password is not None else "reset"
    audit.record("password", "account", account.name, {"password": [how, "changed"]}, session=session)
    return account


def _verify(account: Account, password: str) -> bool:
    try:
        return hasher().verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass
class LoginResult:
    """The outcome of a login attempt. The caller commits (the failure is audited) then acts."""

    account: Account | None
    reason: str | None = None  # wrong | disabled | locked
    retry_after: int = 0  # seconds, when locked

    @property
    def ok(self) -> bool:
        return self.account is not None and self.reason is None

    def error(self) -> UserError:
        if self.reason == "locked":
            return UserError(N_("Too many wrong passwords. Try again in {seconds} s."),
                             field="password", seconds=self.retry_after)
        if self.reason == "disabled":
            return UserError(N_("This account is disabled. Ask the admin."), field="user")
        return UserError(N_("Wrong user name or password."))


def lock_delay(failed_attempts: int) -> timedelta:
    if failed_attempts < FREE_ATTEMPTS:
        return timedelta(0)
    delay: timedelta = BASE_DELAY * 2 ** (failed_attempts - FREE_ATTEMPTS)
    return min(delay, MAX_DELAY)


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def login(name: str, password: str, *, session: Session, via: str = "window",
          now: datetime | None = None) -> LoginResult:
    now = now or utcnow()
    account = find(name, session=session)
    if account is None:
        _verify(Account(name="", role="clerk", password_hash=_dummy_hash()), password)
        return _failed(normalise_name(name)[:64], "wrong", via, session=session)
    if account.disabled:  # the same answer whatever the password: no oracle
        return _failed(account.name, "disabled", via, session=session)
    retry_after = _count_attempt(account, now, session=session)
    if retry_after:
        result = _failed(account.name, "locked", via, session=session)
        result.retry_after = retry_after
        return result
    if not _verify(account, password):
        return _failed(account.name, "wrong", via, session=session)  # already counted
    if hasher().check_needs_rehash(account.password_hash):
        account.password_hash = hasher().hash(password)
    account.failed_attempts, account.locked_until, account.last_login_at = 0, None, now
    session.add(account)
    session.info["actor"] = account.name
    audit.record("login", "account", account.name, {"via": [None, via]}, session=session)
    return LoginResult(account)


def _count_attempt(account: Account, now: datetime, *, session: Session) -> int:
    """Count this attempt as a failure before the password is checked (a right one resets it),
    atomically: under the write lock, one UPDATE … RETURNING. Returns the seconds to wait when
    the account is locked (the attempt is then not counted), else 0."""
    from migreg_desktop.storage.db import begin_immediate

    begin_immediate(session)
    session.refresh(account)  # what other attempts committed before we took the lock
    locked_until = _aware(account.locked_until)
    if locked_until and locked_until > now:
        return max(1, int((locked_until - now).total_seconds() + 0.999))
    # The count this UPDATE makes is known here: nobody else writes while we hold the lock.
    delay = lock_delay(account.failed_attempts + 1)
    counted = session.execute(
        update(Account).where(col(Account.id) == account.id)
        .values(failed_attempts=col(Account.failed_attempts) + 1, locked_until=now + delay if delay else None)
        .returning(col(Account.failed_attempts)).execution_options(synchronize_session=False)).scalar_one()
    session.refresh(account)
    assert counted == account.failed_attempts
    return 0


def _failed(name: str, reason: str, via: str, *, session: Session) -> LoginResult:
    audit.record("login_failed", "account", name, {"reason": [None, reason], "via": [None, via]},
                 session=session)
    return LoginResult(None, reason)


def list_accounts(*, session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(Account.name)).all())


def account_dict(account: Account) -> dict[str, Any]:
    return {"name": account.name, "full_name": account.full_name, "position": account.position,
            "display_name": display_name_of(account), "role": account.role,
            "disabled": account.disabled, "created_at": account.created_at,
            "last_login_at": account.last_login_at, "failed_attempts": account.failed_attempts}


def role_of(name: str | None, *, session: Session) -> str | None:
    """The role the window gives ``name``: ``admin`` in set-up mode, None if unknown/disabled."""
    state = history_state(session=session)
    if state != "accounts":  # set-up mode: the first admin is being made; wiped: nobody
        return "admin" if state == "setup" else None
    account = find(name or "", session=session)
    return None if account is None or account.disabled else account.role


def display_name(name: str | None, *, session: Session) -> str:
    """How papers and the status bar name a clerk: "full name, position" (issue 14), the full name
    alone when no position is recorded, the login when the account has no full name or is not an
    account of this office (a case received from another office)."""
    account = find(name or "", session=session) if name else None
    return display_name_of(account) if account is not None else name or ""


def display_name_of(account: Account) -> str:
    return names.display_name(account.name, account.full_name, account.position)
