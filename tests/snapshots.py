"""Set-ups built once per test process and copied for every test that asks for them.

Several fixtures build the same offices with the program's own commands for every test (init,
keys, trust, example cases: ~1 s each). Built once and copied, each test still gets its own data
dir holding byte for byte what those commands made; nothing else is shared between tests. The
copy goes where the per-test set-up would have put it, so no path inside a test changes.
"""

from __future__ import annotations

import copy
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from migreg_desktop import paths

T = TypeVar("T")
_BUILT: dict[str, tuple[Path, Any]] = {}


def copied(key: str, build: Callable[[Path], T], into: Path, factory: pytest.TempPathFactory) -> T:
    """``build(root)`` once per process under a root of its own, then copy that root into ``into``.

    ``build`` gets the root to build in and returns a value made of plain data (deep-copied for
    each test); it must not depend on the test asking (its tmp_path, its monkeypatched env)."""
    if key not in _BUILT:
        root = factory.mktemp(f"snapshot-{key}")
        active = paths._data_dir_override  # the test's own data dir comes back after the build
        try:
            value = build(root)
        finally:
            paths.set_data_dir(active)
        _settle(root)
        _BUILT[key] = (root, value)
    root, value = _BUILT[key]
    shutil.copytree(root, into, dirs_exist_ok=True)
    return copy.deepcopy(value)


def _settle(root: Path) -> None:
    """Fold any write-ahead log into its database, so the copy is the database file alone."""
    for db in root.rglob("*.sqlite3"):
        con = sqlite3.connect(db)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()


def initialised(capsys: Any, data_dir: Path, factory: pytest.TempPathFactory, office: str = "ALM-KNV") -> None:
    """``data_dir`` holding what `migreg init --office OFFICE` makes (asserted to succeed), run
    once per test process and copied."""
    from tests.conftest import cli_in

    def build(root: Path) -> None:
        assert cli_in(capsys, root / data_dir.name)("init", "--office", office).code == 0

    copied(f"initialised-{office}-{data_dir.name}", build, data_dir.parent, factory)


def made_by_commands(key: str, steps: Callable[[Any, pytest.MonkeyPatch], None], capsys: Any, data_dir: Path,
                     monkeypatch: pytest.MonkeyPatch, factory: pytest.TempPathFactory) -> None:
    """``data_dir`` holding what ``steps(cli, env)`` makes with `migreg` commands run in this
    process (``env``: a monkeypatch undone after the build, for MIGREG_USER and the passwords),
    run once per test process and copied. The test sets the environment its commands need."""
    from tests.conftest import cli_in

    def build(root: Path) -> None:
        with monkeypatch.context() as env:
            steps(cli_in(capsys, root / data_dir.name), env)

    copied(key, build, data_dir.parent, factory)


def boss_and_clerk(admin_pw: str, clerk_pw: str) -> Callable[[Any, pytest.MonkeyPatch], None]:
    """Steps for ``made_by_commands``: `init`, an admin 'boss', and a clerk 'aida' whom boss adds
    (each asserted to succeed)."""
    def steps(cli: Any, env: pytest.MonkeyPatch) -> None:
        assert cli("init", "--office", "ALM-KNV").code == 0
        env.setenv("MIGREG_PASSWORD", admin_pw)
        assert cli("user", "add", "boss", "--role", "admin").code == 0
        env.setenv("MIGREG_USER", "boss")
        env.setenv("MIGREG_NEW_PASSWORD", clerk_pw)  # the new account's; MIGREG_PASSWORD is boss's
        assert cli("user", "add", "aida", "--role", "clerk", "--json").code == 0

    return steps
