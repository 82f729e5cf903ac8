"""The queries behind the printed register and the day's slips (forms/register.py, forms/batch.py):
cases of an office in a period, read in order (created_at, rowid) a chunk at a time, counted and summed
by a column. The forms only lay the rows out; the SQL lives here, in the core."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

TOTAL_COLUMNS = ("kind", "status")  # the register's totals are grouped by these only


def utc_bound(day: date) -> str:
    """Local midnight of ``day`` as the UTC text SQLite holds (created_at is stored in UTC)."""
    local = datetime.combine(day, time.min).astimezone()
    return local.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")


def _where(office: str, start: date, end: date) -> tuple[str, dict[str, Any]]:
    params = {"office": office, "lo": utc_bound(start), "hi": utc_bound(end + timedelta(days=1))}
    return "c.office_code = :office AND c.created_at >= :lo AND c.created_at < :hi", params


def count_cases(office: str, start: date, end: date, *, session: Session) -> int:
    where, params = _where(office, start, end)
    return int(session.execute(text(f"SELECT count(*) FROM cases c WHERE {where}"), params).scalar_one())


def row_chunks(office: str, start: date, end: date, lang: str, chunk: int, *,
               session: Session) -> Iterator[Sequence[Any]]:
    """The period's cases in order, ``chunk`` rows at a time, with the destination in ``lang``.

    One statement read with fetchmany: SQLite sorts the period once and hands rows out as they
    are asked for, so Python never holds more than a chunk. (Keyset pages re-ran the sort of the
    whole office for every chunk: 43 sorts of 21,500 rows for a 1,000-page register, issue 17 §6.)"""
    where, params = _where(office, start, end)
    name_col = "t.name_kk" if lang == "kk" else "t.name_ru"
    sql = (f"SELECT c.number, c.created_at, c.applicant_name, c.applicant_iin, c.kind, c.family_size,"
           f" {name_col} AS destination, c.status FROM cases c"
           f" LEFT JOIN territory t ON t.kato = c.destination_kato WHERE {where}"
           " ORDER BY c.created_at, c.rowid")
    result = session.execute(text(sql), params)
    try:
        while rows := result.fetchmany(chunk):
            yield rows
    finally:  # a cancelled print leaves the generator unfinished: release the statement
        result.close()


def totals_by(office: str, start: date, end: date, column: str, *, session: Session) -> dict[Any, tuple[int, int]]:
    """{value of ``column``: (cases, persons)} for the period."""
    if column not in TOTAL_COLUMNS:
        raise ValueError(column)
    where, params = _where(office, start, end)
    sql = f"SELECT c.{column} AS k, count(*) AS n, sum(c.family_size) AS p FROM cases c WHERE {where} GROUP BY c.{column}"
    return {r.k: (r.n, r.p or 0) for r in session.execute(text(sql), params)}


def case_ids_of_day(office: str, day: date, *, session: Session) -> list[str]:
    """Ids only (a day holds tens of cases, not thousands)."""
    sql = ("SELECT id_text(id) FROM cases WHERE office_code = :office AND created_at >= :lo AND created_at < :hi"
           " ORDER BY created_at, rowid")
    params = {"office": office, "lo": utc_bound(day), "hi": utc_bound(day + timedelta(days=1))}
    return [r[0] for r in session.execute(text(sql), params)]
