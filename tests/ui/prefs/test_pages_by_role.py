"""Issue 15: a clerk does not see the admin's pages as empty shells: the permissions table
(ctx.may) hides them from the navigation; an admin sees them. In kk and ru."""

from __future__ import annotations

from typing import Any

import pytest

from migreg_desktop import i18n
from migreg_desktop.accounts import accounts
from migreg_desktop.storage.db import session_scope

ADMIN_PAGES = {"audit", "users", "backups", "sync_keys"}


@pytest.fixture
def accounts_made(app_context: Any) -> Any:
    with session_scope(app_context.engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password-2026", session=s)
        accounts.add_account("hana", "head", "password-2026", session=s)
        accounts.add_account("aida", "clerk", "password-2026", session=s)
    return app_context


def nav_texts(window: Any) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_clerk_sees_no_admin_page(qtbot, window, accounts_made, ui_lang):
    accounts_made.user = "aida"
    window.refresh_pages()
    keys = [s.key for s in window.specs]
    assert not ADMIN_PAGES & set(keys)
    assert {"cases", "quotas", "sync_inbox", "sync_outbox", "sync_conflicts"} <= set(keys)
    assert len(nav_texts(window)) == len(keys)
    for title in ("Audit", "Users", "Backups", "Keys"):
        assert i18n._(title) not in nav_texts(window)
    # clicking through every listed page shows a page, never an empty shell of another role
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.pages[window.specs[row].key]


def test_admin_sees_them_and_a_switch_of_account_follows(qtbot, window, accounts_made, ui_lang):
    accounts_made.user = "boss"
    window.refresh_pages()
    assert ADMIN_PAGES <= {s.key for s in window.specs}
    assert i18n._("Backups") in nav_texts(window)
    window.show_page("backups")
    accounts_made.user = "hana"  # someone else signs in (after a restore): the head reads the audit only
    window.refresh_pages()
    keys = {s.key for s in window.specs}
    assert "audit" in keys and not {"users", "backups", "sync_keys"} & keys
    assert "backups" not in window.pages  # the admin's page built before is gone with its data
    assert window.stack.currentWidget() is window.pages[window.specs[window.nav.currentRow()].key]
    assert nav_texts(window)[0] == i18n._("Cases") != "Cases"


def test_page_shortcut_of_a_hidden_page_does_nothing(qtbot, window, accounts_made):
    from migreg_desktop.ui.registry import PAGES

    accounts_made.user = "aida"
    window.refresh_pages()
    hidden = {s.shortcut for s in PAGES.values() if s.action and s.shortcut}
    assert not hidden & {a.shortcut().toString() for a in window.page_actions}
