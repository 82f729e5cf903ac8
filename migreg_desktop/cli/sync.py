"""`export`, `import`, `outbox`, `inbox`, `ack`, `keys …`, `refdata export|status`, `conflicts …`,
`duplicates …`: the file exchange with the oblast office (docs/sync.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.cli.usage import ROW_ID
from migreg_desktop.i18n import _, ngettext
from migreg_desktop.sync import acks, conflicts, jobs, keys, outbox, refpack, staging

RC = {"applied": 0, "already_imported": 0, "held": 0, "rejected": 2}


def _group(sub: Any, common: argparse.ArgumentParser, name: str, help_text: str) -> Any:
    """Reuse a group another feature registered already (e.g. `refdata`), else make it."""
    parser = sub.choices.get(name) if hasattr(sub, "choices") else None
    if parser is not None:
        for action in parser._actions:  # noqa: SLF001 - argparse keeps subparsers here
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                return action
    return add_group(sub, common, name, help_text)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "export", cmd_export, "write a package of unsent changes for an office",
                    action="sync.export")
    p.add_argument("--to", required=True, help="receiving office code, e.g. ALM-OBL")
    p.add_argument("--out", required=True, help="package file to write (.migreg)")
    p = add_command(sub, common, "import", cmd_import, "verify and apply a package (data, ack or reference)",
                    action="sync.import", flag_actions={"accept_gap": "sync.accept_gap"})
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="verify and show what would change; change nothing")
    p.add_argument("--progress", action="store_true", help="print 'progress DONE TOTAL' lines to stderr")
    p.add_argument("--accept-gap", action="store_true",
                   help="admin: apply although an earlier package is missing (lost for good)")
    p = add_command(sub, common, "outbox", cmd_outbox, "unsent and unacknowledged changes per receiver")
    p.add_argument("--to", default=None)
    add_command(sub, common, "inbox", cmd_inbox, "packages imported here")
    p = add_command(sub, common, "ack", cmd_ack, "acknowledge the packages imported from an office",
                    action="sync.ack")
    p.add_argument("--to", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--all", action="store_true", help="acknowledge again every package (an ack was lost)")
    _register_keys(sub, common)
    _register_refdata(sub, common)
    _register_queues(sub, common)


def _register_keys(sub: Any, common: argparse.ArgumentParser) -> None:
    group = _group(sub, common, "keys", "this office's keys and the partners it trusts")
    p = add_command(group, common, "init", cmd_keys_init, "make this office's signing and encryption keys",
                    action="keys.manage")
    p.add_argument("--force", action="store_true", help="replace existing keys")
    p = add_command(group, common, "export", cmd_keys_export, "write this office's public key file")
    p.add_argument("--out", required=True)
    p = add_command(group, common, "trust", cmd_keys_trust, "trust a partner office's public key file",
                    action="keys.manage")
    p.add_argument("file")
    p.add_argument("--office", required=True)
    add_command(group, common, "list", cmd_keys_list, "our fingerprint and the trusted partners")


def _register_refdata(sub: Any, common: argparse.ArgumentParser) -> None:
    group = _group(sub, common, "refdata", "reference data")
    p = add_command(group, common, "export", cmd_refdata_export, "oblast: write a signed reference package",
                    action="refdata.publish")
    p.add_argument("--out", required=True)
    p.add_argument("--dataset", action="append", default=[], help="a newer dataset file to publish (repeatable)")
    add_command(group, common, "status", cmd_refdata_status, "reference data version and age")


def _register_queues(sub: Any, common: argparse.ArgumentParser) -> None:
    group = _group(sub, common, "conflicts", "incoming edits waiting for a decision")
    p = add_command(group, common, "list", cmd_conflicts_list, "list conflicts")
    p.add_argument("--status", default="open", choices=("open", "accepted", "rejected", "all"))
    for name, func, text in (("show", cmd_conflict_show, "field-by-field view"),
                             ("accept", cmd_conflict_accept, "take the incoming version"),
                             ("reject", cmd_conflict_reject, "keep ours")):
        p = add_command(group, common, name, func, text, action=None if name == "show" else "conflict.accept")
        p.add_argument("id", type=ROW_ID)
    group = _group(sub, common, "duplicates", "oblast: suspected duplicate persons")
    p = add_command(group, common, "list", cmd_duplicates_list, "list suspected duplicates")
    p.add_argument("--status", default="open", choices=("open", "same", "different", "all"))
    p = add_command(group, common, "resolve", cmd_duplicates_resolve, "same person or different persons",
                    action="duplicate.resolve")
    p.add_argument("id", type=ROW_ID)
    p.add_argument("--as", dest="verdict", required=True, choices=("same", "different"))


def _progress_printer(args: argparse.Namespace, ctx: Context) -> Any:
    if getattr(args, "progress", False):
        def show(done: int, total: int) -> None:
            print(f"progress {done} {total}", file=sys.stderr, flush=True)
        return show
    return ctx.progress


def cmd_export(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    doc = jobs.run_export(ctx.work, args.to, Path(args.out), progress=ctx.progress)
    ctx.info(_("Package {sequence} for {office} written to {file}").format(
        sequence=doc["sequence"], office=doc["to"], file=doc["file"]))
    return doc if ctx.json else None


def cmd_import(args: argparse.Namespace, ctx: Context) -> tuple[dict[str, Any] | None, int]:
    doc = jobs.run_import(ctx.work, Path(args.file), dry_run=args.dry_run,
                          progress=_progress_printer(args, ctx), accept_gap=args.accept_gap)
    status = doc["status"]
    code = RC[status] if doc.get("reason_code") not in ("disk_full", "database_error") else 3
    text = {"applied": _("Applied"), "already_imported": _("Already imported; nothing changed"),
            "held": _("Held: waiting for an earlier package"), "rejected": _("Rejected")}[status]
    ctx.info(f"{text}" + (f": {doc['reason']}" if doc.get("reason") else ""))
    if doc.get("refused"):
        ctx.info(ngettext("{n} record was refused: it belongs to another office (see the audit trail).",
                          "{n} records were refused: they belong to another office (see the audit trail).",
                          doc["refused"]).format(n=doc["refused"]))
    for warning in doc.get("warnings") or []:
        ctx.info(warning["message"])
    return (doc if ctx.json else None), code


def cmd_outbox(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    with ctx.session() as session:
        doc = outbox.outbox(args.to, session=session)
    if not ctx.json:
        for r in doc["receivers"]:
            ctx.info(_("{office}: {unsent} unsent, {waiting} awaiting acknowledgement").format(
                office=r["office"], unsent=sum(r["unsent"].values()), waiting=sum(r["awaiting_ack"].values())))
        return None
    return doc


def cmd_inbox(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]]:
    with ctx.session() as session:
        return outbox.inbox(session=session)


def cmd_ack(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    with jobs.office_lock():
        with ctx.session() as session:
            written = acks.make_ack(args.to, Path(args.out), session=session, again=args.all)
        doc = written.finish()
    ctx.info(_("Acknowledgement {sequence} for {office} written to {file}").format(
        sequence=doc["sequence"], office=doc["to"], file=doc["file"]))
    return doc if ctx.json else None


def cmd_keys_init(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        made = keys.init_keys(session=session, force=args.force)
    doc = made.public_doc()
    ctx.info(_("Keys made for {office}; fingerprint {fingerprint}").format(**doc))
    return {"office": doc["office"], "fingerprint": doc["fingerprint"], "key_file": str(keys.key_file())}


def cmd_keys_export(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        doc = keys.export_public(Path(args.out), session=session)
    ctx.info(_("Public key of {office} written to {file}").format(office=doc["office"], file=args.out))
    return {"office": doc["office"], "fingerprint": doc["fingerprint"], "file": args.out}


def cmd_keys_trust(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        partner = keys.trust(Path(args.file), args.office, session=session)
        doc = {"office": partner.office_code, "fingerprint": partner.fingerprint}
    ctx.info(_("Office {office} trusted; fingerprint {fingerprint}").format(**doc))
    return doc


def cmd_keys_list(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        found = keys.partners(session=session)
    partners = [{**p, "trusted_at": p["trusted_at"].isoformat()} for p in found]
    return {"fingerprint": keys.own_fingerprint(), "partners": partners}


def cmd_refdata_export(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    with jobs.office_lock():
        with ctx.session() as session:
            written = refpack.export_refdata(Path(args.out), [Path(p) for p in args.dataset], session=session)
        doc = written.finish()
    ctx.info(_("Reference package written to {file}").format(file=doc["file"]))
    return doc if ctx.json else None


def cmd_refdata_status(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    max_age = ctx.settings.get(refpack.MAX_AGE.key) if ctx.settings else refpack.MAX_AGE.default
    with ctx.session() as session:
        doc = refpack.status(max_age, session=session)
    if doc["stale"]:
        ctx.info(_("Reference data is {days} days old (limit {limit}): ask the oblast office for a new "
                   "reference package.").format(days=doc["age_days"], limit=max_age))
    return doc


def cmd_conflicts_list(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]]:
    with ctx.session() as session:
        return conflicts.list_conflicts(None if args.status == "all" else args.status, session=session)


def cmd_conflict_show(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        return conflicts.detail(args.id, session=session)


def cmd_conflict_accept(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        c = conflicts.accept(args.id, session=session)
        return {"id": c.id, "status": c.status}


def cmd_conflict_reject(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        c = conflicts.reject(args.id, session=session)
        return {"id": c.id, "status": c.status}


def cmd_duplicates_list(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]]:
    with ctx.session() as session:
        return staging.list_duplicates(None if args.status == "all" else args.status, session=session)


def cmd_duplicates_resolve(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        d = staging.resolve_duplicate(args.id, args.verdict, session=session)
        return {"id": d.id, "status": d.status}
