"""Register of cases of one office for a period: a multi-page table, totals by kind and status.

Rows are read in chunks of ``CHUNK`` from one ordered statement and handed to the renderer as a
generator, so a register of 30,000 cases never holds more than one chunk.
Dates are the clerk's local calendar days; the database stores UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from migreg_desktop.cases import register_query
from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.forms import labels as L
from migreg_desktop.forms.common import header, signature
from migreg_desktop.i18n import N_, Translator, fmt_date, fmt_number, translator
from migreg_desktop.models import Office
from migreg_desktop.vocabulary import CASE_KINDS as KINDS
from migreg_desktop.vocabulary import STATUSES

CHUNK = 500
MSG_BAD_PERIOD = N_("the period ends ({to}) before it starts ({start})")
Progress = Callable[[int, int], None]


def int_formatter(lang: str) -> Callable[[int], str]:
    """fmt_number for whole numbers without a Babel call per row (30,000 rows): the locale's
    group sign, checked against Babel once."""
    from babel.numbers import get_group_symbol

    from migreg_desktop.i18n import BABEL_LOCALES

    group = get_group_symbol(BABEL_LOCALES[lang])
    fast = lambda n: f"{n:,}".replace(",", group)  # noqa: E731
    if fast(1234567) != fmt_number(1234567, lang):  # a locale with other grouping rules
        return lambda n: fmt_number(n, lang)
    return fast


def _local_day(value: Any) -> str:
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone().strftime("%d.%m.%Y")


class LocalDays:
    """created_at → the clerk's calendar day, one conversion per day instead of one per row: rows
    come in time order, so the day's UTC bounds are reused while a row falls inside them (issue 17
    §6: 21,500 datetime conversions for a 1,000-page register)."""

    def __init__(self) -> None:
        self.lo = self.hi = self.label = ""

    def __call__(self, value: Any) -> str:
        stamp = value if isinstance(value, str) else ""  # text as SQLite returns it; else no reuse
        if self.lo <= stamp < self.hi:
            return self.label
        label = _local_day(value)
        day = datetime.strptime(label, "%d.%m.%Y").date()
        # The same local-midnight bounds as the period's WHERE (register_query.utc_bound), so a
        # clock change at midnight moves both alike (tests: Santiago, Kolkata).
        lo, hi = register_query.utc_bound(day), register_query.utc_bound(day + timedelta(days=1))
        valid = stamp[10:11] == " " and lo <= stamp < hi  # the database's "YYYY-MM-DD HH:MM:SS" text
        self.lo, self.hi, self.label = (lo, hi, label) if valid else ("", "", "")
        return label


def iter_rows(office: str, start: date, end: date, lang: str, *, session: Session,
              progress: Progress | None = None, total: int = 0) -> Iterator[dict[str, str]]:
    t = translator(lang)
    kinds = {k: L.kind_label(k, t) for k in KINDS}
    statuses = {s: L.status_label(s, t) for s in STATUSES}
    number = int_formatter(lang)
    local_day = LocalDays()
    n = 0
    for chunk in register_query.row_chunks(office, start, end, lang, CHUNK, session=session):
        # Rows unpacked as tuples, in register_query.row_chunks' column order (attribute access
        # by name costs more than the rest of the row's work).
        for case_number, created_at, name, iin, kind, family_size, destination, status in chunk:
            n += 1
            yield {"n": number(n), "number": case_number, "date": local_day(created_at),
                   "name": name, "iin": iin or "", "kind": kinds.get(kind, kind), "persons": number(family_size),
                   "destination": destination or "", "status": statuses.get(status, status)}
        if progress:
            progress(n, total)


def _totals(office: str, start: date, end: date, column: str, labels: dict[str, str], t: Translator,
            *, session: Session) -> list[dict[str, str]]:
    lang = t.lang
    found = register_query.totals_by(office, start, end, column, session=session)
    rows = [{"label": labels[k], "cases": fmt_number(found[k][0], lang), "persons": fmt_number(found[k][1], lang)}
            for k in labels if k in found]
    rows += [{"label": k, "cases": fmt_number(v[0], lang), "persons": fmt_number(v[1], lang)}
             for k, v in found.items() if k not in labels]
    rows.append({"_style": "small_bold", "label": t.pgettext("form", "Total"), "cases": fmt_number(sum(v[0] for v in found.values()), lang),
                 "persons": fmt_number(sum(v[1] for v in found.values()), lang)})
    return rows


def register(office: str, start: date, end: date, lang: str, *, session: Session,
             progress: Progress | None = None) -> dict[str, Any]:
    """The register's data; ``data["cases"]["rows"]`` is a generator reading the database lazily."""
    if end < start:
        raise UserError(MSG_BAD_PERIOD, field="to", to=end.isoformat(), start=start.isoformat())
    if session.get(Office, office) is None:
        raise NotFound("unknown office code {code}", field="office", code=office)
    total = register_query.count_cases(office, start, end, session=session)
    t = translator(lang)
    data = header(None, lang, session=session, office=office, qr=f"register:{office}:{start}:{end}")
    data["title"] = t.pgettext("form", "Register of cases")
    data["period"] = t.pgettext("form", "Period: {start} – {end}; cases: {count}").format(
        start=fmt_date(start, lang, "long"), end=fmt_date(end, lang, "long"), count=fmt_number(total, lang))
    data["cases"] = {
        "columns": {"n": "№", "number": t.pgettext("form", "Case number"), "date": t.pgettext("form", "Date"),
                    "name": t.pgettext("form", "Applicant"), "iin": t.pgettext("form", "IIN"),
                    "kind": t.pgettext("form", "Kind of case"), "persons": t.pgettext("form", "Persons"),
                    "destination": t.pgettext("form", "Place of settlement"), "status": t.pgettext("form", "Status")},
        "rows": iter_rows(office, start, end, lang, session=session, progress=progress, total=total),
        "empty": t.pgettext("form", "No cases were registered in this period."),
    }
    totals_cols = {"cases": t.pgettext("form", "Cases"), "persons": t.pgettext("form", "Persons")}
    data["h.totals"] = t.pgettext("form", "Totals")
    kinds = {k: L.kind_label(k, t) for k in KINDS}
    statuses = {s: L.status_label(s, t) for s in STATUSES}
    data["totals_kind"] = {"columns": {"label": t.pgettext("form", "Kind of case"), **totals_cols},
                           "rows": _totals(office, start, end, "kind", kinds, t, session=session)}
    data["totals_status"] = {"columns": {"label": t.pgettext("form", "Status"), **totals_cols},
                             "rows": _totals(office, start, end, "status", statuses, t, session=session)}
    data["sign_head"] = signature(t.pgettext("form", "Head of the career centre"), t)
    data["count"] = total
    return data
