"""Official statistics for monitoring (Rules §3, §9; issue 16 §2): population, arrivals and
departures (births and deaths optional) per district or city and year, imported from the
documented template (resources/templates/stats-{kk,ru}.xlsx; docs/department.md).

An import checks every row first; one bad row (listed with its sheet row number) and nothing is
written. Monitoring's ``indicators``: net migration and programme participants per 1,000
residents, and the flag of §9 — a net outflow larger than the natural growth (when births and
deaths are given).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.department.report_table import DECIMAL, INT, TEXT, Table
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, tr
from migreg_desktop.models import Case, Office, Territory
from migreg_desktop.models.department import OfficialStat
from migreg_desktop.row_import import Problem, check_rows

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_FIGURE = 100_000_000
COLUMNS = ("year", "kato", "name", "population", "arrivals", "departures", "births", "deaths")
REQUIRED = ("year", "kato", "population", "arrivals", "departures")
OPTIONAL = ("births", "deaths")
LABELS = {"year": N_("Year"), "kato": N_("KATO"), "name": N_("District or city"),
          "population": N_("Population at the start of the year"), "arrivals": N_("Arrivals"),
          "departures": N_("Departures"), "births": N_("Births"), "deaths": N_("Deaths")}
SHEET = N_("Statistics")


def require_oblast(*, session: Session) -> None:
    """Monitoring's statistics live in the oblast office's database only."""
    from migreg_desktop.accounts.office import role
    from migreg_desktop.errors import RuleRefused

    if role(session=session) != "oblast":
        raise RuleRefused(N_("Official statistics are the Department's monitoring data: only the oblast office "
                             "({office}) imports them."), field="office", office="ALM-OBL")


def districts(*, session: Session) -> list[Territory]:
    """The oblast's districts and cities of oblast significance (what the statistics count)."""
    rows = session.exec(sm_select(Territory).where(col(Territory.kato).startswith("19"))
                        .where(col(Territory.level).in_(("district", "city")))
                        .order_by(Territory.kato)).all()
    return [t for t in rows if t.level == "district" or t.significance == "oblast"]


