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
