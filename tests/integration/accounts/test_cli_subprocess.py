"""`migreg` as a separate process: passwords from the environment, never from a pipe."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli_in

ROOT = Path(__file__).resolve().parents[3]


def run(data_dir, *args, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("MIGREG_")}
    full.update(PYTHONPATH=str(ROOT), MIGREG_LANG="en", **env)
    return subprocess.run([sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, env=full, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_user_add_list_and_no_password_without_terminal(tmp_path, capsys):
    data = tmp_path / "d"
    # The office is set up in this process (`init` in a fresh process, by the real migrations, is
    # test_program_starts_and_paints's first step); the account commands below run as processes.
    assert cli_in(capsys, data)("init", "--office", "ALM-KNV").code == 0
    added = run(data, "user", "add", "boss", "--role", "admin", "--json", MIGREG_PASSWORD="admin-pass-1")
    assert added.returncode == 0, added.stderr
    listed = run(data, "user", "list", "--json", MIGREG_USER="boss", MIGREG_PASSWORD="admin-pass-1")
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["role"] == "admin"
    no_password = run(data, "case", "list", MIGREG_USER="boss")
    assert no_password.returncode == 2 and "MIGREG_PASSWORD" in no_password.stderr
    assert (data.stat().st_mode & 0o777) == 0o700
