"""`support CASE`: support measures of a case in MCI and tenge."""

from __future__ import annotations

import argparse
from typing import Any

from ..services.support import case_support
from .context import Context, add_command


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "support", cmd_support, "support measures of a case (MCI and tenge)")
    p.add_argument("case", help="case id or number")


def cmd_support(args: argparse.Namespace, ctx: Context) -> Any:
    with ctx.session() as session:
        doc = case_support(args.case, session=session)
    if ctx.json:
        return doc
    for m in doc["measures"]:
        ctx.info(f"{m['label']}: {m['tenge_text']} ({m['detail']})")
    ctx.info(f"= {doc['total_tenge_text']} ({doc['total_mci']} MCI × {doc['mci_tenge_text']})")
    return None
