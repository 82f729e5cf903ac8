"""`support CASE`: support measures of a case in MCI and tenge."""

from __future__ import annotations

import argparse
from typing import Any

from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.eligibility.support import case_support
from migreg_desktop.forms.decision import reference_label
from migreg_desktop.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "support", cmd_support, "support measures of a case (MCI and tenge)")
    p.add_argument("case", help="case id or number")


def cmd_support(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = case_support(args.case, session=session)
    for m in doc["measures"]:  # "reference" stays the stable key; this is the clerk's wording
        m["reference_text"] = reference_label(m.get("reference") or "")
    if ctx.json:
        return doc
    ctx.info(doc["entitlement_text"] + (f" — {doc['entitlement_reason_text']}" if doc["entitlement_reason_text"] else ""))
    for m in doc["measures"]:
        basis = f"; {m['reference_text']}" if m["reference_text"] else ""
        to = f" [{_('paid to the employer')}]" if m["recipient"] == "employer" else ""
        ctx.info(f"{m['label']}: {m['tenge_text']}{to} ({m['detail']}{basis})")
    if doc["entitlement"] == "none":
        return None
    ctx.info("= " + _("{tenge} ({mci} MCI × {rate})").format(
        tenge=doc["total_tenge_text"], mci=doc["total_mci"], rate=doc["mci_tenge_text"])
        + (f" · {_('forecast')}" if doc["forecast"] else ""))
    if doc["employer_tenge"]:
        ctx.info(_("Employer (not part of the family's total): {tenge}").format(tenge=doc["employer_tenge_text"]))
    return None
