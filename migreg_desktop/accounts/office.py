"""This database's own office and role (set once by ``init``), and the office list."""

from __future__ import annotations

from sqlmodel import Session, select

from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.models import Meta, Office

ROLES = ("district", "oblast")


def get_meta(key: str, *, session: Session) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(key: str, value: str, *, session: Session) -> None:
    row = session.get(Meta, key)
    if row:
        row.value = value
    else:
        session.add(Meta(key=key, value=value))


def current_office_code(*, session: Session) -> str | None:
    cache = session.info.get("office_code")
    if cache is None:
        cache = get_meta("office_code", session=session)
        session.info["office_code"] = cache
    return cache


def current_office(*, session: Session) -> Office:
    code = current_office_code(session=session)
    office = session.get(Office, code) if code else None
    if office is None:
        raise UserError("This database has no office yet. Run 'migreg init --office CODE'.")
    return office


def role(*, session: Session) -> str:
    """``oblast`` for the Department's database, ``district`` for a career centre's."""
    return get_meta("role", session=session) or "district"


def list_offices(*, session: Session) -> list[Office]:
    order = {"oblast": 0, "city": 1, "district": 2}
    offices = session.exec(select(Office)).all()
    return sorted(offices, key=lambda o: (order.get(o.kind, 9), o.code))


def assign_office(code: str, *, session: Session) -> Office:
    office = session.get(Office, code.upper())
    if office is None:
        raise NotFound("unknown office code {code}", field="office", code=code)
    current = current_office_code(session=session)
    if current and current != office.code:
        raise UserError(
            "This database already belongs to office {current}; it cannot be moved to {code}.",
            field="office", current=current, code=office.code,
        )
    set_meta("office_code", office.code, session=session)
    set_meta("role", "oblast" if office.kind == "oblast" else "district", session=session)
    session.info["office_code"] = office.code
    return office
