"""`check CASE` (one case, exit 0 eligible / 1 not) and `check --all` (every case)."""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop import paths
from migreg_desktop.cases.cases import get_case
from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.eligibility import eligibility
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, _, fmt_number

MARKS = {"ok": "✔", "fail": "✘", "needs_check": "?"}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "check", cmd_check, "check a case's eligibility and store the decision",
                    action="case.check")
    p.add_argument("case", nargs="?", help="case id or number")
    p.add_argument("--all", action="store_true", help="check every case of the database")
    p.add_argument("--history", action="store_true", help="show the stored decisions instead of checking")


def cmd_check(args: argparse.Namespace, ctx: Context) -> Any:
    if args.all:
        return _check_all(ctx)
    if not args.case:
        raise UserError(N_("give a case id or number, or --all"), field="case")
    with ctx.session() as session:
        case = get_case(args.case, session=session)
        if args.history:
            return [eligibility.decision_doc(r, case.number) for r in eligibility.history(case.id, session=session)]
        row = eligibility.check_case(case.id, session=session)
        doc = eligibility.decision_doc(row, case.number)
    if not ctx.json:
        _print(ctx, doc)
        return None, (0 if doc["eligible"] else 1)
    return doc, (0 if doc["eligible"] else 1)


def _print(ctx: Context, doc: dict[str, Any]) -> None:
    verdicts = {"eligible": _("eligible"), "not_eligible": _("not eligible"), "needs_check": _("needs checking")}
    ctx.info(f"{doc['case']}: {verdicts[doc['verdict']]}")
    for r in doc["rules"]:
        if r["applies"]:
            ctx.info(f"  {MARKS[r['result']]} {eligibility.rule_title(r['rule'])}: {r['reason']} ({r['reference']})")


def _check_all(ctx: Context) -> dict[str, Any] | None:
    with ctx.session() as session:
        counts = eligibility.check_many(session=session, progress=ctx.progress)
    if not ctx.json:
        ctx.info(_("{checked} cases checked: {eligible} eligible, {needs_check} to check, {not_eligible} not eligible")
                 .format(**counts))
        # Only a changed decision is stored (issue 17): the clerk sees how many moved.
        ctx.info(_("{changed} of them changed and were stored").format(changed=fmt_number(counts["changed"])))
        return None
    return counts


def recheck_after(ctx: Context, result: Any) -> Any:
    """Re-check every open case after a command changed reference data; says how many."""
    if ctx.read_only or not paths.db_path().exists():
        return result
    counts = eligibility.recheck_open_counts(ctx.session, progress=ctx.progress)
    checked = counts["checked"]
    if checked:
        ctx.info(_("{n} open cases re-checked against the new reference data").format(n=fmt_number(checked)))
        ctx.info(_("{changed} of them changed and were stored").format(changed=fmt_number(counts["changed"])))
    doc, code = result if isinstance(result, tuple) else (result, None)
    if isinstance(doc, dict):
        doc["rechecked"] = checked
        doc["rechecked_changed"] = counts["changed"]
    return (doc, code) if code is not None else doc
