"""Batch printing: all receipt slips of a day in one PDF (the register is in ``render_register``).

The core takes ``progress(done, total)`` and ``cancelled()``; the window runs it in a QThreadPool
worker, the CLI with a terminal bar. A cancelled batch leaves no file behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlmodel import Session

from migreg_desktop.cases import register_query
from migreg_desktop.forms import copies, get_spec, print_audit
from migreg_desktop.forms.layout import load_layout
from migreg_desktop.forms.render import IsCancelled, Job, Progress, write_pdf


def render_slips_of_day(office: str, day: date, lang: str, out: str | os.PathLike[str], *, session: Session,
                        progress: Progress | None = None, cancelled: IsCancelled | None = None,
                        form: str = "receipt", output: str | None = None) -> dict[str, Any]:
    ids = register_query.case_ids_of_day(office, day, session=session)
    spec, layout, langs = get_spec(form), load_layout(form), copies(lang)

    def jobs() -> Iterator[Job]:
        for n, case_id in enumerate(ids, start=1):
            yield Job(layout, [spec.build(case_id, one, session=session) for one in langs])
            if progress:
                progress(n, len(ids))

    pages = write_pdf(out, jobs(), cancelled=cancelled) if ids else 0
    if output and ids:  # one audit entry per case printed, in this one transaction
        print_audit.record_cases(form, ids, lang, output, day=day, session=session)
    return {"office": office, "day": day.isoformat(), "lang": lang, "out": str(out), "pages": pages,
            "cases": len(ids)}
