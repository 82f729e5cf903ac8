"""`settlements import FILE [--dry-run]`, `settlements list --year Y`, `settlements export FILE --year Y`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..i18n import _, current_language
from ..services import settlements
from .context import Context, add_command, add_group
from .usage import YEAR


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "settlements", "the oblast's settlement list of the year (Rules §6–8)")
    p = add_command(group, common, "import", cmd_import, "import a settlement list from CSV or XLSX",
                    action="settlements.import")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="preview only; write nothing")
    p = add_command(group, common, "list", cmd_list, "the settlement list of a year")
    p.add_argument("--year", type=YEAR, required=True)
    p = add_command(group, common, "export", cmd_export, "export the list of a year to CSV or XLSX")
    p.add_argument("file")
    p.add_argument("--year", type=YEAR, required=True)


def cmd_import(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = settlements.import_file(Path(args.file), session=session, dry_run=args.dry_run)
    for e in doc["errors"]:
        ctx.info(_("row {row}, {field}: {message}").format(**e))
    for w in doc["warnings"]:
        ctx.info(_("warning: {message}").format(**w))
    code = 2 if doc["errors"] or not doc["rows"] else 0
    if not doc["rows"]:
        ctx.info(_("{file}: no rows to import").format(file=args.file))
    if not ctx.json:
        ctx.info(_("{valid_rows} of {rows} rows valid: {added} added, {removed} removed, {changed} changed")
                 .format(**doc) + ("" if doc["imported"] else " — " + _("nothing written")))
        return None, code
    return doc, code


def cmd_list(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = settlements.list_year(args.year, session=session)
    if ctx.json:
        return doc
    if doc["sample"]:
        ctx.info(_("warning: {message}").format(message=_("Sample list for testing: not the oblast's official list.")))
    for w in doc["warnings"]:
        ctx.info(_("warning: {message}").format(**w))
    name = "name_kk" if current_language() == "kk" else "name_ru"
    for e in doc["entries"]:
        ctx.info(f"{e['kato']}  {e['kind']:<20} {e['potential']:<7} {e['fixed_on']}  {e[name]}")
    return None


def cmd_export(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    with ctx.session() as session:
        count = settlements.export(Path(args.file), args.year, session=session)
    return {"file": args.file, "year": args.year, "rows": count}
