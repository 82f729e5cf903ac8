"""The case list: filter and sort in SQL, ids first, rows fetched by page.

Used by `migreg case list` and by the window's table model (ui/case_table.py), so a list of
100,000 cases opens without loading them: the model holds rowids in order and asks for the
rows it shows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, Translator, translator
from migreg_desktop.storage.reader import Rows, rows
from migreg_desktop.storage.search import fts_query, match_sql
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
from migreg_desktop.vocabulary import STATUS_LABELS

if TYPE_CHECKING:  # the list's reads run on a plain DB-API connection too (storage/reader.py)
    from sqlmodel import Session

# Sortable columns: key → SQL expression ("{lang}" picks the territory name column).
SORT_SQL = {
    "number": "c.number",
    "kind": "c.kind",
    "status": "c.status",
    "applicant_name": "c.applicant_name COLLATE NOCASE",
    "applicant_iin": "c.applicant_iin",
    "family_size": "c.family_size",
    "destination": "t.name_{lang}",
    "quota_year": "c.quota_year",
    "created_at": "c.created_at",
    "office": "c.office_code",
}
ROW_SQL = (
    "SELECT c.rowid AS rowid, id_text(c.id) AS id, c.number, c.kind, c.status, c.applicant_name, c.applicant_iin,"
    " c.family_size, c.destination_kato, t.name_kk AS destination_kk, t.name_ru AS destination_ru,"
    " c.quota_year, c.created_at, c.office_code AS office"
    " FROM cases c LEFT JOIN territory t ON t.kato = c.destination_kato"
)


@dataclass
class CaseFilter:
    search: str = ""
    kind: str | None = None
    status: str | None = None
    year: int | None = None
    destination: str | None = None  # KATO of a region, district or settlement (with children)
    office: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """What a saved filter stores (settings ``saved_filters``): only the fields that are set."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> CaseFilter:
        """A stored filter back; unknown keys (a newer program's) are ignored, types checked."""
        known = {f.name: f.type for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in doc.items():
            if key not in known or value is None:
                continue
            if key == "year":
                values[key] = int(value)
            elif isinstance(value, str):
                values[key] = value[:200]
        return cls(**values)

    def is_search_only(self) -> bool:
        return not any((self.kind, self.status, self.year, self.destination, self.office))

    def where(self) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        for key, column in (("kind", "c.kind"), ("status", "c.status"), ("year", "c.quota_year"),
                            ("office", "c.office_code")):
            value = getattr(self, key)
            if value not in (None, ""):
                clauses.append(f"{column} = :{key}")
                params[key] = value
        if self.destination:
            # KATO is hierarchical: a region's or district's code without trailing zeros is a prefix.
            prefix = self.destination.rstrip("0") or self.destination
            clauses.append("c.destination_kato >= :dlo AND c.destination_kato < :dhi")
            params.update(dlo=prefix, dhi=prefix + "\uffff")
        query = fts_query(self.search) if self.search.strip() else None
        if query:
            clauses.append(f"c.rowid IN ({match_sql(':fts')})")
            params["fts"] = query
        elif self.search.strip():
            clauses.append("0")  # only punctuation typed: nothing can match
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(sort: str, descending: bool, lang: str) -> str:
    expr = SORT_SQL.get(sort, "c.created_at").format(lang="kk" if lang == "kk" else "ru")
    direction = "DESC" if descending else "ASC"
    return f" ORDER BY {expr} {direction}, c.rowid {direction}"


# The list's reads take ``db``: a session (its own DB-API connection is used: SQLAlchemy's
# per-statement overhead is ≈ 0.1 ms, 10× an indexed lookup) or a read-only connection from
# storage.reader.reading (the first screen and `migreg case list` before SQLAlchemy is loaded).


def query_rowids(flt: CaseFilter, sort: str = "created_at", descending: bool = True,
                 lang: str = "ru", *, db: Rows | Session) -> list[int]:
    con = rows(db)
    query = flt.search.strip()
    if len(query) == 12 and query.isdigit() and flt.is_search_only():
        # An IIN typed in full: the applicant index answers; family members via the FTS index.
        hits = con.execute("SELECT rowid FROM cases WHERE applicant_iin = ?", (query,)).fetchall()
        if hits:
            return [r[0] for r in hits]
    where, params = flt.where()
    join = " LEFT JOIN territory t ON t.kato = c.destination_kato" if sort == "destination" else ""
    sql = f"SELECT c.rowid FROM cases c{join}{where}{_order(sort, descending, lang)}"
    return [r[0] for r in con.execute(sql, params)]


def fetch_rows(rowids: list[int], *, db: Rows | Session) -> dict[int, dict[str, Any]]:
    if not rowids:
        return {}
    marks = ",".join(str(int(r)) for r in rowids)
    cur = rows(db).execute(f"{ROW_SQL} WHERE c.rowid IN ({marks})")
    cols = [d[0] for d in cur.description]
    return {row[0]: dict(zip(cols, row, strict=True)) for row in cur}


def rowid_of(case_id: str, *, db: Rows | Session) -> int | None:
    """The list's key of a case (the table model keeps row ids, not UUIDs)."""
    found = rows(db).execute("SELECT rowid FROM cases WHERE id = id_db(:id)", {"id": case_id}).fetchone()
    return None if found is None else int(found[0])


def quota_years(*, db: Rows | Session) -> list[int]:
    """The quota years that have cases, newest first (the list's year filter)."""
    return [int(r[0]) for r in rows(db).execute("SELECT DISTINCT quota_year FROM cases ORDER BY quota_year DESC")]


def list_cases(flt: CaseFilter, limit: int = 100, sort: str = "created_at", descending: bool = True,
               *, db: Rows | Session) -> list[dict[str, Any]]:
    where, params = flt.where()
    params["limit"] = limit
    cur = rows(db).execute(f"{ROW_SQL}{where}{_order(sort, descending, 'ru')} LIMIT :limit", params)
    names = [d[0] for d in cur.description]
    found = [dict(zip(names, r, strict=True)) for r in cur]
    for row in found:
        row.pop("rowid", None)
        row["created_at"] = iso_utc(row["created_at"])
    return found


def iso_utc(value: Any) -> str | None:
    """A stored time as `case show` gives it: ISO 8601 with the time zone. SQLite hands the raw
    column back ("2026-11-24 21:32:23.000000"); times are stored in UTC (models/base.utcnow)."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()


# ---- export to Excel (issue 15) -------------------------------------------------------------

EXPORT_CHUNK = 500  # rows read (and progress reported) at a time
_WIDTHS = {"number": 21, "applicant_iin": 14, "family_size": 8, "quota_year": 8, "created_at": 12}
_MAX_WIDTH = 60


def _headers(t: Translator) -> list[tuple[str, str]]:
    """(row key, header) in the list's order; the window's column titles plus the office."""
    return [
        ("number", t.pgettext("column", "Case No.")), ("kind", t.pgettext("column", "Kind")),
        ("status", t.pgettext("column", "Status")), ("applicant_name", t.pgettext("column", "Applicant")),
        ("applicant_iin", t.pgettext("column", "IIN")), ("family_size", t.pgettext("column", "Family")),
        ("destination", t.pgettext("column", "Destination")), ("quota_year", t.pgettext("column", "Year")),
        ("created_at", t.pgettext("column", "Created")), ("office", t.pgettext("column", "Office")),
    ]


def export_xlsx(flt: CaseFilter, path: Path | str, lang: str, *, session: Session,
                sort: str = "created_at", descending: bool = True, limit: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> int:
    """Write the cases the filter selects, in the list's order, to an .xlsx file (headers in
    ``lang``, dates as dates, frozen header row, sized columns), readable by its owner only.

    ``progress(done, total)`` is called per chunk; an exception it raises (cancel) stops the
    export before anything is written at ``path``. The export is audited. Returns the row count."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(N_("must end in .xlsx"), field="file")
    rowids = query_rowids(flt, sort, descending, lang, db=session)[:limit]
    values = _cell_values(translator(lang), lang)
    report = progress or (lambda _done, _total: None)
    tmp, fh = _open_private(path)  # a folder that can't be written fails before any row is read
    sheet = None
    try:
        with fh:
            book, sheet = _new_sheet(flt, lang, len(rowids), session=session)
            report(0, len(rowids))
            for start in range(0, len(rowids), EXPORT_CHUNK):
                ids = rowids[start:start + EXPORT_CHUNK]
                page = fetch_rows(ids, db=session)
                for rowid in ids:
                    sheet.append(values(sheet, page[rowid]))
                report(start + len(ids), len(rowids))
            book.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # whole or not at all
    except BaseException:
        if sheet is not None:
            _discard(sheet)
        tmp.unlink(missing_ok=True)
        raise
    from migreg_desktop.accounts import (
        audit,  # the list itself opens without the models the audit entry needs
    )

    audit.record("export", "case", None, {"rows": [None, len(rowids)], "format": [None, "xlsx"]},
                 session=session)
    return len(rowids)


