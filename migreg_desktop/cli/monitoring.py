"""`monitoring --year Y [--from D --to D] [--office CODE] [--kind K] [--xlsx F] [--pdf F]`: the
Department's monitoring of migration (Rules §3; docs/monitoring.md).

Who may run it: the action ``monitoring.read`` of services/permissions (the oblast office, a
``head`` or ``admin`` once accounts exist; checked by cli/access like every command, exit 2); the
service also refuses a district's database (services/monitoring.require_oblast, exit 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.cli.usage import YEAR
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, current_language, fmt_number, tr
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
from migreg_desktop.vocabulary import CASE_KINDS as QUOTA_KINDS

MSG_FILE_LANG = N_("monitoring files are written in Kazakh or Russian: use --lang kk or --lang ru")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "monitoring", cmd_monitoring,
                    "oblast: monitoring of migration for a year (tables, xlsx with charts, PDF)",
                    action="monitoring.read")
    p.add_argument("--year", type=YEAR, required=True, help="quota year, e.g. 2026")
    p.add_argument("--from", dest="date_from", default=None, help="first application day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", default=None, help="last application day, YYYY-MM-DD")
    p.add_argument("--office", default=None, help="one office's cases only, e.g. ALM-KNV")
    p.add_argument("--kind", default=None, choices=QUOTA_KINDS)
    p.add_argument("--xlsx", default=None, help="write the workbook (sheets, charts) to this file")
    p.add_argument("--pdf", default=None, help="write the printable report to this file")


def _file_lang(args: argparse.Namespace) -> str:
    lang = current_language()  # the Context set it from --lang, MIGREG_LANG or the settings
    if (args.xlsx or args.pdf) and lang not in ("kk", "ru"):
        raise UserError(MSG_FILE_LANG, field="lang")
    return lang


def cmd_monitoring(args: argparse.Namespace, ctx: Context) -> Any:
    from migreg_desktop.department import monitoring

    lang = _file_lang(args)
    with ctx.session() as session:
        monitoring.require_oblast(session=session)
        f = monitoring.make_filter(args.year, args.date_from, args.date_to, args.office, args.kind, session=session)
        doc = monitoring.monitoring(f, session=session)
        written = _write_files(args, f, doc, lang, session=session)
        regions = monitoring.territory_names([q["region_kato"] for q in doc["quota"]], session=session)
    for kind, path in written:
        ctx.info(tr(N_("{kind} written to {file}"), lang).format(kind=kind, file=path))
    if ctx.json:
        return doc
    _summary(ctx, doc, f.year, lang, regions)
    return None


def _write_files(args: argparse.Namespace, f: Any, doc: dict[str, Any], lang: str, *, session: Any) -> list[tuple[str, Path]]:
    if not (args.xlsx or args.pdf):
        return []
    from migreg_desktop.forms.department_files import write_monitoring

    return write_monitoring(f, doc, lang, xlsx=Path(args.xlsx) if args.xlsx else None,
                            pdf=Path(args.pdf) if args.pdf else None, session=session)


def _summary(ctx: Context, doc: dict[str, Any], year: int, lang: str, regions: dict[str, dict[str, str]]) -> None:
    n = lambda v: fmt_number(v, lang)  # noqa: E731
    t = doc["totals"]
    ctx.info(tr(N_("Monitoring, quota year {year}: {cases} case(s), {persons} person(s)"), lang).format(
        year=year, cases=n(t["cases"]), persons=n(t["persons"])))
    for kind, cell in t["by_kind"].items():
        if cell["cases"]:
            ctx.info("  " + tr(N_("{label}: {cases} case(s), {persons} person(s)"), lang).format(
                label=tr(KIND_LABELS.get(kind, kind), lang), cases=n(cell["cases"]), persons=n(cell["persons"])))
    busy = sorted((o for o in doc["by_office"] if o["cases"]), key=lambda o: -o["cases"])[:5]
    if busy:
        ctx.info(tr(N_("Offices with the most cases:"), lang) + " " +
                 ", ".join(f"{o['office']} {n(o['cases'])}" for o in busy))
    for q in sorted(doc["quota"], key=lambda q: -(q["percent"] or 0))[:5]:
        if q["included"]:
            ctx.info(tr(N_("Quota {region} ({kind}): {included} of {limit} included ({percent} %)"), lang).format(
                region=regions.get(q["region_kato"], {}).get(lang) or q["region_kato"], kind=tr(KIND_LABELS.get(q["kind"], q["kind"]), lang),
                included=n(q["included"]), limit=n(q["limit"]), percent=n(q["percent"] or 0)))
