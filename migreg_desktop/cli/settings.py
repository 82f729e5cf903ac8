"""`settings show`, `settings set KEY VALUE`: the Preferences of the window from the command line.

`settings set` changes the office's settings (lock timeout, backup retention, reference data
warning); the permissions table gates it (``settings.office``) and the core
(``accounts.preferences.change``) checks the value's type and bounds (issue 15).
"""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop.accounts import preferences
from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import _
from migreg_desktop.settings import REGISTRY, Settings
from migreg_desktop.storage import backup, privacy  # noqa: F401  (declare the office's settings)
from migreg_desktop.sync import refpack  # noqa: F401  (declares sync_refdata_max_age_days)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "settings", "preferences of this data dir")
    add_command(group, common, "show", cmd_show, "every setting, its value and whether you may change it")
    p = add_command(group, common, "set", cmd_set, "change an office setting (lock, backups, reference data)",
                    action="settings.office")
    p.add_argument("key")
    p.add_argument("value")


def _settings(ctx: Context) -> Settings:
    return ctx.settings if ctx.settings is not None else Settings()


def cmd_show(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]] | None:
    with ctx.session() as s:
        rows = preferences.rows(_settings(ctx), session=s)
    if ctx.json:
        return rows
    for r in rows:
        mark = "" if r["editable"] else "  (" + _("Needs an administrator.") + ")"
        ctx.info(f"{r['key']} = {r['value']}{mark}")
    return None


def cmd_set(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    settings = _settings(ctx)
    if args.key in REGISTRY and REGISTRY[args.key].action is None:
        raise UserError("{key} is set by each clerk in the window's Preferences", field="key", key=args.key)
    with ctx.session() as s:
        changed = preferences.change(settings, {args.key: args.value}, session=s)
    value = settings.get(args.key)
    ctx.info(_("{key} = {value}").format(key=args.key, value=value))
    return {"key": args.key, "value": value, "changed": bool(changed)} if ctx.json else None
