"""The permissions table itself (issue 12 §1): well formed, documented, and the acting account."""

from __future__ import annotations

from pathlib import Path

import pytest

from migreg_desktop.accounts import accounts, permissions
from migreg_desktop.accounts.permissions import KINDS, ROLES, SYSTEM, TABLE, Actor, allowed
from migreg_desktop.eligibility import quotas
from migreg_desktop.errors import AccessDenied, UserError
from migreg_desktop.storage.db import session_scope

ROOT = Path(__file__).resolve().parents[2]


def test_table_is_well_formed():
    assert ROLES == accounts.ROLES
    for name, rule in TABLE.items():
        assert name == rule.action and "." in name
        assert rule.role in ROLES and rule.kinds and set(rule.kinds) <= set(KINDS)
    # The oblast Department owns the quotas and the settlement list; a district reserves places.
    for action in ("quota.set", "quota.allot", "settlements.import", "settlements.edit", "refdata.publish"):
        assert TABLE[action].kinds == ("oblast",)
    assert TABLE["quota.reserve"].role == "clerk" and "district" in TABLE["quota.reserve"].kinds


@pytest.mark.parametrize("action", sorted(TABLE))
def test_a_higher_role_may_what_a_lower_one_may(action):
    for kind in KINDS:
        got = [allowed(action, Actor("x", role, kind)) for role in ROLES]
        assert got == sorted(got)  # False … True, never True then False
    assert allowed(action, SYSTEM) and allowed(action, Actor("x", None, "district", setup=True))
    assert not any(allowed(action, Actor("x", None, kind)) for kind in KINDS)  # no active account


def test_the_document_shows_the_table_of_the_code(capsys):
    from tests.tools import tool

    code = tool("permissions_doc").main(["--check"])  # `python tools/permissions_doc.py --check`, here
    assert code == 0, capsys.readouterr().err
    doc = (ROOT / "docs" / "accounts.md").read_text(encoding="utf-8")
    for rule in TABLE.values():
        assert f"| `{rule.action}` | {rule.title} | `{rule.role}` |" in doc


def test_the_acting_account_travels_with_the_session(engine):
    with session_scope(engine, actor="aida") as s:  # set-up mode: everything, as before accounts
        assert permissions.actor_of(s).setup and permissions.may("quota.set", s)
        accounts.add_account("boss", "admin", "password1", session=s)
        with pytest.raises(AccessDenied):  # set-up mode ended with the first account
            accounts.add_account("aida", "clerk", "password1", session=s)
    with session_scope(engine, actor="boss") as s:
        accounts.add_account("aida", "clerk", "password1", session=s)
    with session_scope(engine, actor="aida") as s:
        assert permissions.actor_of(s) == Actor("aida", "clerk", "city")  # ALM-KNV is a city centre
        with pytest.raises(AccessDenied) as err:
            quotas.set_quota(2026, "620000000", "kandas", 10, session=s)
    assert isinstance(err.value, UserError) and err.value.exit_code == 2
    assert "quota.set" in err.value.message() and "admin" in err.value.message()
    with session_scope(engine, actor="boss") as s, pytest.raises(AccessDenied, match="oblast Department"):
        quotas.set_quota(2026, "620000000", "kandas", 10, session=s)  # the right role, the wrong office
    with session_scope(engine, actor="ghost") as s, pytest.raises(AccessDenied, match="no active account"):
        quotas.set_quota(2026, "620000000", "kandas", 10, session=s)
    with session_scope(engine, actor=SYSTEM) as s:  # the program's own work (reference data)
        quotas.set_quota(2026, "620000000", "kandas", 10, session=s)


def test_refusal_in_the_clerks_language(engine):
    from migreg_desktop import i18n

    with session_scope(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s)
        accounts.add_account("aida", "clerk", "password1", session=s)
    with session_scope(engine, actor="aida") as s, pytest.raises(AccessDenied) as err:
        accounts.set_disabled("boss", True, session=s)
    for lang, words in (("ru", ("Управление учётными записями", "администратор", "специалист")),
                        ("kk", ("Тіркелгілерді басқару", "әкімші", "маман"))):
        i18n.set_language(lang)
        try:
            text = err.value.message()
        finally:
            i18n.set_language("en")
        assert all(w in text for w in words) and "user.manage" in text, text
