"""Issue 14: clerks appear on papers by full name and position, never by login."""

from __future__ import annotations

import pytest
from sqlmodel import select

from migreg_desktop.accounts import accounts
from migreg_desktop.errors import UserError
from migreg_desktop.models import AuditEntry
from migreg_desktop.storage.db import session_scope


def _setup(engine):  # noqa: ANN001, ANN202
    with session_scope(engine, actor="admin") as s:
        accounts.add_account("admin", "admin", "password1", session=s, full_name="Сейітқалиева Әлия",
                             position="бас маман")
        accounts.add_account("aida", "clerk", "password1", session=s)


def test_display_name_is_full_name_and_position(engine):
    _setup(engine)
    with session_scope(engine, actor="admin") as s:
        assert accounts.display_name("ADMIN", session=s) == "Сейітқалиева Әлия, бас маман"
        assert accounts.display_name("aida", session=s) == "aida"  # nothing recorded: the login
        assert accounts.display_name("other.office", session=s) == "other.office"  # a case from elsewhere
        assert accounts.display_name(None, session=s) == ""


def test_set_details_changes_and_audits_only_what_is_given(engine):
    _setup(engine)
    with session_scope(engine, actor="admin") as s:
        accounts.set_details("aida", session=s, full_name="  Бекова Аида  ")
    with session_scope(engine, actor="admin") as s:
        accounts.set_details("aida", session=s, position="жетекші маман")
        accounts.set_details("aida", session=s, position="жетекші маман")  # no change: no entry
    with session_scope(engine, actor="admin") as s:
        assert accounts.display_name("aida", session=s) == "Бекова Аида, жетекші маман"
        entries = s.exec(select(AuditEntry).where(AuditEntry.action == "account_details")).all()
    assert len(entries) == 2 and '"position"' in entries[1].changes and "жетекші" in entries[1].changes


@pytest.mark.parametrize("bad", ["Бекова\x07", "x" * 121])
def test_bad_text_is_refused_and_nothing_changes(engine, bad):
    _setup(engine)
    with session_scope(engine, actor="admin") as s, pytest.raises(UserError) as err:
        accounts.set_details("aida", session=s, position=bad)
    assert err.value.field == "position"
    with session_scope(engine, actor="admin") as s:
        assert accounts.get("aida", session=s).position == ""


def test_a_clerk_may_not_change_names(engine):
    _setup(engine)
    from migreg_desktop.errors import MigregError

    with session_scope(engine, actor="aida") as s, pytest.raises(MigregError):
        accounts.set_details("admin", session=s, full_name="someone else")
