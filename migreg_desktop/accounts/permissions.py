"""One permissions table: who may do what, read by the services, the CLI and the window (issue 12 §1).

Each action has a stable name (``case.create``, ``quota.set`` …), the least role that may do it
(clerk < head < admin, docs/accounts.md) and the kinds of office where it is done (a district or
city career centre, the oblast Department ``ALM-OBL``). Nothing else decides:

- every mutating service calls ``require(action, session)`` at its top and gets one
  ``AccessDenied`` (errors.py, CLI exit 2) when the acting account may not;
- ``cli/access.py`` asks ``allowed`` for the command's action before running it;
- the window enables or shows each control that performs an action by ``allowed``.

**Who is acting** travels with the session: ``session.info["acting"]`` holds an ``Actor`` when
the caller set one (``db.session_scope(engine, actor=Actor(...))``); otherwise the session's
``actor`` name is looked up among the accounts (the CLI's and the window's sessions carry the
logged-in name). A database without any account is in **set-up mode** and every action is
allowed, as before accounts existed; the program's own work (first start, loading reference
data) runs as ``SYSTEM`` (``with as_system(session): ...``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from migreg_desktop.errors import AccessDenied, IntegrityError
from migreg_desktop.i18n import N_

if TYPE_CHECKING:  # the table is read when every command is parsed: no database layer (issue 17 §5)
    from sqlmodel import Session

ROLES = ("clerk", "head", "admin")  # the same order as services/accounts.ROLES (a test holds them equal)
RANK = {role: i for i, role in enumerate(ROLES)}
KINDS = ("district", "city", "oblast")  # models.territory.Office.kind
ANY_OFFICE = KINDS
OBLAST = ("oblast",)
KIND_LABELS = {"district": N_("a district career centre"), "city": N_("a city career centre"),
               "oblast": N_("the oblast Department")}


@dataclass(frozen=True)
class Permission:
    action: str  # stable name, used by the CLI, the window, the docs and the tests
    role: str  # the least role
    kinds: tuple[str, ...]  # the kinds of office where it is done
    title: str  # msgid: what the action is, for the refusal message and the docs


TABLE: dict[str, Permission] = {p.action: p for p in (
    Permission("case.create", "clerk", ANY_OFFICE, N_("Registering a case")),
    Permission("case.edit", "clerk", ANY_OFFICE, N_("Editing a case")),
    Permission("case.status", "clerk", ANY_OFFICE, N_("Changing a case's status")),
    Permission("case.check", "clerk", ANY_OFFICE, N_("Checking a case's eligibility")),
    # A district (or city) centre reserves places of its own allotment for its own cases.
    Permission("quota.reserve", "clerk", ANY_OFFICE, N_("Reserving or releasing quota places")),
    # The oblast Department owns the quotas, the allotments and the settlement list (Rules §2, §6–8);
    # the other offices receive them in reference packages.
    Permission("quota.set", "admin", OBLAST, N_("Setting a regional quota")),
    Permission("quota.allot", "admin", OBLAST, N_("Allotting quota places to an office")),
    Permission("settlements.import", "admin", OBLAST, N_("Importing the settlement list")),
    Permission("settlements.edit", "admin", OBLAST, N_("Editing the settlement list")),
    Permission("refdata.publish", "admin", OBLAST, N_("Publishing a reference package")),
    Permission("sync.export", "clerk", ANY_OFFICE, N_("Writing a package for another office")),
    Permission("sync.import", "clerk", ANY_OFFICE, N_("Importing a package")),
    Permission("sync.accept_gap", "admin", ANY_OFFICE, N_("Importing past a missing package")),
    Permission("sync.ack", "clerk", ANY_OFFICE, N_("Acknowledging imported packages")),
    # Deciding another office's edit is the head of office's call (issue 7 roles).
    Permission("conflict.accept", "head", ANY_OFFICE, N_("Accepting or rejecting an incoming edit")),
    Permission("duplicate.resolve", "head", OBLAST, N_("Resolving suspected duplicate persons")),
    Permission("keys.manage", "admin", ANY_OFFICE, N_("Making keys or trusting a partner office")),
    Permission("user.manage", "admin", ANY_OFFICE, N_("Managing accounts")),
    Permission("backup.create", "admin", ANY_OFFICE, N_("Backing the database up")),
    # The lock timeout, backup retention and the reference-data warning protect the whole office's
    # data: a clerk sees them, an admin changes them (issue 15; settings.REGISTRY names the action).
    Permission("settings.office", "admin", ANY_OFFICE, N_("Changing the office's lock, backup and reference data settings")),
    Permission("backup.restore", "admin", ANY_OFFICE, N_("Restoring a backup")),
    Permission("audit.read", "head", ANY_OFFICE, N_("Reading the audit trail")),
    Permission("audit.export", "head", ANY_OFFICE, N_("Exporting the audit trail")),
    Permission("office.init", "admin", ANY_OFFICE, N_("Setting up the database of an office")),
    Permission("demo.generate", "admin", ANY_OFFICE, N_("Adding demo cases")),
    Permission("monitoring.read", "head", OBLAST, N_("Monitoring migration in the oblast")),
    Permission("department.write", "head", OBLAST,
               N_("Keeping the Department's records (settlement list, adaptation, statistics, proposals)")),
    Permission("settlements.reopen", "admin", OBLAST, N_("Reopening a fixed settlement list")),
)}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the account's name and role and the kind of this database's office."""

    name: str
    role: str | None  # clerk | head | admin; None: no active account of that name
    kind: str | None  # district | city | oblast; None: no office yet
    setup: bool = False  # set-up mode: the database has no account yet
    system: bool = False  # the program itself (first start, reference data)


