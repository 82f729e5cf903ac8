"""`form NAME CASE --lang kk|ru --out FILE.pdf`, `form-batch NAME CASE... --out FILE.pdf`, `forms`, `register --office --from --to`,
`slips --day` (all receipt slips of a day)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from migreg_desktop.cases.persons import MSG_BAD_DATE
from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, _, current_language

MSG_FORM_LANG = N_("printed forms exist in kk and ru only; use --lang kk or --lang ru")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "form", cmd_form, "print one form of a case to a PDF file")
    p.add_argument("name", help="form name (see 'migreg forms')")
    p.add_argument("case", help="case id or number")
    p.add_argument("--both", action="store_true", help="Kazakh and Russian copies in one file")
    p.add_argument("--out", required=True, help="PDF file to write")
    p = add_command(sub, common, "form-batch", cmd_form_batch, "print one form of many cases to one PDF file")
    p.add_argument("name", help="form name (see 'migreg forms'), or 'application': each case's own")
    p.add_argument("cases", nargs="+", metavar="CASE", help="case ids or numbers")
    p.add_argument("--both", action="store_true", help="Kazakh and Russian copies of each form")
    p.add_argument("--out", required=True, help="PDF file to write")
    add_command(sub, common, "forms", cmd_forms, "list the printable forms")
    p = add_command(sub, common, "register", cmd_register, "print the register of cases of an office for a period")
    p.add_argument("--office", required=True, help="office code, e.g. ALM-KNV")
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--out", required=True, help="PDF file to write")
    p = add_command(sub, common, "slips", cmd_slips, "print all receipt slips of a day in one PDF")
    p.add_argument("--day", required=True, help="YYYY-MM-DD")
    p.add_argument("--office", default=None, help="office code (default: this database's office)")
    p.add_argument("--both", action="store_true", help="Kazakh and Russian copies on one sheet")
    p.add_argument("--out", required=True, help="PDF file to write")


def _form_lang(args: argparse.Namespace) -> str:
    """--lang chooses the form's language (and the messages'); forms exist in kk and ru."""
    lang = getattr(args, "lang", None) or current_language()
    if getattr(args, "both", False):
        return "both"
    if lang not in ("kk", "ru"):
        raise UserError(MSG_FORM_LANG, field="lang")
    return lang


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UserError(MSG_BAD_DATE, field=field, value=value) from exc


def cmd_form(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.forms import get_spec, render_form

    get_spec(args.name)  # an unknown form is refused before the database is opened
    lang = _form_lang(args)
    with ctx.session() as session:
        result = render_form(args.name, args.case, lang, args.out, session=session, output="file")
    return _done(ctx, result)


def cmd_form_batch(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.forms import get_spec
    from migreg_desktop.forms.batch import APPLICATION, render_cases

    if args.name != APPLICATION:
        get_spec(args.name)  # an unknown form is refused before the database is opened
    lang = _form_lang(args)
    with ctx.session() as session:
        result = render_cases(args.name, args.cases, lang, args.out, session=session, progress=ctx.progress,
                              output="file")
    return _done(ctx, result)


def cmd_forms(args: argparse.Namespace, ctx: Context) -> list[str] | None:
    from migreg_desktop.forms import FORMS, form_names

    names = form_names()
    if ctx.json:
        return names
    for name in names:
        spec = FORMS.get(name)
        ctx.info(f"{name:<26} {_(spec.title) if spec else _('Register of cases for a period')}")
    return None


def cmd_register(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.forms import render_register

    lang = _form_lang(args)
    start, end = _date(args.date_from, "from"), _date(args.date_to, "to")
    with ctx.session() as session:
        result = render_register(args.office.upper(), start, end, lang, args.out, session=session,
                                 progress=ctx.progress, output="file")
    return _done(ctx, result)


def cmd_slips(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.accounts.office import current_office_code
    from migreg_desktop.forms.batch import render_slips_of_day

    lang = _form_lang(args)
    day = _date(args.day, "day")
    with ctx.session() as session:
        office = (args.office or current_office_code(session=session) or "").upper()
        result = render_slips_of_day(office, day, lang, args.out, session=session, progress=ctx.progress,
                                     output="file")
    return _done(ctx, result)


def _done(ctx: Context, result: dict[str, Any]) -> dict[str, Any] | None:
    if ctx.json:
        return result
    ctx.info(_("{out}: {pages} page(s)").format(**result))
    return None
