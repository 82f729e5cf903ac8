"""accounts/at_start.py gives the first screen the answers the full path gives (issue 15)."""

import pytest

from migreg_desktop.accounts import accounts, at_start, permissions
from migreg_desktop.accounts.office import current_office_code, role
from migreg_desktop.errors import IntegrityError
from migreg_desktop.storage.reader import reading
from tests.conftest import work_session


def _both(engine, name):
    with work_session(engine, actor=name) as s:
        full = (permissions.resolve(name, session=s), accounts.display_name(name, session=s),
                current_office_code(session=s), role(session=s), permissions.office_kind(session=s))
    with reading() as db:
        office = at_start.office(db)
        light = (at_start.actor(name, db), at_start.display_name(name, db), office.code, office.role, office.kind)
    return full, light


def test_set_up_mode_reads_the_same(engine):
    full, light = _both(engine, "aigerim")
    assert full == light
    assert light[0].setup and light[2] == "ALM-KNV"


def test_accounts_read_the_same(engine):
    with work_session(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s, full_name="Бек Ержан", position="басшы")
    with work_session(engine, actor="boss") as s:
        accounts.add_account("aida", "clerk", "password1", session=s)
        accounts.add_account("dana", "clerk", "password1", session=s)
        accounts.set_disabled("dana", True, session=s)  # a disabled account has no role
    for name in ("boss", "BOSS ", "aida", "dana", "nobody"):
        full, light = _both(engine, name)
        assert full == light, name
    with reading() as db:
        assert at_start.display_name("boss", db) == "Бек Ержан, басшы"
        assert at_start.actor("dana", db).role is None and at_start.actor("aida", db).role == "clerk"


def test_a_wiped_database_is_refused_on_the_first_screen_too(engine):
    import sqlite3

    from migreg_desktop import paths

    with work_session(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s)
    with sqlite3.connect(paths.db_path()) as con:
        con.execute("DELETE FROM account")
    with reading() as db, pytest.raises(IntegrityError):
        at_start.actor("boss", db)
