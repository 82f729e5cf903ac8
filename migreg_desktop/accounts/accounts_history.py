"""Did this database ever have accounts? (issue 12 §6)

Set-up mode (no password asked, the first account becomes an admin) is only for a database that
**never** had an account. Emptying the ``account`` table, dropping it, or deleting its rows and
the ``accounts_since`` marker must not reopen it: anyone could then add an admin. A database
whose schema, marker or audit trail shows accounts and that now has none is *wiped*: damaged,
opened read-only, and the way out is a restore.

``state`` reads through any ``execute(sql, params)`` whose result has ``fetchone``/``fetchall``
(a sqlite3 connection's ``execute`` or SQLAlchemy's ``exec_driver_sql``), so the cheap CLI probe
(services/integrity.account_state), the window's login (services/accounts.in_setup_mode) and the
full check (``doctor``, the start-up check) all decide alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migreg_desktop.i18n import N_

SINCE_KEY = "accounts_since"
# The migration that creates the account table: a database at (or past) it has the table.
ACCOUNTS_REVISION = "0300_accounts"
# Audit actions that only a database with accounts writes (set-up mode logs nobody in).
ACCOUNT_ACTIONS = ("account_add", "account_disable", "account_enable", "account_role", "login",
                   "login_failed", "password")
WIPED = N_("The accounts of this database were removed. Restore a backup "
           "('migreg restore FILE' or the Backups page).")

Execute = Callable[..., Any]


def state(execute: Execute) -> str:
    """``accounts`` (some exist), ``setup`` (never had any) or ``wiped`` (had, now has none)."""
    tables = {r[0] for r in execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    if "account" in tables and execute("SELECT count(*) FROM account").fetchone()[0]:
        return "accounts"
    return "wiped" if had_accounts(execute, tables) else "setup"


def had_accounts(execute: Execute, tables: set[str]) -> bool:
    """Any trace of accounts: the schema version, the marker, account entries in the audit
    trail, or audit entries removed from the end of the trail (who knows what they said)."""
    if "alembic_version" in tables and "account" not in tables:
        revisions = {r[0] for r in execute("SELECT version_num FROM alembic_version").fetchall()}
        if ACCOUNTS_REVISION in revisions:
            return True  # the table was dropped
    if "meta" in tables and execute("SELECT 1 FROM meta WHERE key = ?", (SINCE_KEY,)).fetchone():
        return True
    if "audit_entry" not in tables:
        return False
    marks = ", ".join("?" for _ in ACCOUNT_ACTIONS)
    if execute(f"SELECT 1 FROM audit_entry WHERE action IN ({marks}) LIMIT 1", ACCOUNT_ACTIONS).fetchone():
        return True
    chained = any(r[1] == "hash" for r in execute("PRAGMA table_info(audit_entry)").fetchall())
    return chained and "meta" in tables and _newest_entries_removed(execute)


def _newest_entries_removed(execute: Execute) -> bool:
    head, top = execute("SELECT (SELECT value FROM meta WHERE key = 'audit_head'), "
                        "(SELECT max(id) FROM audit_entry)").fetchone()
    if not head:
        return top is not None  # the head record itself was removed
    try:
        head_id = int(str(head).split()[0])
    except (ValueError, IndexError):
        return True
    return top is None or head_id > int(top)