def template_bytes(lang: str, *, session: Session, year: int | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = tr(SHEET, lang)
    ws.append([tr(LABELS[c], lang) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for t in districts(session=session):
        ws.append([year, t.kato, t.name(lang)])
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGH", (8, 12, 32, 22, 14, 14, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    notes = wb.create_sheet(tr(N_("How to fill"), lang)[:31])
    for line in (N_("One row per district or city of oblast significance and year; the KATO code identifies it, "
                    "the name is only for reading."),
                 N_("Population, arrivals and departures are required whole numbers; births and deaths may "
                    "be left empty (then the §9 flag is not computed)."),
                 N_("Headers may be in Kazakh, Russian or the English keys: year, kato, population, arrivals, "
                    "departures, births, deaths.")):
        notes.append([tr(line, lang)])
    notes.column_dimensions["A"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _header_map() -> dict[str, str]:
    out = {}
    for key, label in LABELS.items():
        for text in (key, tr(label, "kk"), tr(label, "ru"), label):
            out[text.strip().casefold()] = key
    return out


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(sheet row number, values by key) of the first sheet, read once into memory."""
    from openpyxl import load_workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(N_("{path}: only .xlsx files can be imported"), field="file", path=str(path))
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(N_("cannot read {path}: {error}"), field="file", path=str(path), error=str(exc)) from exc
    if len(data) > MAX_BYTES:
        raise UserError(N_("{path} is larger than {limit} MB"), field="file", path=str(path), limit=MAX_BYTES // 2**20)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 2))
        wb.close()
    except Exception as exc:  # openpyxl raises its own types on a damaged workbook
        raise UserError(N_("cannot read {path}: {error}"), field="file", path=str(path), error=str(exc)) from exc
    if not rows:
        raise UserError(N_("cannot read {path}: {error}"), field="file", path=str(path), error="empty sheet")
    known = _header_map()
    header = [known.get(str(h or "").strip().casefold()) for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UserError(N_("missing columns: {columns}"), field="file", columns=", ".join(missing))
    if len(rows) > MAX_ROWS + 1:
        raise UserError(N_("{path} has more than {limit} rows"), field="file", path=str(path), limit=MAX_ROWS)
    out = []
    for n, values in enumerate(rows[1:], start=2):
        row = {k: v for k, v in zip(header, values, strict=False) if k}
        if all(row.get(k) in (None, "") for k in ("population", "arrivals", "departures", *OPTIONAL)):
            continue  # a template line left empty
        out.append((n, row))
    return out


def _whole(value: Any, field: str, *, required: bool) -> tuple[int | None, str | None]:
    if value in (None, ""):
        return None, (N_("is required") if required else None)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,9}", text) or int(text) > MAX_FIGURE:
        return None, N_("{value} is not a whole number from 0 to 100,000,000")
    return int(text), None


def validate(rows: list[tuple[int, dict[str, Any]]], *, session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    allowed = {t.kato for t in districts(session=session)}
    return check_rows(rows, lambda raw: _check_row(raw, allowed))


def _check_row(raw: dict[str, Any], allowed: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    row: dict[str, Any] = {}
    problems: list[Problem] = []
    year, _msg = _whole(raw.get("year"), "year", required=True)
    if year is None or not 2000 <= year <= 2100:
        problems.append(("year", N_("{value} is not a year between 2000 and 2100"), {"value": str(raw.get("year"))}))
    row["year"] = year
    kato = str(raw.get("kato") or "").strip()
    if kato.endswith(".0"):
        kato = kato[:-2]
    row["kato"] = kato
    if kato not in allowed:
        problems.append(("kato", N_("{value} is not a district or city of Almaty oblast (KATO)"), {"value": kato}))
    for field in (*REQUIRED[2:], *OPTIONAL):
        value, msg = _whole(raw.get(field), field, required=field in REQUIRED)
        row[field] = value
        if msg:
            problems.append((field, msg, {"value": str(raw.get(field))}))
    if row.get("population") == 0:
        problems.append(("population", N_("the population cannot be 0"), {}))
    return row, problems


def import_file(path: Path, *, session: Session) -> dict[str, Any]:
    permissions.require("department.write", session)
    rows = read_rows(Path(path))
    clean, errors = validate(rows, session=session)
    doc: dict[str, Any] = {"file": str(path), "rows": len(rows), "valid_rows": len(clean),
                           "years": sorted({r["year"] for r in clean}), "errors": errors, "imported": False}
    if errors or not rows:
        return doc
    for r in clean:
        old = session.get(OfficialStat, (r["year"], r["kato"]))
        row = old or OfficialStat(year=r["year"], kato=r["kato"], population=0, arrivals=0, departures=0)
        for field in (*REQUIRED[2:], *OPTIONAL):
            setattr(row, field, r[field])
        session.add(row)
    audit.record("import", "official_stat", ",".join(map(str, doc["years"])),
                 {"file": [None, Path(path).name], "rows": [None, len(clean)]}, session=session)
    doc["imported"] = True
    return doc


def _per_1000(value: int | None, population: int) -> float | None:
    return None if value is None or not population else round(1000.0 * value / population, 2)


def indicators(year: int, where: Any, *, session: Session) -> list[dict[str, Any]]:
    """Monitoring's ``indicators``: one row per district or city with statistics of ``year``."""
    stats = session.exec(sm_select(OfficialStat).where(OfficialStat.year == year).order_by(OfficialStat.kato)).all()
    if not stats:
        return []
    c = Case.__table__.c  # type: ignore[attr-defined]
    o = Office.__table__.c  # type: ignore[attr-defined]
    stmt = (select(o.kato, func.coalesce(func.sum(c.family_size), 0))
            .select_from(Case.__table__.join(Office.__table__, o.code == c.office_code))  # type: ignore[attr-defined]
            .where(where).group_by(o.kato))
    participants = {k: int(p) for k, p in session.connection().execute(stmt).all()}
    names = {t.kato: t for t in districts(session=session)}
    out = []
    for s in stats:
        net = s.arrivals - s.departures
        growth = s.births - s.deaths if s.births is not None and s.deaths is not None else None
        people = participants.get(s.kato, 0)
        t = names.get(s.kato)
        out.append({"kato": s.kato, "name_kk": t.name_kk if t else None, "name_ru": t.name_ru if t else None,
                    "population": s.population, "arrivals": s.arrivals, "departures": s.departures,
                    "births": s.births, "deaths": s.deaths, "net_migration": net,
                    "net_migration_per_1000": _per_1000(net, s.population), "participants": people,
                    "participants_per_1000": _per_1000(people, s.population), "natural_growth": growth,
                    # Rules §9: an outflow larger than the population's own reproduction
                    "outflow_exceeds_growth": None if growth is None else (-net) > growth})
    return out


def indicators_table(rows: list[dict[str, Any]], lang: str, *, title: str) -> Table:

    t: Callable[[str], str] = lambda msg: tr(msg, lang)  # noqa: E731
    table = Table("indicators", title,
                  [t(N_("KATO")), t(LABELS["name"]), t(N_("Population")), t(LABELS["arrivals"]),
                   t(LABELS["departures"]), t(N_("Net migration per 1,000")), t(N_("Participants")),
                   t(N_("Participants per 1,000")), t(N_("Natural growth")), t(N_("Outflow exceeds growth (§9)"))],
                  [TEXT, TEXT, INT, INT, INT, DECIMAL, INT, DECIMAL, INT, TEXT])
    for r in rows:
        flag = r["outflow_exceeds_growth"]
        table.rows.append([r["kato"], r["name_kk"] if lang == "kk" else r["name_ru"], r["population"], r["arrivals"],
                           r["departures"], r["net_migration_per_1000"], r["participants"],
                           r["participants_per_1000"], r["natural_growth"],
                           "—" if flag is None else t(N_("yes") if flag else N_("no"))])
    return table