SYSTEM = Actor("system", None, None, system=True)


def permission(action: str) -> Permission:
    return TABLE[action]  # KeyError: a typo in the program, not the clerk's doing


def allowed(action: str, actor: Actor) -> bool:
    rule = permission(action)
    if actor.system or actor.setup:
        return True
    if actor.role not in RANK or RANK[actor.role] < RANK[rule.role]:
        return False
    return actor.kind in rule.kinds


def denial(action: str, actor: Actor) -> AccessDenied:
    rule = permission(action)
    if actor.role not in RANK:
        return AccessDenied(N_("{what} ({action}) needs the role {required}; {name} has no active account."),
                            what=rule.title, action=action, required=_role_msgid(rule.role), name=actor.name)
    if RANK[actor.role] < RANK[rule.role]:
        return AccessDenied(N_("{what} ({action}) needs the role {required}; {name} is {role}."),
                            what=rule.title, action=action, required=_role_msgid(rule.role), name=actor.name,
                            role=_role_msgid(actor.role))
    if rule.kinds == OBLAST:
        return AccessDenied(N_("{what} ({action}) is the oblast Department's work; this office is {kind}."),
                            what=rule.title, action=action, kind=KIND_LABELS.get(actor.kind or "", actor.kind or "-"))
    return AccessDenied(N_("{what} ({action}) is not done at {kind}."), what=rule.title, action=action,
                        kind=KIND_LABELS.get(actor.kind or "", actor.kind or "-"))


def _role_msgid(role: str) -> str:
    from migreg_desktop.vocabulary import ROLE_LABELS

    return ROLE_LABELS.get(role, role)


def require(action: str, who: Session | Actor) -> Actor:
    """Raise ``AccessDenied`` unless the acting account may do ``action``; the actor otherwise."""
    actor = who if isinstance(who, Actor) else actor_of(who)
    if not allowed(action, actor):
        raise denial(action, actor)
    return actor


def may(action: str, session: Session) -> bool:
    """For the window: may the session's actor do it (a control's enabled or visible state)."""
    return allowed(action, actor_of(session))


def actor_of(session: Session) -> Actor:
    """The session's acting account: set by the caller, or looked up by the session's actor name."""
    acting = session.info.get("acting")
    if isinstance(acting, Actor):
        return acting
    name = str(session.info.get("actor") or "")
    cached = session.info.get("acting_lookup")
    if isinstance(cached, Actor) and cached.name == name:
        return cached
    actor = resolve(name, session=session)
    if not actor.setup:  # set-up mode ends with the first account, maybe inside this session
        session.info["acting_lookup"] = actor
    return actor


def resolve(name: str, *, session: Session) -> Actor:
    from migreg_desktop.accounts import lookup

    kind = office_kind(session=session)
    if lookup.in_setup_mode(session=session):
        return Actor(name, None, kind, setup=True)
    account = lookup.find(name, session=session) if name else None
    role = account.role if account is not None and not account.disabled else None
    return Actor(account.name if account is not None else name, role, kind)


def office_kind(*, session: Session) -> str | None:
    from migreg_desktop.accounts.office import current_office_code
    from migreg_desktop.models import Office

    code = current_office_code(session=session)
    office = session.get(Office, code) if code else None
    return office.kind if office is not None else None


@contextmanager
def as_system(session: Session) -> Iterator[None]:
    """The program's own work inside a session (reference data loaded from a verified package or
    shipped with the program), whoever triggered it: e.g. a clerk's import applies the oblast's
    quotas through ``quotas.set_quota``, which a clerk could not call."""
    before = session.info.get("acting")
    session.info["acting"] = SYSTEM
    try:
        yield
    finally:
        if before is None:
            session.info.pop("acting", None)
        else:
            session.info["acting"] = before


def rows() -> list[dict[str, object]]:
    """The table as data (docs/accounts.md is generated from it; ``tools/permissions_table.py``)."""
    return [{"action": p.action, "role": p.role, "kinds": list(p.kinds), "title": p.title}
            for p in TABLE.values()]


def require_on_file(action: str, actor: Actor | str, db_file: Path) -> None:
    """For the services that work on the database file rather than in a session (backup, restore,
    demo): the same check, the actor looked up in that file. A file that cannot be read at all
    names no account: restoring it is what ``doctor`` tells everyone to do, so it passes."""
    if isinstance(actor, Actor):
        require(action, actor)
        return
    from migreg_desktop.storage.db import DATABASE_ERRORS, make_engine, session_scope

    if not db_file.exists():
        return  # no database yet: set-up
    engine = make_engine(db_file)
    try:
        with session_scope(engine, actor=actor) as session:
            who = actor_of(session)
    except DATABASE_ERRORS + (IntegrityError,):
        return  # damaged, or its accounts wiped: "restore a backup" is the way out
    finally:
        engine.dispose()
    require(action, who)
