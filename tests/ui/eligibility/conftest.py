from __future__ import annotations

import pytest

from migreg_desktop.cases import cases

from ...conftest import example_case


@pytest.fixture
def add_case(app_context):  # noqa: ANN001, ANN201
    def add(kind: str = "resettler", **changes):  # noqa: ANN003, ANN202
        data = example_case(kind)
        data.update(changes)
        with app_context.work.for_actor("tester").session() as s:
            return cases.register_case(data, session=s, confirm_warnings=True).id
    return add
