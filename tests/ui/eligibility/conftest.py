from __future__ import annotations

import pytest

from migreg_desktop.db import session_scope
from migreg_desktop.services import cases

from ...conftest import example_case


@pytest.fixture
def add_case(engine):  # noqa: ANN001, ANN201
    def add(kind: str = "resettler", **changes):  # noqa: ANN003, ANN202
        data = example_case(kind)
        data.update(changes)
        with session_scope(engine, actor="tester") as s:
            return cases.register_case(data, session=s, confirm_warnings=True).id
    return add


@pytest.fixture(autouse=True)
def _drop_stale_hub_listeners():
    """Each app_context makes a QtHub that connects itself to the core hub and never disconnects;
    once its test is over, later events would reach a dead window. Remove what this test added."""
    from migreg_desktop.events import hub

    before = {name: list(fns) for name, fns in hub._listeners.items()}
    yield
    for name, fns in list(hub._listeners.items()):
        keep = before.get(name, [])
        hub._listeners[name] = [fn for fn in fns if fn in keep]
