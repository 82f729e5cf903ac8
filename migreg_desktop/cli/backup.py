"""`backup`, `backups`, `restore`, `doctor` (issue 7 §3–4)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from migreg_desktop import paths
from migreg_desktop.accounts.accounts_history import WIPED
from migreg_desktop.cli.access import read_password
from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.i18n import _
from migreg_desktop.storage import backup, integrity, integrity_schema

PASSPHRASE_ENV = "MIGREG_BACKUP_PASSPHRASE"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "backup", cmd_backup, "back the database up (consistent while in use)",
                    action="backup.create")
    p.add_argument("--out", help="FILE (default: a new file in the backups folder, rotated)")
    p.add_argument("--encrypt", action="store_true",
                   help=f"encrypt with a passphrase ({PASSPHRASE_ENV} or a prompt)")
    p.add_argument("--daily", action="store_true",
                   help="the end-of-day backup, if anything changed (for a scheduled task)")
    add_command(sub, common, "backups", cmd_backups, "list the backups folder", action="backup.create")
    p = add_command(sub, common, "restore", cmd_restore,
                    "restore a backup (verified; the current database is kept aside)",
                    action="backup.restore", allow_damaged=True)
    p.add_argument("file")
    p.add_argument("--other-office", action="store_true", help="accept a backup of another office")
    add_command(sub, common, "doctor", cmd_doctor, "check the database: integrity, foreign keys, audit chain",
                allow_damaged=True)


def _passphrase(needed: bool) -> str | None:
    if not needed:
        return None
    return read_password(_("Backup passphrase: "), env=PASSPHRASE_ENV)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    if args.daily:
        made = backup.end_of_day_backup(force=True)
        result = made.as_dict() if made else None
    else:
        made = backup.create_backup(Path(args.out) if args.out else None,
                                    passphrase=_passphrase(args.encrypt), progress=ctx.progress,
                                    actor=ctx.acting or ctx.actor)
        result = made.as_dict()
        if not args.out:
            backup.rotate()
        else:
            with ctx.session() as session:
                backup.audit_copy(made, session=session)
    ctx.info(_("Backup written to {path}").format(path=made.path) if made
             else _("Nothing changed since the last daily backup."))
    return result if ctx.json else None


def cmd_backups(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]] | None:
    rows = [b.as_dict() for b in backup.list_backups()]
    if ctx.json:
        return rows
    for r in rows:
        ctx.info(f"{r['created_at']:%Y-%m-%d %H:%M}  {r['kind']:<14} {r['size']:>12}  {Path(r['file']).name}")
    return None


def cmd_restore(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.storage.restore import restore_backup

    file = Path(args.file)
    passphrase = _passphrase(file.is_file() and backup.is_encrypted(file))
    if ctx._engine is not None:  # the login opened it: nothing may hold the old file open
        ctx._engine.dispose()
        ctx._engine = None
    result = restore_backup(file, passphrase=passphrase, actor=ctx.acting or ctx.actor,
                            force_office=args.other_office)
    ctx.info(_("Restored {file}; the previous database is kept in {aside}").format(
        file=file.name, aside=result["aside"] or "-"))
    return result if ctx.json else None


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> tuple[dict[str, Any] | None, int]:
    report = integrity.check_database(paths.db_path(), progress=ctx.progress)
    report["partials_removed"] = [str(p) for p in backup.cleanup_partials()]
    if report["ok"]:
        ctx.info(_("The database is healthy."))
    else:
        if report["damaged"]:
            ctx.info(_(integrity.DAMAGED))
        if report.get("accounts") == "wiped":
            ctx.info(_(WIPED))
        if report.get("schema"):  # issue 12 §5: objects the migrations do not create
            ctx.info(_("The database holds objects this program does not create: {objects}").format(
                objects=integrity_schema.describe(report["schema"])))
        for line in report["integrity_check"][:10]:
            ctx.info(f"  {line}")
        if report["audit"] and not report["audit"]["ok"]:
            ctx.info(_("Audit trail damaged: {n} problems, first at entry {id}").format(
                n=len(report["audit"]["problems"]), id=report["audit"]["first_bad_id"]))
    return (report if ctx.json else None), (0 if report["ok"] else 1)
