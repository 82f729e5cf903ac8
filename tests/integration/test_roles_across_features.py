"""Once accounts exist, the features' commands ask for the role their work needs (issue 7 §1)."""

import pytest

from tests.snapshots import boss_and_clerk, made_by_commands

ADMIN_PW, CLERK_PW = "admin-pass-2026", "clerk-pass-2026"


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):
    """An admin 'boss' and a clerk 'aida'; the CLI acts as aida. Made by these commands once per
    test process and copied into the test's data dir (tests/snapshots.py)."""
    made_by_commands("roles-across-features-office", boss_and_clerk(ADMIN_PW, CLERK_PW), capsys, data_dir, monkeypatch,
                     tmp_path_factory)
    monkeypatch.setenv("MIGREG_USER", "aida")
    monkeypatch.setenv("MIGREG_PASSWORD", CLERK_PW)
    return monkeypatch


@pytest.mark.parametrize("args", [
    ("keys", "init"),
    ("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "resettler",
     "--limit", "10", "--counting", "persons"),
    ("demo", "--cases", "1"),
    ("conflicts", "accept", "1"),
    ("duplicates", "resolve", "1", "--as", "same"),
])
def test_a_clerk_is_refused_admin_and_head_work(cli, office, args):
    result = cli(*args, "--json")
    assert result.code == 2 and result.json["error"]["message"]


def test_a_clerk_does_daily_work(cli, office):
    assert cli("case", "list", "--json").code == 0
    assert cli("outbox", "--json").code == 0


def test_import_backs_up_first(cli, office, data_dir, tmp_path):
    office.setenv("MIGREG_USER", "boss")
    office.setenv("MIGREG_PASSWORD", ADMIN_PW)
    bogus = tmp_path / "bogus.migreg"
    bogus.write_bytes(b"not a package")
    result = cli("import", str(bogus), "--json")
    assert result.json["status"] == "rejected"
    assert any("import" in p.name for p in (data_dir / "backups").rglob("*.mgbak"))
