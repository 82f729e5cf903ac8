"""Issue 15: `migreg settings show|set` — the office's settings from the command line, the
permissions table deciding (settings.office), the core checking the bounds."""

from __future__ import annotations

import json

from migreg_desktop.accounts import accounts
from migreg_desktop.settings import Settings
from migreg_desktop.storage.db import session_scope

PASSWORD = "password-2026"


def test_settings_show_and_set(cli, engine, monkeypatch):
    with session_scope(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", PASSWORD, session=s)
        accounts.add_account("aida", "clerk", PASSWORD, session=s)
    monkeypatch.setenv("MIGREG_PASSWORD", PASSWORD)
    monkeypatch.setenv("MIGREG_USER", "aida")
    shown = {r["key"]: r for r in json.loads(cli("settings", "show", "--json").out)}
    assert shown["lock_after_minutes"]["action"] == "settings.office" and not shown["lock_after_minutes"]["editable"]
    assert shown["font_size"]["editable"] and shown["theme"]["choices"] == ["system", "light", "dark", "high_contrast"]
    refused = cli("settings", "set", "lock_after_minutes", "0", "--json")
    assert refused.code == 2 and "settings.office" in refused.err
    monkeypatch.setenv("MIGREG_USER", "boss")
    done = cli("settings", "set", "lock_after_minutes", "0", "--json")
    assert done.code == 0 and json.loads(done.out) == {"key": "lock_after_minutes", "value": 0, "changed": True}
    assert Settings().get("lock_after_minutes") == 0
    too_big = cli("settings", "set", "backup_keep_daily", "100000", "--json", lang="ru")
    assert too_big.code == 2 and "100000" in too_big.err and "недопустимо" in too_big.err
    assert cli("settings", "set", "font_size", "14", "--json").code == 2  # each clerk's, in the window
    assert cli("settings", "set", "nonsense", "1", "--json").code == 2
    assert Settings().get("backup_keep_daily") == 7
