"""The oblast's settlement list of the year (Rules §6–8): import, preview, edit, export.

An import replaces the list of each year found in the file, in one transaction; any row error
stops it (nothing is written). A dry run only previews. Warnings (Rules §7): a list used after
its year, or fixed later than 15 December of the year before.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.changes import record as record_change
from migreg_desktop.errors import RuleRefused, UserError
from migreg_desktop.i18n import N_, _
from migreg_desktop.models import RefdataVersion, Territory
from migreg_desktop.models.department import SettlementListState
from migreg_desktop.models.settlement_list import POTENTIALS, SETTLEMENT_KINDS, SettlementListEntry
from migreg_desktop.row_import import check_rows
from migreg_desktop.rules.base import render
from migreg_desktop.rules.territory import list_warning

COLUMNS = ("year", "kato", "kind", "potential", "fixed_on", "source")
EXPORT_COLUMNS = ("year", "kato", "name_kk", "name_ru", "kind", "potential", "fixed_on", "source")
HOME_PREFIX = "19"  # Almaty oblast's KATO prefix
LOW_POTENTIAL_KINDS = ("rural_settlement", "small_town", "single_industry_town")
KIND_LABELS = {
    "rural_settlement": N_("rural settlement"), "small_town": N_("small town"),
    "single_industry_town": N_("single-industry town"), "city_district": N_("city of district significance"),
    "city_oblast": N_("city of oblast significance"), "growth_centre": N_("centre of economic growth"),
}
POTENTIAL_LABELS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


MSG_FIXED = N_("The settlement list of {year} is fixed (on {date}): an admin reopens it with "
               "'settlements fix --year {year} --reopen' before it can be changed.")


class ListFixed(RuleRefused):
    """A fixed list was to be changed (CLI exit 1)."""


def state(year: int, *, session: Session) -> SettlementListState | None:
    return session.get(SettlementListState, year)


def is_fixed(year: int, *, session: Session) -> bool:
    s = state(year, session=session)
    return s is not None and s.status == "fixed"


def ensure_open(years: set[int] | list[int], *, session: Session) -> None:
    for year in sorted(set(years)):
        s = state(year, session=session)
        if s is not None and s.status == "fixed":
            raise ListFixed(MSG_FIXED, field="year", year=year,
                            date=s.fixed_on.isoformat() if s.fixed_on else "")


def parse_day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    return date.fromisoformat(text[:10])


def validate_rows(rows: list[dict[str, Any]], *, session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Clean rows and row-level errors ({"row", "field", "message"}; rows count from 1)."""
    return check_rows(enumerate(rows, start=1), lambda raw: _validate_row(raw, session=session))


def _validate_row(raw: dict[str, Any], *, session: Session) -> tuple[dict[str, Any], list[tuple[str, str, dict[str, Any]]]]:
    problems: list[tuple[str, str, dict[str, Any]]] = []
    row: dict[str, Any] = {"source": str(raw.get("source") or "").strip()}
    try:
        row["year"] = int(str(raw.get("year")).strip())
        if not 2020 <= row["year"] <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(("year", N_("{value} is not a year between 2020 and 2100"), {"value": str(raw.get("year"))}))
    kato = str(raw.get("kato") or "").strip()
    row["kato"] = kato
    problems += _kato_problems(kato, session=session)
    for field, choices in (("kind", SETTLEMENT_KINDS), ("potential", POTENTIALS)):
        value = str(raw.get(field) or "").strip()
        row[field] = value
        if value not in choices:
            problems.append((field, N_("{value} is not one of: {choices}"), {"value": value, "choices": ", ".join(choices)}))
    if row.get("kind") in LOW_POTENTIAL_KINDS and row.get("potential") == "low":
        problems.append(("potential", N_("Rules §6: villages and small towns need medium or high economic potential"), {}))
    try:
        row["fixed_on"] = parse_day(raw.get("fixed_on"))
        if row["fixed_on"] is None:
            problems.append(("fixed_on", N_("is required"), {}))
    except (TypeError, ValueError):
        problems.append(("fixed_on", N_("{value} is not a date (YYYY-MM-DD)"), {"value": str(raw.get("fixed_on"))}))
    return row, problems


def _kato_problems(kato: str, *, session: Session) -> list[tuple[str, str, dict[str, Any]]]:
    if not re.fullmatch(r"\d{9}", kato):
        return [("kato", N_("{value} is not a KATO code (9 digits)"), {"value": kato})]
    t = session.get(Territory, kato)
    if t is None:
        return [("kato", N_("unknown KATO code {kato}"), {"kato": kato})]
    if not kato.startswith(HOME_PREFIX):
        return [("kato", N_("{kato} is not in Almaty oblast"), {"kato": kato})]
    if t.level not in ("city", "settlement"):
        return [("kato", N_("{kato} is not a settlement (it is a {level})"), {"kato": kato, "level": t.level})]
    return []


