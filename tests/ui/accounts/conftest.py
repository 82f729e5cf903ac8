"""Cheap Argon2 parameters for tests (the program keeps RFC 9106's; tests only need the logic)."""

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):
    from migreg_desktop.services import accounts

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_DUMMY", [])
    monkeypatch.delenv("MIGREG_USER", raising=False)
    monkeypatch.delenv("MIGREG_PASSWORD", raising=False)
    monkeypatch.delenv("MIGREG_NEW_PASSWORD", raising=False)


# The offscreen platform cannot resize to size hints or raise windows; those are not our warnings.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise|grab|setParent)\(\)"


def pytest_collection_modifyitems(items):
    here = str(__import__("pathlib").Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
