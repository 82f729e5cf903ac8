"""`audit verify | list | export` (issue 7 §2)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from migreg_desktop.accounts import audit_chain, audit_query
from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.cli.usage import LIMIT
from migreg_desktop.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "audit", "the audit trail")
    add_command(group, common, "verify", cmd_verify, "check the hash chain of the audit trail")
    p = add_command(group, common, "list", cmd_list, "list audit entries (newest first)", action="audit.read")
    _filters(p)
    p.add_argument("--limit", type=LIMIT, default=100)
    p = add_command(group, common, "export", cmd_export, "export audit entries to CSV or XLSX",
                    action="audit.export")
    _filters(p)
    p.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", dest="by_user", help="who made the change")
    p.add_argument("--person", help="IIN or surname")
    p.add_argument("--case", help="case number or id")
    p.add_argument("--action", choices=sorted(audit_query.ACTIONS))
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD (inclusive)")


def _filter(args: argparse.Namespace) -> audit_query.AuditFilter:
    return audit_query.AuditFilter(user=args.by_user, person=args.person, case=args.case,
                                   action=args.action, date_from=args.date_from, date_to=args.date_to)


def cmd_verify(args: argparse.Namespace, ctx: Context) -> tuple[dict[str, Any] | None, int]:
    with ctx.session() as session:
        report = audit_chain.verify(session=session, progress=ctx.progress)
    doc = report.as_dict()
    if report.ok:
        ctx.info(_("Audit trail intact: {n} entries").format(n=report.entries))
    else:
        ctx.info(_("Audit trail damaged: {n} problems, first at entry {id}").format(
            n=len(report.problems), id=report.first_bad_id))
        for p in report.problems[:20]:
            gone = p.get("missing")
            ctx.info(f"  {p['id']}: {p['problem']}" + (" " + _("(entries {first}–{last} were removed)").format(
                first=gone[0], last=gone[1]) if gone else ""))
    return (doc if ctx.json else None), (0 if report.ok else 1)


def cmd_list(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]] | None:
    with ctx.session() as session:
        ids = audit_query.entry_ids(_filter(args), session=session, limit=args.limit)
        rows = [audit_query.entry_dict(e) for e in audit_query.entries(ids, session=session)]
    if ctx.json:
        return rows
    for r in rows:
        ctx.info(f"{r['id']:>6} {r['at']:%Y-%m-%d %H:%M} {r['user']:<12} {r['action']:<15} "
                 f"{r['entity']} {r['entity_id'] or ''}")
    return None


def cmd_export(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    out = Path(args.out)
    with ctx.session() as session:
        n = audit_query.export(_filter(args), out, session=session)
    ctx.info(_("{n} entries written to {path}").format(n=n, path=out))
    return {"file": str(out), "rows": n} if ctx.json else None