def warnings_for(years: set[int], fixed: dict[int, date | None], today: date | None = None) -> list[dict[str, Any]]:
    today = today or date.today()
    out = []
    for year in sorted(years):
        warning = list_warning(year, fixed.get(year), today)
        if warning:
            out.append({"year": year, "message": render(warning[0], warning[1], _current())})
    return out


def _current() -> str:
    from migreg_desktop.i18n import current_language

    return current_language()


def apply_rows(rows: list[dict[str, Any]], *, sample: bool, session: Session) -> dict[int, int]:
    """Replace the list of every year present in ``rows``."""
    counts: dict[int, int] = {}
    for year in sorted({r["year"] for r in rows}):
        session.exec(delete(SettlementListEntry).where(col(SettlementListEntry.year) == year))
        counts[year] = 0
    for r in rows:
        session.add(SettlementListEntry(year=r["year"], kato=r["kato"], kind=r["kind"], potential=r["potential"],
                                        fixed_on=r["fixed_on"], source=r.get("source") or "", sample=sample))
        counts[r["year"]] += 1
    session.flush()
    return counts


# ---- files ----------------------------------------------------------------------------------

def read_rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise UserError(N_("cannot read {path}: no such file"), field="file", path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _read_csv(path.read_text(encoding="utf-8-sig"))
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise UserError(N_("cannot read {path}: {error}"), field="file", path=str(path), error=str(exc)) from exc
    except Exception as exc:  # openpyxl raises its own types on a damaged workbook
        raise UserError(N_("cannot read {path}: {error}"), field="file", path=str(path), error=str(exc)) from exc
    raise UserError(N_("{path}: only .csv and .xlsx files can be imported"), field="file", path=str(path))


def _read_csv(text: str) -> list[dict[str, Any]]:
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    _check_header(reader.fieldnames or [])
    return [{(k or "").strip().lower(): v for k, v in row.items()} for row in reader
            if any((v or "").strip() for v in row.values() if isinstance(v, str))]


def _read_xlsx(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    if not rows:
        raise ValueError("empty sheet")
    header = [str(h or "").strip().lower() for h in rows[0]]
    _check_header(header)
    out = []
    for values in rows[1:]:
        if all(v in (None, "") for v in values):
            continue
        out.append({h: ("" if v is None else v) for h, v in zip(header, values, strict=False)})
    return out


def _check_header(header: Sequence[str]) -> None:
    missing = [c for c in COLUMNS if c != "source" and c not in [h.strip().lower() for h in header]]
    if missing:
        raise ValueError(_("missing columns: {columns}").format(columns=", ".join(missing)))


def import_file(path: Path, *, session: Session, dry_run: bool = False, today: date | None = None) -> dict[str, Any]:
    """Preview (and unless ``dry_run`` or errors, apply) a settlement list file."""
    permissions.require('settlements.import', session)
    raw = read_rows(Path(path))
    rows, errors = validate_rows(raw, session=session)
    years = {r["year"] for r in rows}
    fixed = {y: max((r["fixed_on"] for r in rows if r["year"] == y), default=None) for y in years}
    preview = _diff(rows, years, session=session)
    doc: dict[str, Any] = {"file": str(path), "dry_run": dry_run, "rows": len(raw), "valid_rows": len(rows),
                           "years": sorted(years), **preview, "errors": errors,
                           "warnings": warnings_for(years, fixed, today), "imported": False}
    if errors or dry_run or not raw:
        return doc
    from migreg_desktop.storage.backup import before_import

    ensure_open(years, session=session)  # Rules §7: a fixed list changes only after an admin reopens it

    made = before_import()  # issue 7 §3: a copy to return to before any import writes
    doc["backup"] = str(made.path) if made else None
    apply_rows(rows, sample=False, session=session)
    _bump_version(session=session)
    audit.record("import", "settlement_list", ",".join(map(str, sorted(years))),
                 {"file": [None, Path(path).name], "rows": [None, len(rows)]}, session=session)
    doc["imported"] = True
    return doc


def _diff(rows: list[dict[str, Any]], years: set[int], *, session: Session) -> dict[str, int]:
    old = {(e.year, e.kato): e for e in session.exec(select(SettlementListEntry)).all() if e.year in years}
    new = {(r["year"], r["kato"]): r for r in rows}
    changed = sum(1 for k, r in new.items() if k in old and
                  (old[k].kind, old[k].potential, old[k].fixed_on) != (r["kind"], r["potential"], r["fixed_on"]))
    return {"added": len(new.keys() - old.keys()), "removed": len(old.keys() - new.keys()),
            "changed": changed, "unchanged": len(new.keys() & old.keys()) - changed}


def _bump_version(*, session: Session) -> None:
    """An imported or edited list is new reference data: decisions record the new version."""
    row = session.get(RefdataVersion, "settlement_list") or RefdataVersion(dataset="settlement_list", version="0")
    base = ".".join(row.version.split(".")[:2])
    row.version = f"{base}.{datetime.now().strftime('%Y%m%d%H%M%S%f')}"
    session.add(row)
    record_change(session, "refdata_changed", "settlement_list")


def entries(year: int, *, session: Session) -> list[dict[str, Any]]:
    rows = session.exec(select(SettlementListEntry, Territory).join(Territory, col(Territory.kato) == SettlementListEntry.kato)
                        .where(SettlementListEntry.year == year).order_by(SettlementListEntry.kato)).all()
    return [{"year": e.year, "kato": e.kato, "name_kk": t.name_kk, "name_ru": t.name_ru, "kind": e.kind,
             "potential": e.potential, "fixed_on": e.fixed_on.isoformat() if e.fixed_on else None,
             "source": e.source, "sample": e.sample} for e, t in rows]


def list_year(year: int, *, session: Session, today: date | None = None) -> dict[str, Any]:
    rows = entries(year, session=session)
    fixed = max((date.fromisoformat(r["fixed_on"]) for r in rows if r["fixed_on"]), default=None)
    from migreg_desktop.accounts.office import role

    # Rules §7: a draft until the Department fixes it (a district receives it fixed: null)
    fixing = state(year, session=session)
    status = fixing.status if fixing else ("draft" if role(session=session) == "oblast" else None)
    return {"year": year, "count": len(rows), "sample": any(r["sample"] for r in rows),
            "status": status,
            "fixed_on": fixed.isoformat() if fixed else None,
            "warnings": warnings_for({year}, {year: fixed}, today) if rows else [], "entries": rows}


def save_entry(values: dict[str, Any], *, session: Session, replace_kato: str | None = None) -> dict[str, Any]:
    """Add or edit one entry from the window (same checks as an import row)."""
    permissions.require('settlements.edit', session)
    row, problems = _validate_row(values, session=session)
    if problems:
        from migreg_desktop.errors import ValidationError

        raise ValidationError(problems)

    ensure_open({row["year"]}, session=session)
    old_key = (row["year"], replace_kato or row["kato"])
    old = session.get(SettlementListEntry, old_key)
    if replace_kato and replace_kato != row["kato"] and session.get(SettlementListEntry, (row["year"], row["kato"])):
        raise UserError(N_("{kato} is already on the list of {year}"), field="kato", kato=row["kato"], year=row["year"])
    if old is not None:
        session.delete(old)
        session.flush()
    session.add(SettlementListEntry(year=row["year"], kato=row["kato"], kind=row["kind"], potential=row["potential"],
                                    fixed_on=row["fixed_on"], source=row["source"], sample=False))
    _bump_version(session=session)
    audit.record("update" if old else "create", "settlement_list", f"{row['year']}:{row['kato']}",
                 {"kind": [old.kind if old else None, row["kind"]]}, session=session)
    return row


def delete_entry(year: int, kato: str, *, session: Session) -> None:
    permissions.require("settlements.edit", session)

    ensure_open({year}, session=session)
    old = session.get(SettlementListEntry, (year, kato))
    if old is None:
        raise UserError(N_("{kato} is not on the list of {year}"), field="kato", kato=kato, year=year)
    session.delete(old)
    _bump_version(session=session)
    audit.record("delete", "settlement_list", f"{year}:{kato}", {}, session=session)


def export(path: Path, year: int, *, session: Session) -> int:
    rows = entries(year, session=session)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = str(year)
        ws.append(list(EXPORT_COLUMNS))
        for r in rows:
            ws.append([r[c] for c in EXPORT_COLUMNS])
        tmp = path.with_suffix(".tmp.xlsx")
        wb.save(tmp)
    elif path.suffix.lower() == ".csv":
        tmp = path.with_suffix(".tmp.csv")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(EXPORT_COLUMNS), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        raise UserError(N_("{path}: only .csv and .xlsx files can be exported"), field="file", path=str(path))
    tmp.replace(path)
    return len(rows)


def entries_names(session: Session) -> list[dict[str, Any]]:
    """KATO → names of the oblast's settlements and cities (the import preview shows names)."""
    rows = session.exec(select(Territory).where(col(Territory.kato).startswith(HOME_PREFIX))).all()
    return [{"kato": t.kato, "name_kk": t.name_kk, "name_ru": t.name_ru} for t in rows]
