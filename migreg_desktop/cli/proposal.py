"""`proposal --year Y --lang kk|ru --out FILE.pdf [--xlsx F] [--paragraph KEY=TEXT …]`: the
Department's draft letter of proposals to the Ministry (Rules §4; issue 16 §3; docs/department.md).

Gate: the oblast office's database (services/monitoring.require_oblast, exit 1) and the role
``head`` (``requires="head"``); both move to the permissions table of the gate issue.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.cli.usage import YEAR, FloatRange
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, current_language, tr

PERCENT = FloatRange(0, 10_000)  # demand thresholds, % of the places


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "proposal", cmd_proposal,
                    "oblast: draft the proposals to the Ministry (quotas, territories; Rules §4)", action="department.write")
    p.add_argument("--year", type=YEAR, required=True, help="the quota year whose figures the proposal uses")
    p.add_argument("--out", required=True, help="the letter, PDF")
    p.add_argument("--xlsx", default=None, help="also the tables as a workbook")
    p.add_argument("--increase-above", type=PERCENT, default=120.0, help="demand above this %% of places → increase")
    p.add_argument("--decrease-below", type=PERCENT, default=80.0, help="demand below this %% of places → decrease")
    p.add_argument("--paragraph", action="append", default=[], metavar="KEY=TEXT",
                   help="save a paragraph of the draft: intro, quotas, territories, foreign_labour, "
                        "labour_immigrants, closing (repeatable; KEY= clears it)")


def _edits(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, text = item.partition("=")
        if not sep:
            raise UserError(N_("{value}: write a paragraph as KEY=TEXT"), field="paragraph", value=item)
        out[key.strip()] = text
    return out


def _check_paths(*paths: str | None) -> None:
    for target in paths:
        if target and not Path(target).parent.is_dir():
            raise UserError(N_("folder {path} does not exist"), field="out", path=str(Path(target).parent))


def cmd_proposal(args: argparse.Namespace, ctx: Context) -> Any:
    from migreg_desktop.department import monitoring, proposal
    from migreg_desktop.forms.department_files import write_proposal

    lang = current_language()
    if lang not in ("kk", "ru"):
        raise UserError(N_("the proposal is written in Kazakh or Russian: use --lang kk or --lang ru"), field="lang")
    _check_paths(args.out, args.xlsx)
    thresholds = proposal.Thresholds(args.increase_above, args.decrease_below)
    with ctx.session() as session:
        monitoring.require_oblast(session=session)
        doc = proposal.build(args.year, thresholds, lang, session=session)  # checks year and thresholds first
        if args.paragraph:
            doc["paragraphs"] = proposal.save_paragraphs(args.year, lang, _edits(args.paragraph), session=session)
        files = write_proposal(doc, lang, pdf=Path(args.out), xlsx=Path(args.xlsx) if args.xlsx else None,
                               session=session)
    for path in filter(None, files.values()):
        ctx.info(tr(N_("written: {file}"), lang).format(file=path))
    return {**doc, "files": files} if ctx.json else None
