"""Who is who: the account of a name, and whether the database is in set-up mode.

Set-up mode is decided here once (``accounts_history``): the permissions table, the login and
account creation all ask ``in_setup_mode``.
"""

from __future__ import annotations

from sqlmodel import Session, select

from migreg_desktop.accounts import accounts_history
from migreg_desktop.accounts.names import normalise_name as normalise_name  # its old address
from migreg_desktop.errors import IntegrityError
from migreg_desktop.models.account import Account


def history_state(*, session: Session) -> str:
    """``accounts``, ``setup`` (never had an account) or ``wiped`` (see accounts_history)."""
    return accounts_history.state(session.connection().exec_driver_sql)


def in_setup_mode(*, session: Session) -> bool:
    """True only for a database that never had an account. A wiped one is marked damaged
    (read-only from now on, services/integrity) and refused with the way to restore."""
    state = history_state(session=session)
    if state == "wiped":
        from migreg_desktop.storage import integrity

        url = getattr(session.get_bind(), "url", None)
        integrity.mark_damaged(url.database if url else None, "accounts removed")
        raise IntegrityError(accounts_history.WIPED)
    return state == "setup"


def find(name: str, *, session: Session) -> Account | None:
    return session.exec(select(Account).where(Account.name == normalise_name(name))).first()
