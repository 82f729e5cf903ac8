"""`settlements import FILE [--dry-run]`, `settlements list --year Y`, `settlements export FILE --year Y`;
the Department's steps (Rules §6–8, issue 16 §4; docs/department.md): `settlements fix --year Y
[--reopen]`, `settlements publish --year Y --out DIR`, `settlements sent --year Y --to NAME --on DATE`,
`settlements recipients --year Y`.

Gate of the Department's steps: the oblast office's database (services/settlement_desk.require_oblast,
exit 1) and the role ``head`` (``requires="head"``), ``--reopen`` an ``admin`` (``_require_admin``);
both move to the permissions table of the gate issue.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.cli.usage import YEAR
from migreg_desktop.department import settlement_desk
from migreg_desktop.i18n import _, current_language, fmt_date
from migreg_desktop.refdata import settlements


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


    _register_desk(group, common)


def _register_desk(group: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(group, common, "fix", cmd_fix, "oblast: fix the list of a year (Rules §7), or --reopen it",
                    action="department.write")
    p.add_argument("--year", type=YEAR, required=True, help="the year the list is for, e.g. 2027")
    p.add_argument("--reopen", action="store_true", help="admin: open a fixed list for changes again")
    p = add_command(group, common, "publish", cmd_publish, "oblast: reference package, printable list (kk, ru) "
                    "and the Labour Exchange workbook of a fixed list", action="department.write")
    p.add_argument("--year", type=YEAR, required=True)
    p.add_argument("--out", required=True, help="an existing folder")
    p = add_command(group, common, "sent", cmd_sent, "oblast: record that a recipient was sent the fixed list",
                    action="department.write")
    p.add_argument("--year", type=YEAR, required=True)
    p.add_argument("--to", required=True, help="LMC, a career centre's code, a rural okrug's KATO, or a name")
    p.add_argument("--on", required=True, help="the day it was sent, YYYY-MM-DD")
    p = add_command(group, common, "recipients", cmd_recipients, "oblast: who has and has not received the list",
                    action="monitoring.read")
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


def cmd_fix(args: argparse.Namespace, ctx: Context) -> Any:
    lang = current_language()
    if args.reopen:
        with ctx.session() as session:
            doc = settlement_desk.reopen(args.year, session=session)
        ctx.info(_("The settlement list of {year} is open for changes again.").format(year=args.year))
        return doc if ctx.json else None
    with ctx.session() as session:
        doc = settlement_desk.fix(args.year, session=session)
    for w in doc["warnings"]:
        w["message"] = settlement_desk.warning_text(w, lang)
        ctx.info(_("warning: {message}").format(message=w["message"]))
    ctx.info(_("The settlement list of {year} is fixed on {date}: {count} settlement(s).").format(
        year=args.year, date=fmt_date(date.fromisoformat(doc["fixed_on"]), lang), count=doc["count"]))
    return doc if ctx.json else None


def cmd_publish(args: argparse.Namespace, ctx: Context) -> Any:
    from migreg_desktop.forms.department_files import write_settlement_files
    from migreg_desktop.sync.list_publish import publish

    lang = current_language() if current_language() in ("kk", "ru") else "ru"
    doc = publish(args.year, Path(args.out), lang, session=ctx.session,
                  write_files=lambda year, out, file_lang, s: write_settlement_files(year, out, file_lang, session=s))
    for f in [doc["refdata"]["file"], *doc["pdf"], doc["xlsx"]]:
        ctx.info(_("written: {file}").format(file=f))
    return doc if ctx.json else None


def cmd_sent(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = settlement_desk.mark_sent(args.year, args.to, args.on, session=session)
    name = doc["name_kk"] if current_language() == "kk" else doc["name_ru"]
    ctx.info(_("The settlement list of {year} sent to {name} on {date}.").format(
        year=args.year, name=name, date=fmt_date(date.fromisoformat(doc["sent_on"]), current_language())))
    return doc if ctx.json else None


def cmd_recipients(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = settlement_desk.recipients(args.year, session=session)
    if ctx.json:
        return doc
    lang = current_language()
    ctx.info(_("{sent} of {total} recipients have the list of {year}.").format(**doc))
    for r in doc["recipients"]:
        mark = r["sent_on"] or _("not sent")
        ctx.info(f"{r['key']:<10} {mark:<10} {r['name_kk'] if lang == 'kk' else r['name_ru']}")
    return None
