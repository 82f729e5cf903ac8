"""Who may run a command: the central role check of every `migreg` command (issue 7 §1).

Each command declares the least role it needs (``add_command(..., requires="admin")``; the
default is ``clerk``, None for commands that touch no database). Before the command runs:

- no database yet, or a database without any account → **set-up mode**: the command runs as it
  did before accounts existed (scripts and tests that never made an account keep working);
- otherwise the user (``--user`` or ``MIGREG_USER``) logs in with ``MIGREG_PASSWORD`` or a prompt;
  a wrong password, a disabled or locked account → exit 2; a role too low → exit 2 and an
  audit entry ``denied``. Every login and failed login is audited.
- a database that cannot be read at all lets only ``allow_damaged`` commands run (doctor, restore).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from .. import paths
from ..errors import IntegrityError, UserError
from ..i18n import N_, _
from .context import Context


class AccessDenied(UserError):
    """The account's role is below what the command needs. Exit 2."""


def probe(db_file: Path) -> str:
    """``setup`` (never had an account), ``accounts``, ``wiped`` (marked damaged) or
    ``damaged``, read-only and cheap: services/integrity.account_state."""
    from ..services.integrity import account_state

    return account_state(db_file)


def command_name(args: argparse.Namespace) -> str:
    name = str(getattr(args, "command", ""))
    action = getattr(args, f"{name}_command", None)
    return f"{name} {action}" if action else name


def read_password(prompt: str, env: str = "MIGREG_PASSWORD") -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(N_("No password: set {env} or run in a terminal."), field="password", env=env)
    return getpass.getpass(prompt)


def authorize(args: argparse.Namespace, ctx: Context) -> None:
    required = getattr(args, "requires", "clerk")
    if required is None:
        return
    state = probe(paths.db_path())
    if state == "setup":
        return
    if state in ("damaged", "wiped"):
        if getattr(args, "allow_damaged", False):
            return
        if state == "wiped":  # nobody can sign in: only doctor and restore run
            from ..services.accounts_history import WIPED

            raise IntegrityError(WIPED)
        raise IntegrityError(N_("The database cannot be read. Run 'migreg doctor' and restore a "
                             "backup with 'migreg restore FILE'."))
    _login(args, ctx, required)


def _login(args: argparse.Namespace, ctx: Context, required: str) -> None:
    from ..services import accounts, audit

    name = ctx.actor
    password = read_password(_("Password for {name}: ").format(name=name))
    command = command_name(args)
    with ctx.session() as session:
        result = accounts.login(name, password, session=session, via=f"cli {command}")
        denied = result.ok and not accounts.allows(result.account.role, required)
        if denied:
            audit.record("denied", "command", command,
                         {"role": [result.account.role, required]}, session=session)
    # committed: the failure or the refusal stays in the audit trail
    if not result.ok:
        raise result.error()
    if denied:
        raise AccessDenied(N_("'{command}' needs the role {required}; {name} is {role}."),
                           command=command, required=accounts.role_label(required),
                           name=result.account.name, role=accounts.role_label(result.account.role))
    ctx.account, ctx.role = result.account.name, result.account.role


def guard_damaged(args: argparse.Namespace, ctx: Context) -> None:
    """A database found damaged (integrity.mark_file) opens read-only: reading still works, a
    write is refused with the way to restore (issue 7 §4). doctor and restore run as usual."""
    from ..services import integrity

    if getattr(args, "allow_damaged", False) or not integrity.is_marked_damaged() or not paths.db_path().exists():
        return
    integrity.make_read_only(ctx.engine)
    ctx.read_only = True
    print(_(integrity.DAMAGED), file=sys.stderr)


def damage_error(exc: BaseException, ctx: Context) -> IntegrityError | None:
    """The clerk's message for a storage fault a command ran into, or None if it is not one."""
    from ..services import integrity

    if integrity.is_damage(exc):
        integrity.remember({"database": str(paths.db_path()), "damaged": True, "integrity_check": [str(exc)]})
        return IntegrityError(integrity.DAMAGED)
    if getattr(ctx, "read_only", False) and integrity.writes_refused(exc):
        return IntegrityError(integrity.DAMAGED)
    return None
