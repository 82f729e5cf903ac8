"""The fixed settlement list of a year as a printable PDF (Rules §6–8), for the akimats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from migreg_desktop.department.report_table import write_private
from migreg_desktop.department.settlement_desk import list_report
from migreg_desktop.forms.monitoring_pdf import report_bytes


def write_pdf(path: Path, year: int, lang: str, *, session: Session, printed: date | None = None) -> Path:
    table, heading = list_report(year, lang, session=session)
    return write_private(path, report_bytes([table], lang, heading=heading, printed=printed or date.today()))
