from datetime import timedelta

import pytest
from sqlmodel import select

from migreg_desktop.accounts import accounts
from migreg_desktop.errors import IntegrityError, RuleRefused, UserError
from migreg_desktop.models import AuditEntry
from migreg_desktop.models.account import Account
from migreg_desktop.models.base import utcnow
from migreg_desktop.storage.db import session_scope


def _add(engine, name, role, password="password1"):
    with session_scope(engine, actor="admin") as s:  # the first admin, then the admin adds the others
        accounts.add_account(name, role, password, session=s)


def _login(engine, name, password, now=None):
    with session_scope(engine, actor=name) as s:
        result = accounts.login(name, password, session=s, now=now)
        return result.ok, result.reason, result.retry_after


def test_setup_mode_until_the_first_account_which_must_be_admin(engine):
    with session_scope(engine) as s:
        assert accounts.in_setup_mode(session=s)
        with pytest.raises(RuleRefused):
            accounts.add_account("aida", "clerk", "password1", session=s)
    _add(engine, "Admin", "admin")
    with session_scope(engine) as s:
        assert not accounts.in_setup_mode(session=s)
        stored = s.exec(select(Account)).one()
        assert stored.name == "admin" and stored.password_hash.startswith("$argon2id$")
        assert "password1" not in stored.password_hash


@pytest.mark.parametrize("name,role,password,field", [
    ("a", "admin", "password1", "user"), ("ok.name", "boss", "password1", "role"),
    ("ok.name", "admin", "short", "password"), ("bad name!", "admin", "password1", "user"),
])
def test_bad_account_input_names_the_field(engine, name, role, password, field):
    with session_scope(engine) as s, pytest.raises(UserError) as err:
        accounts.add_account(name, role, password, session=s)
    assert err.value.field == field


def test_duplicate_name_refused_case_insensitively(engine):
    _add(engine, "aida", "admin")
    with session_scope(engine) as s, pytest.raises(UserError):
        accounts.add_account("AIDA", "clerk", "password1", session=s)


def test_wrong_password_is_audited_and_locks_with_growing_delay(engine):
    _add(engine, "admin", "admin")
    now = utcnow()
    assert _login(engine, "admin", "nope", now)[:2] == (False, "wrong")
    assert _login(engine, "admin", "nope", now)[:2] == (False, "wrong")
    assert _login(engine, "admin", "nope", now)[:2] == (False, "wrong")  # 3rd: locked for 5 s
    ok, reason, retry = _login(engine, "admin", "password1", now + timedelta(seconds=1))
    assert (ok, reason) == (False, "locked") and 1 <= retry <= 5
    assert _login(engine, "admin", "nope", now + timedelta(seconds=6))[1] == "wrong"  # 4th: 10 s
    assert _login(engine, "admin", "password1", now + timedelta(seconds=12))[1] == "locked"
    assert _login(engine, "admin", "password1", now + timedelta(seconds=17))[0] is True
    with session_scope(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions.count("login_failed") == 6 and actions[-1] == "login"
        assert s.exec(select(Account)).one().failed_attempts == 0


def test_lock_delay_grows_and_is_capped():
    delays = [accounts.lock_delay(n).total_seconds() for n in range(1, 15)]
    assert delays[:2] == [0, 0] and delays[2:6] == [5, 10, 20, 40]
    assert max(delays) == 900 and delays == sorted(delays)


def test_unknown_user_and_disabled_account_are_refused(engine):
    _add(engine, "admin", "admin")
    _add(engine, "aida", "clerk")
    assert _login(engine, "ghost", "password1")[:2] == (False, "wrong")
    with session_scope(engine, actor="admin") as s:
        accounts.set_disabled("aida", True, session=s)
    assert _login(engine, "aida", "password1")[:2] == (False, "disabled")
    with session_scope(engine) as s:
        assert accounts.find("aida", session=s) is not None  # never deleted
        assert accounts.role_of("aida", session=s) is None


def test_last_admin_cannot_be_disabled_or_demoted(engine):
    _add(engine, "admin", "admin")
    with session_scope(engine, actor="admin") as s:
        with pytest.raises(RuleRefused):
            accounts.set_disabled("admin", True, session=s)
        with pytest.raises(RuleRefused):
            accounts.set_role("admin", "clerk", session=s)


def test_change_own_password_checks_the_old_one(engine):
    _add(engine, "admin", "admin")
    with session_scope(engine) as s:
        with pytest.raises(UserError):
            accounts.set_password("admin", "new-password", old_password="wrong-one", session=s)
    with session_scope(engine) as s:
        accounts.set_password("admin", "new-password", old_password="password1", session=s)
    assert _login(engine, "admin", "password1")[0] is False
    assert _login(engine, "admin", "new-password")[0] is True


def test_wiped_accounts_are_not_set_up_mode_again(engine):
    _add(engine, "admin", "admin")
    with engine.begin() as con:
        con.exec_driver_sql("DELETE FROM account")
    with session_scope(engine) as s, pytest.raises(IntegrityError):
        accounts.in_setup_mode(session=s)


def test_roles_are_ordered():
    assert accounts.allows("admin", "head") and accounts.allows("head", "clerk")
    assert not accounts.allows("clerk", "head") and not accounts.allows(None, "clerk")
