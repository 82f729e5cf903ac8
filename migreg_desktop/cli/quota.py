"""`quota set | allot | reserve | release | show`."""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.cli.usage import COUNT, YEAR
from migreg_desktop.eligibility import quotas
from migreg_desktop.i18n import _
from migreg_desktop.vocabulary import COUNTING


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "quota", "regional quotas, allotments and reservations")
    p = add_command(group, common, "set", cmd_set, "set a regional quota (limit and counting mode)",
                    action="quota.set")
    _key_args(p)
    p.add_argument("--limit", type=COUNT, required=True)
    p.add_argument("--counting", choices=COUNTING, default="persons",
                   help="persons: applicants only; family: applicants with family members (Rules §2.4, §2.6)")
    p = add_command(group, common, "allot", cmd_allot, "allot places of a quota to an office",
                    action="quota.allot")
    _key_args(p)
    p.add_argument("--office", required=True)
    p.add_argument("--slots", type=COUNT, required=True)
    p = add_command(group, common, "reserve", cmd_reserve, "reserve quota places for a case (provisional)",
                    action="quota.reserve")
    p.add_argument("case", help="case id or number")
    p = add_command(group, common, "release", cmd_release, "release a case's reservation",
                    action="quota.reserve")
    p.add_argument("case", help="case id or number")
    p = add_command(group, common, "show", cmd_show, "quotas of a year with allotments and reservations")
    p.add_argument("--year", type=YEAR, required=True)


def _key_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=YEAR, required=True)
    p.add_argument("--region", required=True, help="KATO of the region (or, for intra_oblast, the destination)")
    p.add_argument("--kind", required=True, choices=("kandas", "resettler", "intra_oblast"))


def cmd_set(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        q = quotas.set_quota(args.year, args.region, args.kind, args.limit, args.counting, session=session)
        return {"year": q.year, "region": q.region_kato, "kind": q.kind, "limit": q.limit, "counting": q.counting}


def cmd_allot(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        row = quotas.allot(args.year, args.region, args.kind, args.office, args.slots, session=session)
        return {"year": args.year, "region": args.region, "kind": args.kind, "office": row.office_code,
                "slots": row.slots}


def cmd_reserve(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        doc = quotas.reserve(args.case, session=session)
    ctx.info(_("Case {case}: {persons} place(s) reserved, {remaining} left").format(**doc))
    return doc


def cmd_release(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        doc = quotas.release(args.case, session=session)
    ctx.info(_("Case {case}: {persons} place(s) released, {remaining} left").format(**doc))
    return doc


def cmd_show(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = quotas.show(args.year, session=session)
    if ctx.json:
        return doc
    for q in doc["quotas"]:
        warn = " ⚠" if q["low"] else ""
        ctx.info(f"{q['kind']:<12} {q['region']} {q['counting']:<8} limit {q['limit']:>6} allotted {q['allotted']:>6} "
                 f"reserved {q['reserved']:>6} remaining {q['remaining']:>6}{warn}")
        for o in q["offices"]:
            ctx.info(f"    {o['office']:<9} slots {o['slots']:>6} reserved {o['reserved']:>6} remaining {o['remaining']:>6}"
                     + (" ⚠" if o["low"] else ""))
    return None
