"""The Department's files, written the same way by the CLI and the window (issue 16): the
monitoring workbook and report, the proposal letter, the printable settlement list and the
Labour Exchange workbook. One function per document so both doors stay identical; the caller
owns the session (the CLI's ``ctx.session()``, the window's unit of work on a worker).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, tr


def check_folder(*targets: str | Path | None) -> None:
    """Exit 2 before any work when a file's folder does not exist."""
    for target in targets:
        if target and not Path(target).parent.is_dir():
            raise UserError(N_("folder {path} does not exist"), field="out", path=str(Path(target).parent))


def write_monitoring(f: Any, doc: dict[str, Any], lang: str, *, xlsx: Path | None = None, pdf: Path | None = None,
                     session: Session) -> list[tuple[str, Path]]:
    """The monitoring workbook and/or report of the document ``doc`` (filter ``f``); each written
    file is audited (`print` / `monitoring`, no file name). Returns (format, path) pairs."""
    from migreg_desktop.department import monitoring
    from migreg_desktop.department.monitoring_report import TITLE, build_tables, subtitle
    from migreg_desktop.department.monitoring_xlsx import write_xlsx
    from migreg_desktop.forms.monitoring_pdf import write_pdf

    check_folder(xlsx, pdf)
    offices = monitoring.office_names(session=session)
    regions = monitoring.territory_names([q["region_kato"] for q in doc["quota"]], session=session)
    tables = build_tables(doc, lang, offices=offices, regions=regions)
    title = tr(TITLE, lang)
    written = []
    for file_format, target in (("xlsx", xlsx), ("pdf", pdf)):
        if not target:
            continue
        path = Path(target)
        if file_format == "xlsx":
            write_xlsx(path, tables, lang, title=title)
        else:
            department = offices.get("ALM-OBL", {}).get(lang, "")
            heading = [title, department, *subtitle(f, lang, offices)]
            write_pdf(path, tables, lang, heading=[h for h in heading if h], printed=date.today())
        monitoring.record_export(f, file_format, lang, session=session)
        written.append((file_format.upper(), path))
    return written


def write_proposal(doc: dict[str, Any], lang: str, *, pdf: Path, xlsx: Path | None = None,
                   session: Session) -> dict[str, str | None]:
    """The letter (PDF) and optionally its tables (xlsx) of a built proposal; audited `print`."""
    from migreg_desktop.accounts import audit
    from migreg_desktop.department import monitoring, proposal
    from migreg_desktop.department.monitoring_xlsx import write_xlsx
    from migreg_desktop.forms.proposal_pdf import TITLE, write_pdf

    check_folder(pdf, xlsx)
    department = monitoring.office_names(session=session).get("ALM-OBL", {}).get(lang, "")
    write_pdf(Path(pdf), doc, lang, department=department, printed=date.today())
    if xlsx:
        write_xlsx(Path(xlsx), proposal.tables(doc, lang), lang, title=tr(TITLE, lang).format(year=doc["for_year"]))
    audit.record("print", "proposal", str(doc["year"]), {"format": [None, "pdf+xlsx" if xlsx else "pdf"],
                                                          "lang": [None, lang]}, session=session)
    return {"pdf": str(pdf), "xlsx": str(xlsx) if xlsx else None}


def write_settlement_files(year: int, out: Path, lang: str, *, session: Session) -> list[str]:
    """The fixed list's printable PDFs (kk and ru) and the Electronic Labour Exchange workbook
    (headers in ``lang``), audited `publish` with the file names (Rules §8)."""
    from migreg_desktop.department import settlement_desk
    from migreg_desktop.forms import settlement_list_pdf

    files = []
    for pdf_lang in ("kk", "ru"):
        path = out / f"settlements-{year}-{pdf_lang}.pdf"
        settlement_list_pdf.write_pdf(path, year, pdf_lang, session=session)
        files.append(str(path))
    path = out / f"settlements-{year}-enbek.xlsx"
    settlement_desk.write_exchange_xlsx(path, year, lang, session=session)
    files.append(str(path))
    settlement_desk.record_publish(year, [Path(f).name for f in files], session=session)
    return files
