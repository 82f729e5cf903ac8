"""`case status-batch` and `case status-undo` (issue 15): many cases' status in one operation,
all or nothing (``--skip-refused`` keeps the others), and its undo. Registered by cli/case.py."""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop.cases.case_list import CaseFilter, query_rowids
from migreg_desktop.cases.status import STATUSES, status_label
from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.cli.usage import YEAR
from migreg_desktop.i18n import _, current_language, ngettext


def register_case_commands(group: Any, common: argparse.ArgumentParser) -> None:
    """Called by cli/case.py under `case` (not `register`: cli/__init__ would add these at the top)."""
    p = add_command(group, common, "status-batch", cmd_status_batch,
                    "change the status of many cases in one operation (all or nothing)", action="case.status")
    p.add_argument("cases", nargs="*", metavar="CASE", help="case ids or numbers")
    p.add_argument("--to", required=True, dest="to_status", choices=STATUSES)
    p.add_argument("--comment", default=None)
    p.add_argument("--skip-refused", action="store_true",
                   help="change the cases that may change and list the others (default: change none)")
    filters = p.add_argument_group("or every case a filter selects (as `case list`)")
    filters.add_argument("--search", default="")
    filters.add_argument("--kind", choices=("kandas", "resettler", "intra_oblast"))
    filters.add_argument("--from", dest="from_status", choices=STATUSES, help="the cases' current status")
    filters.add_argument("--year", type=YEAR)
    filters.add_argument("--destination", help="KATO of a region, district or settlement")
    filters.add_argument("--office")
    p = add_command(group, common, "status-undo", cmd_status_undo,
                    "undo a batch status change if nothing changed its cases since", action="case.status")
    p.add_argument("operation", help="the operation id `status-batch` printed")
    p.add_argument("--comment", default=None)


def _filter(args: argparse.Namespace) -> CaseFilter | None:
    flt = CaseFilter(search=args.search, kind=args.kind, status=args.from_status, year=args.year,
                     destination=args.destination, office=args.office)
    chosen = (args.search, args.kind, args.from_status, args.year, args.destination, args.office)
    return flt if any(v not in (None, "") for v in chosen) else None


def cmd_status_batch(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.cases.selection import (
        ids_of_rowids,  # when the command runs (the CLI starts fast)
    )
    from migreg_desktop.eligibility import batch_status

    flt = _filter(args)
    with ctx.session() as session:
        refs = list(args.cases)
        if flt is not None:  # the filter adds the cases it selects (the list's order: newest first)
            refs += ids_of_rowids(query_rowids(flt, lang=current_language(), db=session), db=session)
        result = batch_status.change_many(refs, args.to_status, args.comment, session=session,
                                          progress=ctx.progress, skip_refused=args.skip_refused)
    if ctx.json:
        return result
    ctx.info(ngettext("{n} case now has the status {status}", "{n} cases now have the status {status}",
                      result["changed"]).format(n=result["changed"], status=status_label(args.to_status)))
    for skipped in result["skipped"]:
        ctx.info(_("not changed: {case}: {reason}").format(**skipped))
    if result["operation"]:
        ctx.info(_("To undo: migreg case status-undo {operation}").format(operation=result["operation"]))
    return None


def cmd_status_undo(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.eligibility import batch_status

    with ctx.session() as session:
        result = batch_status.undo(args.operation, args.comment, session=session, progress=ctx.progress)
    if ctx.json:
        return result
    ctx.info(ngettext("{n} case has its status back", "{n} cases have their status back",
                      result["undone"]).format(n=result["undone"]))
    return None
