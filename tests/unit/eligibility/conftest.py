from __future__ import annotations

import pytest

from migreg_desktop.cases import cases

from ...conftest import example_case


@pytest.fixture
def add_case(work):  # noqa: ANN001, ANN201
    """Register an example case (optionally changed) through the unit of work (so it is checked)."""
    def add(kind: str = "resettler", **changes):  # noqa: ANN003, ANN202
        data = example_case(kind)
        applicant = changes.pop("applicant", None)
        if applicant:
            data["applicant"].update(applicant)
        data.update(changes)
        with work.session() as s:
            return cases.register_case(data, session=s, confirm_warnings=True).id
    return add
