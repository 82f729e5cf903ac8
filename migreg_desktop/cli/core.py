"""`init`, `offices`, `iin check`."""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop import paths
from migreg_desktop.cli.context import Context, add_command, add_group
from migreg_desktop.i18n import _, current_language


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "init", cmd_init, "create the database of an office",
                    action="office.init")
    p.add_argument("--office", required=True, help="office code, e.g. ALM-KNV (see 'migreg offices')")
    add_command(sub, common, "offices", cmd_offices, "list the offices of the shipped reference data",
                login=False)
    iin = add_group(sub, common, "iin", "identity numbers")
    p = add_command(iin, common, "check", cmd_iin_check, "check an IIN and derive birth date and sex",
                    login=False)
    p.add_argument("iin")


def cmd_init(args: argparse.Namespace, ctx: Context) -> dict[str, Any] | None:
    from migreg_desktop.accounts.office import current_office
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.storage.db import session_scope

    engine, loaded = init_database(args.office, actor=ctx.acting or ctx.actor)
    ctx.set_engine(engine)
    with session_scope(engine) as session:
        office = current_office(session=session)
        result = {"office": office.code, "kind": office.kind, "data_dir": str(paths.data_dir()),
                  "database": str(paths.db_path()), "reference_loaded": loaded}
    ctx.info(_("Database ready for {office} in {path}").format(office=office.code, path=paths.data_dir()))
    return result if ctx.json else None


def cmd_offices(args: argparse.Namespace, ctx: Context) -> list[dict[str, Any]]:
    """Offices from the shipped reference data: works before any database exists."""
    from migreg_desktop.paths import resource
    from migreg_desktop.refdata.shipped import read_dataset  # no database, no models (issue 17 §5)

    data = read_dataset(resource("refdata", "territories.json"))
    offices = [{k: o[k] for k in ("code", "kind", "name_kk", "name_ru", "kato")} for o in data["offices"]]
    if not ctx.json:
        lang_key = "name_kk" if current_language() == "kk" else "name_ru"
        for o in offices:
            ctx.info(f"{o['code']:<9} {o['kind']:<9} {o['kato']}  {o[lang_key]}")
    return offices


def cmd_iin_check(args: argparse.Namespace, ctx: Context) -> tuple[dict[str, Any] | None, int]:
    from migreg_desktop.rules import iin as iin_rules

    result = iin_rules.check(args.iin)
    errors = [_(m).format(**p) for m, p in result.errors]
    warnings = [_(m).format(**p) for m, p in result.warnings]
    doc = {"iin": result.iin, "valid": result.valid,
           "birth_date": result.birth_date.isoformat() if result.birth_date else None,
           "sex": result.sex, "errors": errors, "warnings": warnings}
    if not ctx.json:
        ctx.info(_("IIN {iin} is valid").format(iin=result.iin) if result.valid
                 else _("IIN {iin} is not valid").format(iin=result.iin))
        for line in errors + warnings:
            ctx.info(f"  - {line}")
        return None, (0 if result.valid else 2)
    return doc, (0 if result.valid else 2)
