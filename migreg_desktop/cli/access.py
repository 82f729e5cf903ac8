"""Who is acting for a `migreg` command: the central login of every command (issue 7 §1); what
the account may do is the permissions table's (services/permissions.py, issue 12 §1).

Each command names the action it performs (``add_command(..., action="quota.set")``; None for
commands any account may run, ``login=False`` for commands that touch no database). Before the
command runs:

- no database yet, or a database without any account → **set-up mode**: the command runs as it
  did before accounts existed (scripts and tests that never made an account keep working);
- otherwise the user (``--user`` or ``MIGREG_USER``) logs in with ``MIGREG_PASSWORD`` or a prompt;
  a wrong password, a disabled or locked account → exit 2; an action the table does not allow
  this account at this office → ``AccessDenied``, exit 2, and an audit entry ``denied``. Every
  login and failed login is audited.
- a database that cannot be read at all lets only ``allow_damaged`` commands run (doctor, restore).

The services check the same table again (``permissions.require``): this is the early, audited
refusal, not the only one.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from migreg_desktop import paths
from migreg_desktop.cli.context import Context
from migreg_desktop.errors import AccessDenied, IntegrityError, UserError
from migreg_desktop.i18n import N_, _

__all__ = ["AccessDenied", "authorize", "command_actions", "read_password"]


def probe(db_file: Path) -> str:
    """``setup`` (never had an account), ``accounts``, ``wiped`` (marked damaged) or
    ``damaged``, read-only and cheap: services/integrity.account_state."""
    from migreg_desktop.storage.integrity import account_state

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


def command_actions(args: argparse.Namespace) -> list[str]:
    """The table's actions this command line performs: the command's own and its options'."""
    actions = [args.gate] if getattr(args, "gate", None) else []
    for flag, action in (getattr(args, "gate_flags", None) or {}).items():
        if getattr(args, flag, False):
            actions.append(action)
    return actions


def authorize(args: argparse.Namespace, ctx: Context) -> None:
    if not getattr(args, "login", True):
        return
    state = probe(paths.db_path())
    if state == "setup":
        return
    if state in ("damaged", "wiped"):
        if getattr(args, "allow_damaged", False):
            return
        if state == "wiped":  # nobody can sign in: only doctor and restore run
            from migreg_desktop.accounts.accounts_history import WIPED

            raise IntegrityError(WIPED)
        raise IntegrityError(N_("The database cannot be read. Run 'migreg doctor' and restore a "
                             "backup with 'migreg restore FILE'."))
    _login(args, ctx)


def _login(args: argparse.Namespace, ctx: Context) -> None:
    from migreg_desktop.accounts import accounts, audit, permissions

    name = ctx.actor
    password = read_password(_("Password for {name}: ").format(name=name))
    command = command_name(args)
    refused = None
    with ctx.session() as session:
        result = accounts.login(name, password, session=session, via=f"cli {command}")
        if result.ok:
            acting = permissions.actor_of(session)
            refused = next((a for a in command_actions(args) if not permissions.allowed(a, acting)), None)
        if refused is not None:
            audit.record("denied", "command", command,
                         {"role": [acting.role, permissions.permission(refused).role],
                          "action": [None, refused]}, session=session)
    # committed: the failure or the refusal stays in the audit trail
    if not result.ok or result.account is None:  # ok means an account
        raise result.error()
    if refused is not None:
        raise permissions.denial(refused, acting)
    ctx.account, ctx.role, ctx.acting = result.account.name, result.account.role, acting


def guard_damaged(args: argparse.Namespace, ctx: Context) -> None:
    """A database found damaged (integrity.mark_file) opens read-only: reading still works, a
    write is refused with the way to restore (issue 7 §4). doctor and restore run as usual."""
    from migreg_desktop.storage import integrity

    if getattr(args, "allow_damaged", False) or not integrity.is_marked_damaged() or not paths.db_path().exists():
        return
    integrity.make_read_only(ctx.engine)
    ctx.read_only = True
    print(_(integrity.DAMAGED), file=sys.stderr)


def damage_error(exc: BaseException, ctx: Context) -> IntegrityError | None:
    """The clerk's message for a storage fault a command ran into, or None if it is not one."""
    from migreg_desktop.storage import integrity

    if integrity.is_damage(exc):
        integrity.remember({"database": str(paths.db_path()), "damaged": True, "integrity_check": [str(exc)]})
        return IntegrityError(integrity.DAMAGED)
    if getattr(ctx, "read_only", False) and integrity.writes_refused(exc):
        return IntegrityError(integrity.DAMAGED)
    return None
