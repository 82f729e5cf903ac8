"""`case add | show | list | status` (`status-batch`, `status-undo`: cli/case_batch.py)."""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop.cases.case_list import SORT_SQL, CaseFilter, export_xlsx, list_cases
from migreg_desktop.cases.status import status_label
from migreg_desktop.cli.context import Context, add_command, add_group, read_json_file
from migreg_desktop.cli.usage import LIMIT, YEAR
from migreg_desktop.i18n import _, current_language, ngettext
from migreg_desktop.vocabulary import STATUSES

# `case list` answers at once (issue 17 §5): the case services (pydantic documents, every model)
# are imported by the commands that write or show a case, not by this module.


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "case", "record and look up cases")
    p = add_command(group, common, "add", cmd_add, "register a case from a JSON file",
                    action="case.create")
    p.add_argument("--file", required=True, help="case JSON ('-' for stdin); see README")
    p.add_argument("--confirm", action="store_true",
                   help="accept warnings (birth date or sex typed differently from the IIN)")
    p = add_command(group, common, "update", cmd_update, "replace a case's data from a JSON file",
                    action="case.edit")
    p.add_argument("case", help="case id or number")
    p.add_argument("--file", required=True)
    p.add_argument("--confirm", action="store_true")
    p = add_command(group, common, "show", cmd_show, "show one case")
    p.add_argument("case", help="case id or number")
    p = add_command(group, common, "list", cmd_list, "list cases (newest first)")
    p.add_argument("--search", default="", help="IIN, name (kk/ru/Latin) or case number")
    p.add_argument("--kind", choices=("kandas", "resettler", "intra_oblast"))
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--year", type=YEAR)
    p.add_argument("--destination", help="KATO of a region, district or settlement")
    p.add_argument("--office")
    p.add_argument("--sort", default="created_at", choices=tuple(SORT_SQL))
    p.add_argument("--asc", action="store_true")
    p.add_argument("--limit", type=LIMIT, default=100)
    p.add_argument("--xlsx", metavar="FILE",
                   help="write every case the filters select to an Excel file (headers in --lang)")
    p = add_command(group, common, "status", cmd_status, "change a case's status",
                    action="case.status")
    p.add_argument("case", help="case id or number")
    p.add_argument("--to", required=True, dest="to_status")
    p.add_argument("--comment", default=None)
    from migreg_desktop.cli import case_batch

    case_batch.register_case_commands(group, common)  # status-batch, status-undo


def cmd_add(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.cases import cases
    from migreg_desktop.cases.case_document import CASE_FILE_MAX_BYTES

    data = read_json_file(args.file, max_bytes=CASE_FILE_MAX_BYTES)
    with ctx.session() as session:
        case = cases.register_case(data, session=session, confirm_warnings=args.confirm)
        result = {"id": case.id, "number": case.number}
    if not ctx.json:
        ctx.info(_("Case {number} registered").format(number=result["number"]))
        return None
    return result


def cmd_update(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    from migreg_desktop.cases import cases
    from migreg_desktop.cases.case_document import CASE_FILE_MAX_BYTES

    data = read_json_file(args.file, max_bytes=CASE_FILE_MAX_BYTES)
    with ctx.session() as session:
        case = cases.update_case(cases.get_case(args.case, session=session).id, data,
                                 session=session, confirm_warnings=args.confirm)
        return {"id": case.id, "number": case.number, "version": case.version}


def cmd_show(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    from migreg_desktop.cases import cases

    with ctx.session() as session:
        return cases.case_dict(cases.get_case(args.case, session=session), session=session)


def cmd_list(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]] | dict[str, Any] | None:
    flt = CaseFilter(search=args.search, kind=args.kind, status=args.status, year=args.year,
                     destination=args.destination, office=args.office)
    if args.xlsx:
        return _export(flt, args, ctx)
    with ctx.reading() as db:
        rows = list_cases(flt, limit=args.limit, sort=args.sort, descending=not args.asc, db=db)
    if ctx.json:
        return rows
    for r in rows:
        ctx.info(f"{r['number']}  {r['kind']:<12} {r['status']:<10} {r['applicant_iin'] or '':<12} {r['applicant_name']}")
    return None


def _export(flt: CaseFilter, args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    """`case list … --xlsx FILE`: the same filter and order, every row (--limit is for the screen)."""
    lang = current_language()
    with ctx.session() as session:
        n = export_xlsx(flt, args.xlsx, lang, session=session, sort=args.sort, descending=not args.asc,
                        progress=ctx.progress)
    if ctx.json:
        return {"file": args.xlsx, "rows": n, "lang": lang}
    ctx.info(ngettext("{n} case written to {file}", "{n} cases written to {file}", n).format(n=n, file=args.xlsx))
    return None


def cmd_status(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.eligibility import case_status

    with ctx.session() as session:
        case = case_status.change_status(args.case, args.to_status, args.comment, session=session)
        result = {"id": case.id, "number": case.number, "status": case.status}
    if not ctx.json:
        ctx.info(_("Case {number}: status {status}").format(number=result["number"],
                                                            status=status_label(result["status"])))
        return None
    return result
