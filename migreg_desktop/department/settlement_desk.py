"""The settlement list from draft to every akimat (Rules §6–8; issue 16 §4): fixing a year's list,
reopening it (an admin's act), the printable list and the Electronic Labour Exchange workbook,
and the recipients the fixed list is sent to.

Rules §7: the list of year Y is fixed by 15 December of Y−1 (a later fixing is still allowed,
with a warning). Rules §8: it goes to the labour mobility centre, the career centres and the
rural akimats. A fixed list cannot be edited or re-imported (refdata/settlements asks
``ensure_open``) until reopened.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.audit import actor
from migreg_desktop.accounts.office import list_offices, role
from migreg_desktop.errors import NotFound, RuleRefused, UserError
from migreg_desktop.i18n import N_, fmt_date, tr
from migreg_desktop.models import Office, Territory
from migreg_desktop.models.department import SettlementListRecipient, SettlementListState
from migreg_desktop.models.settlement_list import SettlementListEntry
from migreg_desktop.refdata.settlements import ensure_open, state
from migreg_desktop.rules.base import render
from migreg_desktop.rules.territory import list_warning

LMC = "LMC"  # the labour mobility centre (one recipient, no reference entry of its own)
LMC_NAMES = {"kk": "Еңбек ұтқырлығы орталығы", "ru": "Центр трудовой мобильности"}
RECIPIENT_KINDS = ("labour_mobility_centre", "career_centre", "rural_akimat")
AKIMAT = N_("Akimat of {name}")
LIST_TITLE = N_("List of settlements for resettlement, {year}")
def require_oblast(*, session: Session) -> None:
    """The Department's work: only the oblast office's database (same check as monitoring)."""
    if role(session=session) != "oblast":
        raise RuleRefused(N_("The settlement list is fixed and sent by the Department: only the oblast "
                             "office ({office}) does it."), field="office", office="ALM-OBL")


def check_year(year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2020 <= year <= 2100:
        raise UserError(N_("{value} is not a year between 2020 and 2100"), field="year", value=str(year))
    return year


def parse_date(value: str | date, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(N_("{value} is not a date (YYYY-MM-DD)"), field=field, value=str(value)) from None


def _entries(year: int, *, session: Session) -> list[SettlementListEntry]:
    return list(session.exec(select(SettlementListEntry).where(SettlementListEntry.year == year)
                             .order_by(SettlementListEntry.kato)).all())


def fix(year: int, *, session: Session, today: date | None = None) -> dict[str, Any]:
    """Fix the list of ``year`` (the entries take today's date as their fixing date)."""
    permissions.require("department.write", session)
    from migreg_desktop.refdata.settlements import _bump_version

    require_oblast(session=session)
    check_year(year)
    today = today or date.today()
    ensure_open([year], session=session)
    rows = _entries(year, session=session)
    if not rows:
        raise RuleRefused(N_("There is no settlement list of {year} to fix: import or enter it first."),
                          field="year", year=year)
    for e in rows:
        e.fixed_on = today
        session.add(e)
    s = state(year, session=session) or SettlementListState(year=year, status="fixed", changed_by="")
    s.status, s.fixed_on, s.changed_by, s.changed_at = "fixed", today, actor(session), datetime.now(UTC)
    session.add(s)
    _bump_version(session=session)
    audit.record("fix", "settlement_list", str(year), {"status": [None, "fixed"], "entries": [None, len(rows)],
                                                        "fixed_on": [None, today.isoformat()]}, session=session)
    warning = list_warning(year, today, today)
    return {"year": year, "status": "fixed", "fixed_on": today.isoformat(), "count": len(rows),
            "warnings": [{"year": year, "msgid": warning[0], "params": warning[1]}] if warning else []}


def warning_text(w: dict[str, Any], lang: str) -> str:
    return render(w["msgid"], w["params"], lang)


def reopen(year: int, *, session: Session) -> dict[str, Any]:
    permissions.require("settlements.reopen", session)
    require_oblast(session=session)
    check_year(year)
    s = state(year, session=session)
    if s is None or s.status != "fixed":
        raise RuleRefused(N_("The settlement list of {year} is not fixed: nothing to reopen."), field="year", year=year)
    s.status, s.changed_by, s.changed_at = "open", actor(session), datetime.now(UTC)
    session.add(s)
    audit.record("reopen", "settlement_list", str(year), {"status": ["fixed", "open"]}, session=session)
    return {"year": year, "status": "open", "fixed_on": s.fixed_on.isoformat() if s.fixed_on else None}


def require_fixed(year: int, *, session: Session) -> SettlementListState:
    s = state(year, session=session)
    if s is None or s.status != "fixed":
        raise RuleRefused(N_("The settlement list of {year} is not fixed yet: run 'settlements fix --year {year}' "
                             "first."), field="year", year=year)
    return s


# ---- recipients (Rules §8) --------------------------------------------------------------------

def recipient_list(*, session: Session) -> list[dict[str, Any]]:
    """The labour mobility centre, every career centre (the offices) and every rural okrug's
    akimat of the oblast (from the territories reference data)."""
    out = [{"key": LMC, "kind": "labour_mobility_centre", "name_kk": LMC_NAMES["kk"], "name_ru": LMC_NAMES["ru"]}]
    for o in list_offices(session=session):
        if o.kind != "oblast":
            out.append({"key": o.code, "kind": "career_centre", "name_kk": o.name_kk, "name_ru": o.name_ru})
    okrugs = session.exec(select(Territory).where(Territory.level == "rural_okrug")
                          .where(col(Territory.kato).startswith("19"))
                          .order_by(Territory.kato)).all()
    for t in okrugs:
        out.append({"key": t.kato, "kind": "rural_akimat", "name_kk": tr(AKIMAT, "kk").format(name=t.name_kk),
                    "name_ru": tr(AKIMAT, "ru").format(name=t.name_ru)})
    return out


def _find_recipient(to: str, *, session: Session) -> dict[str, Any]:
    wanted = to.strip().casefold()
    for r in recipient_list(session=session):
        if wanted in (r["key"].casefold(), r["name_kk"].casefold(), r["name_ru"].casefold()):
            return r
    raise NotFound(N_("{name} is not a recipient of the settlement list: use a career centre's code, a rural "
                      "okrug's KATO, LMC, or a name from 'settlements recipients'"), field="to", name=to)


def mark_sent(year: int, to: str, on: str | date, *, session: Session, today: date | None = None) -> dict[str, Any]:
    permissions.require("department.write", session)
    require_oblast(session=session)
    check_year(year)
    day = parse_date(on, "on")
    if day > (today or date.today()):
        raise UserError(N_("{value} is in the future"), field="on", value=day.isoformat())
    fixed = require_fixed(year, session=session)
    if fixed.fixed_on and day < fixed.fixed_on:
        raise UserError(N_("The list was fixed on {date}: it cannot have been sent before."), field="on",
                        date=fixed.fixed_on.isoformat())
    r = _find_recipient(to, session=session)
    row = session.get(SettlementListRecipient, (year, r["key"]))
    old = row.sent_on.isoformat() if row else None
    row = row or SettlementListRecipient(year=year, recipient=r["key"], sent_on=day, recorded_by="")
    row.sent_on, row.recorded_by, row.recorded_at = day, actor(session), datetime.now(UTC)
    session.add(row)
    audit.record("send", "settlement_list", f"{year}:{r['key']}", {"sent_on": [old, day.isoformat()]}, session=session)
    return {**r, "year": year, "sent_on": day.isoformat()}


def recipients(year: int, *, session: Session) -> dict[str, Any]:
    permissions.require("monitoring.read", session)
    require_oblast(session=session)
    check_year(year)
    sent = {r.recipient: r.sent_on for r in session.exec(select(SettlementListRecipient)
                                                         .where(SettlementListRecipient.year == year)).all()}
    rows = [{**r, "sent_on": sent[r["key"]].isoformat() if r["key"] in sent else None}
            for r in recipient_list(session=session)]
    s = state(year, session=session)
    return {"year": year, "status": s.status if s else "draft", "fixed_on": s.fixed_on.isoformat() if s and s.fixed_on else None,
            "total": len(rows), "sent": sum(1 for r in rows if r["sent_on"]),
            "not_sent": [r["key"] for r in rows if not r["sent_on"]], "recipients": rows}


# ---- the printable list and the Exchange workbook ----------------------------------------------

def _district_names(*, session: Session) -> dict[str, Territory]:
    """KATO → its district or city of oblast significance (walking up the parents)."""
    terr = {t.kato: t for t in session.exec(select(Territory).where(col(Territory.kato).startswith("19"))).all()}
    out: dict[str, Territory] = {}
    for kato, t in terr.items():
        node: Territory | None = terr.get(t.parent_kato or "")
        for _ in range(6):
            if node is None or node.level in ("district", "city"):
                break
            node = terr.get(node.parent_kato or "")
        if node is not None:
            out[kato] = node
    return out


def list_rows(year: int, lang: str, *, session: Session) -> list[list[Any]]:
    from migreg_desktop.refdata.settlements import KIND_LABELS, POTENTIAL_LABELS

    districts = _district_names(session=session)
    rows = []
    for n, e in enumerate(_entries(year, session=session), start=1):
        t = session.get(Territory, e.kato)
        d = districts.get(e.kato)
        rows.append([n, e.kato, t.name(lang) if t else "", d.name(lang) if d else "",
                     tr(KIND_LABELS.get(e.kind, e.kind), lang), tr(POTENTIAL_LABELS.get(e.potential, e.potential), lang)])
    return rows


def _headers(lang: str) -> list[str]:
    return [tr(m, lang) for m in (N_("No."), N_("KATO"), N_("Settlement"), N_("District"), N_("Kind"),
                                  N_("Economic potential"))]


def list_report(year: int, lang: str, *, session: Session) -> tuple[Any, list[str]]:
    """The fixed list as a report table and its heading lines (forms/settlement_list_pdf prints it)."""
    from migreg_desktop.department.report_table import INT, TEXT, Table

    s = require_fixed(year, session=session)
    table = Table("settlement_list", tr(N_("Settlements"), lang), _headers(lang), [INT, TEXT, TEXT, TEXT, TEXT, TEXT],
                  list_rows(year, lang, session=session))
    dept = session.get(Office, "ALM-OBL")
    heading = [tr(LIST_TITLE, lang).format(year=year), dept.name(lang) if dept else "",
               tr(N_("Rules of resettlement, §6–8: the list is fixed by 15 December of the year before."), lang),
               tr(N_("Fixed on {date}"), lang).format(date=fmt_date(s.fixed_on, lang, "long"))]
    return table, [h for h in heading if h]


def write_exchange_xlsx(path: Path, year: int, lang: str, *, session: Session) -> Path:
    """For the Electronic Labour Exchange's «Переселение» section: one row per settlement."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from migreg_desktop.department.report_table import write_private

    require_fixed(year, session=session)
    wb = Workbook()
    ws = wb.active
    ws.title = tr(N_("Resettlement"), lang)[:31]
    ws.append([*_headers(lang), tr(N_("Year"), lang)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in list_rows(year, lang, session=session):
        ws.append([*row, year])
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (6, 12, 34, 30, 28, 18, 8), strict=True):
        ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return write_private(path, buf.getvalue())


def record_publish(year: int, files: list[str], *, session: Session) -> None:
    audit.record("publish", "settlement_list", str(year), {"files": [None, files]}, session=session)
