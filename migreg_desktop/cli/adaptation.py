"""`adaptation add|list|remove CASE …`: adaptation and training measures of a kandas case
(Rules §9–10; issue 16 §5; docs/department.md).

Gate: the oblast office's database (services/adaptation.require_oblast, exit 1) and the role
``head`` (``requires="head"``); both move to the permissions table of the gate issue.
"""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.department import adaptation
from migreg_desktop.i18n import _, current_language, tr
from migreg_desktop.models.department import ADAPTATION_KINDS, ADAPTATION_OUTCOMES


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "adaptation", "oblast: adaptation and training of kandases (Rules §9–10)")
    p = add_command(group, common, "add", cmd_add, "record a measure on a kandas case", action="department.write")
    p.add_argument("case", help="case number or id")
    p.add_argument("--kind", required=True, choices=ADAPTATION_KINDS)
    p.add_argument("--from", dest="started_on", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="ended_on", default=None, help="last day, YYYY-MM-DD")
    p.add_argument("--outcome", default="ongoing", choices=ADAPTATION_OUTCOMES)
    p.add_argument("--person", dest="person_iin", default=None,
                   help="IIN of the family member it is for (default: the applicant)")
    p.add_argument("--note", default="")
    p = add_command(group, common, "list", cmd_list, "the measures of a case", action="monitoring.read")
    p.add_argument("case")
    p = add_command(group, common, "remove", cmd_remove, "remove a measure recorded by mistake", action="department.write")
    p.add_argument("case")
    p.add_argument("id", help="the measure's id (see 'adaptation list')")


def _line(m: dict[str, Any]) -> str:
    lang = current_language()
    return (f"{m['id']}  {m['started_on']}…{m['ended_on'] or ''}  {tr(adaptation.KIND_LABELS[m['kind']], lang)}: "
            f"{tr(adaptation.OUTCOME_LABELS[m['outcome']], lang)}  {m['person_iin'] or ''}")


def cmd_add(args: argparse.Namespace, ctx: Context) -> Any:
    values = {k: getattr(args, k) for k in ("kind", "started_on", "ended_on", "outcome", "person_iin", "note")}
    with ctx.session() as session:
        doc = adaptation.add(args.case, values, session=session)
    ctx.info(_("Adaptation measure recorded on case {case}: {line}").format(case=doc["case"], line=_line(doc)))
    return doc if ctx.json else None


def cmd_list(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        rows = adaptation.list_for(args.case, session=session)
    if ctx.json:
        return rows
    for m in rows:
        ctx.info(_line(m))
    return None


def cmd_remove(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = adaptation.remove(args.case, args.id, session=session)
    ctx.info(_("Adaptation measure removed from case {case}: {line}").format(case=doc["case"], line=_line(doc)))
    return doc if ctx.json else None
