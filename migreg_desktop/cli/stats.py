"""`stats template --out FILE --lang kk|ru`, `stats import FILE.xlsx`: official statistics of the
districts (population, arrivals, departures; births and deaths optional) that monitoring turns
into ``indicators`` (Rules §3, §9; issue 16 §2; docs/department.md).

Gate: the oblast office's database (services/stats.require_oblast, exit 1) and the role ``head``
(``requires="head"``); both move to the permissions table of the gate issue.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.cli.usage import YEAR
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, _, current_language


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(sub, common, "stats", "oblast: official statistics of the districts for monitoring")
    p = add_command(group, common, "template", cmd_template, "write the statistics template (xlsx) in --lang kk|ru",
                    action="monitoring.read")
    p.add_argument("--out", required=True)
    p.add_argument("--year", type=YEAR, default=None, help="fill the year column")
    p = add_command(group, common, "import", cmd_import, "import a filled statistics template (xlsx)",
                    action="department.write")
    p.add_argument("file")


def cmd_template(args: argparse.Namespace, ctx: Context) -> Any:
    from migreg_desktop.department import stats
    from migreg_desktop.department.report_table import write_private

    lang = current_language()
    if lang not in ("kk", "ru"):
        raise UserError(N_("the template is written in Kazakh or Russian: use --lang kk or --lang ru"), field="lang")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(N_("folder {path} does not exist"), field="out", path=str(out.parent))
    if args.year is not None and not 2000 <= args.year <= 2100:
        raise UserError(N_("{value} is not a year between 2000 and 2100"), field="year", value=str(args.year))
    with ctx.session() as session:
        stats.require_oblast(session=session)
        write_private(out, stats.template_bytes(lang, session=session, year=args.year))
    ctx.info(_("written: {file}").format(file=out))
    return {"file": str(out), "lang": lang} if ctx.json else None


def cmd_import(args: argparse.Namespace, ctx: Context) -> Any:
    from migreg_desktop.department import stats

    with ctx.session() as session:
        stats.require_oblast(session=session)
        doc = stats.import_file(Path(args.file), session=session)
    for e in doc["errors"]:
        ctx.info(_("row {row}, {field}: {message}").format(**e))
    if not doc["rows"]:
        ctx.info(_("{file}: no rows to import").format(file=args.file))
    code = 2 if doc["errors"] or not doc["rows"] else 0
    if not ctx.json:
        ctx.info(_("{valid_rows} of {rows} rows valid").format(**doc) + ("" if doc["imported"] else " — " + _("nothing written")))
        return None, code
    return doc, code
