"""`user add | edit | disable | enable | list | passwd` (issue 7 §1; roles: docs/accounts.md).
Papers and the window name a clerk by full name and position, never by login (issue 14)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from migreg_desktop.accounts import accounts, permissions
from migreg_desktop.cli.access import read_password
from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.i18n import N_, _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "user", "clerks' accounts (admin)")
    p = add_command(group, common, "add", cmd_add, "add an account (the first one must be an admin)",
                    action="user.manage")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=accounts.ROLES)
    p.add_argument("--full-name", default="", help="full name printed on papers and shown in the window")
    p.add_argument("--position", default="", help="position printed under the name (e.g. chief specialist)")
    p = add_command(group, common, "edit", cmd_edit, "change an account's full name or position",
                    action="user.manage")
    p.add_argument("name")
    p.add_argument("--full-name", default=None, help="new full name (left as it is when not given)")
    p.add_argument("--position", default=None, help="new position (left as it is when not given)")
    p = add_command(group, common, "disable", cmd_disable, "disable an account (kept for the audit trail)",
                    action="user.manage")
    p.add_argument("name")
    p = add_command(group, common, "enable", cmd_enable, "enable a disabled account", action="user.manage")
    p.add_argument("name")
    add_command(group, common, "list", cmd_list, "list accounts", action="user.manage")
    p = add_command(group, common, "passwd", cmd_passwd,
                    "change your password, or (admin) reset another account's")
    p.add_argument("name", nargs="?", help="(admin) the account to reset")


def new_password(ctx: Context) -> str:
    """The new password: MIGREG_NEW_PASSWORD, in set-up mode MIGREG_PASSWORD, or asked twice."""
    for env in ("MIGREG_NEW_PASSWORD",) + (("MIGREG_PASSWORD",) if ctx.account is None else ()):
        if os.environ.get(env) is not None:
            return os.environ[env]
    first = read_password(_("New password: "), env="MIGREG_NEW_PASSWORD")
    if sys.stdin.isatty() and first != read_password(_("Repeat the new password: "), env="MIGREG_NEW_PASSWORD"):
        from migreg_desktop.errors import UserError

        raise UserError(N_("the two passwords differ"), field="password")
    return first


def cmd_add(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    password = new_password(ctx)
    with ctx.session() as session:
        account = accounts.add_account(args.name, args.role, password, session=session,
                                       full_name=args.full_name, position=args.position)
        result = accounts.account_dict(account)
    ctx.info(_("Account {name} added ({role})").format(name=result["name"], role=accounts.role_label(args.role)))
    return result if ctx.json else None


def cmd_edit(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    if args.full_name is None and args.position is None:
        from migreg_desktop.errors import UserError

        raise UserError(N_("nothing to change: give --full-name or --position"), field="user")
    with ctx.session() as session:
        result = accounts.account_dict(accounts.set_details(args.name, session=session, full_name=args.full_name,
                                                            position=args.position))
    ctx.info(_("Account {name}: {shown}").format(name=result["name"], shown=result["display_name"]))
    return result if ctx.json else None


def _set_disabled(args: argparse.Namespace, ctx: Context, disabled: bool) -> dict[str, Any]:
    with ctx.session() as session:
        return accounts.account_dict(accounts.set_disabled(args.name, disabled, session=session))


def cmd_disable(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    result = _set_disabled(args, ctx, True)
    ctx.info(_("Account {name} disabled").format(name=result["name"]))
    return result if ctx.json else None


def cmd_enable(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    result = _set_disabled(args, ctx, False)
    ctx.info(_("Account {name} enabled").format(name=result["name"]))
    return result if ctx.json else None


def cmd_list(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]] | None:
    with ctx.session() as session:
        rows = [accounts.account_dict(a) for a in accounts.list_accounts(session=session)]
    if ctx.json:
        return rows
    for r in rows:
        state = _("disabled") if r["disabled"] else ""
        ctx.info(f"{r['name']:<20} {accounts.role_label(r['role']):<16} {r['display_name']:<40} {state}")
    return None


def cmd_passwd(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    if ctx.account is None:
        from migreg_desktop.errors import UserError

        raise UserError(N_("No account yet: add the admin first ('migreg user add NAME --role admin')."))
    target = accounts.normalise_name(args.name or ctx.account)
    if target != ctx.account and not permissions.allowed("user.manage", ctx.acting):
        from migreg_desktop.accounts import audit

        with ctx.session() as session:
            audit.record("denied", "command", "user passwd", {"account": [None, target]}, session=session)
        raise permissions.denial("user.manage", ctx.acting)
    password = new_password(ctx)
    with ctx.session() as session:
        # Own password: the login just checked the current one.
        account = accounts.set_password(target, password, session=session, own=target == ctx.account)
        result = {"name": account.name, "changed": True, "reset": target != ctx.account}
    ctx.info(_("Password of {name} changed").format(name=result["name"]))
    return result if ctx.json else None
