"""Who is working, and where, read before the database layer is loaded (issue 15: the window's
first screen, a filled case list, within 0.5 s of a cold start).

The same answers as ``permissions.resolve``, ``office.current_office_code``/``role`` and
``accounts.display_name``, from plain reads on a ``storage.reader`` connection; once the engine
is open the window asks those again (tests/unit/test_at_start.py holds both to the same answer).
"""

from __future__ import annotations

from dataclasses import dataclass

from migreg_desktop.accounts import accounts_history, names
from migreg_desktop.accounts.names import normalise_name
from migreg_desktop.accounts.permissions import Actor
from migreg_desktop.errors import IntegrityError
from migreg_desktop.storage.reader import Rows


@dataclass(frozen=True)
class Office:
    code: str
    role: str  # oblast | district (meta "role", as accounts/office.role)
    kind: str | None  # the office table's kind, as permissions.office_kind; None: not in the table
    name_kk: str
    name_ru: str

    def label(self, lang: str) -> str:
        """How the status bar names the office: "name (CODE)", the code alone when it is unknown."""
        if self.kind is None:
            return self.code
        return f"{self.name_kk if lang == 'kk' else self.name_ru} ({self.code})"


def _meta(db: Rows, key: str) -> str | None:
    found = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if found is None else str(found[0])


def office(db: Rows) -> Office:
    code = _meta(db, "office_code") or ""
    row = db.execute("SELECT kind, name_kk, name_ru FROM office WHERE code = ?", (code,)).fetchone()
    kind, name_kk, name_ru = row if row is not None else (None, code, code)
    return Office(code, _meta(db, "role") or "district", kind, name_kk, name_ru)


def actor(name: str, db: Rows) -> Actor:
    """``permissions.resolve`` from plain reads. A wiped database is refused the same way; the
    full path that follows marks it damaged."""
    kind = office(db).kind
    state = accounts_history.state(db.execute)
    if state == "wiped":
        raise IntegrityError(accounts_history.WIPED)
    if state == "setup":
        return Actor(name, None, kind, setup=True)
    row = _account(name, db)
    role = row[1] if row is not None and not row[2] else None
    return Actor(row[0] if row is not None else name, role, kind)


def setup_mode(db: Rows) -> bool | None:
    """``accounts.in_setup_mode`` from a plain read; None for a wiped database (the full path
    refuses it and marks the file damaged)."""
    state = accounts_history.state(db.execute)
    return None if state == "wiped" else state == "setup"


def display_name(name: str, db: Rows) -> str:
    """``accounts.display_name``: "full name, position", else the full name, else the login."""
    row = _account(name, db) if name else None
    return (name or "") if row is None else names.display_name(row[0], row[3], row[4])


def _account(name: str, db: Rows) -> tuple[str, str, bool, str, str] | None:
    found = db.execute("SELECT name, role, disabled, full_name, position FROM account WHERE name = ?",
                       (normalise_name(name),)).fetchone()
    return None if found is None else (found[0], found[1], bool(found[2]), found[3], found[4])