def _new_sheet(flt: CaseFilter, lang: str, count: int, *, session: Session) -> tuple[Any, Any]:
    from openpyxl import Workbook  # only the export needs it: not loaded at start-up
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    t = translator(lang)
    book = Workbook(write_only=True)  # streams rows: 100,000 cases don't sit in memory as cells
    sheet = book.create_sheet(t.pgettext("sheet", "Cases"))
    headers = _headers(t)
    longest = _longest_texts(flt, lang, t, session=session)
    for i, (key, header) in enumerate(headers, start=1):
        width = max(len(header), _WIDTHS.get(key, 0), longest.get(key, 0)) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(width, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    bold = Font(bold=True)
    cells = []
    for _key, header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return book, sheet


def _longest_texts(flt: CaseFilter, lang: str, t: Translator, *, session: Session) -> dict[str, int]:
    """Column widths from the longest text the filtered rows hold (one aggregate query)."""
    where, params = flt.where()
    name = "name_kk" if lang == "kk" else "name_ru"
    row = rows(session).execute(
        f"SELECT max(length(c.applicant_name)), max(length(t.{name})), max(length(c.office_code))"
        f" FROM cases c LEFT JOIN territory t ON t.kato = c.destination_kato{where}", params).fetchone()
    return {"applicant_name": row[0] or 0, "destination": row[1] or 0, "office": row[2] or 0,
            "kind": max(len(t.gettext(v)) for v in KIND_LABELS.values()),
            "status": max(len(t.gettext(v)) for v in STATUS_LABELS.values())}


def _cell_values(t: Translator, lang: str) -> Callable[[Any, dict[str, Any]], list[Any]]:
    from openpyxl.cell import WriteOnlyCell

    def values(sheet: Any, row: dict[str, Any]) -> list[Any]:
        created = WriteOnlyCell(sheet, value=local_date(row["created_at"]))
        created.number_format = "DD.MM.YYYY"
        iin = WriteOnlyCell(sheet, value=row["applicant_iin"] or None)
        iin.number_format = "@"  # text: an IIN keeps its leading zeros
        destination = row["destination_kk"] if lang == "kk" else row["destination_ru"]
        return [_plain(sheet, row["number"]), t.gettext(KIND_LABELS.get(row["kind"], row["kind"])),
                t.gettext(STATUS_LABELS.get(row["status"], row["status"])), _plain(sheet, row["applicant_name"]),
                iin, row["family_size"] or 1, _plain(sheet, destination or row["destination_kato"]),
                row["quota_year"], created, _plain(sheet, row["office"])]

    return values


def _plain(sheet: Any, value: Any) -> Any:
    """Text stays text: a name arriving as "=HYPERLINK(…)" (typed, or in another office's package)
    would otherwise be written as a live formula."""
    from openpyxl.cell import WriteOnlyCell

    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def local_date(value: Any) -> date | None:
    """A stored UTC time as the clerk's calendar day (what the window's list shows)."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone().date()


def _discard(sheet: Any) -> None:
    """A cancelled export: close the sheet's stream and remove openpyxl's temporary file now."""
    try:
        if not sheet.closed:
            sheet.close()
        sheet._writer.cleanup()  # openpyxl keeps the rows in a temp file until the book is saved
    except Exception:  # noqa: BLE001, S110 - best effort; the caller re-raises the real reason
        pass


def _open_private(path: Path) -> tuple[Path, Any]:
    """A temporary file beside the target, owner-only (0600 on POSIX) from its first byte; renamed
    over the target once complete. The folder is the clerk's choice, so it is left as it is."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:  # no such folder, no permission: the clerk picks another place
        raise UserError(N_("cannot write {path}: {error}"), field="file", path=str(path),
                        error=exc.strerror or str(exc)) from exc
    return tmp, os.fdopen(fd, "wb")
