from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ...conftest import EXAMPLES


@pytest.fixture(scope="session")
def printed_template(tmp_path_factory) -> tuple[Path, dict[str, str]]:  # noqa: ANN001
    """One database with the three example cases, built once; each test gets a copy."""
    from migreg_desktop import paths
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.storage.db import session_scope
    from tests.conftest import example_case

    folder = tmp_path_factory.mktemp("printed") / "data"
    paths.set_data_dir(folder)
    try:
        engine, _ = init_database("ALM-KNV")
        with session_scope(engine, actor="tester") as session:
            numbers = {kind: register_case(example_case(kind), session=session).number
                       for kind in ("kandas", "resettler", "intra_oblast")}
        engine.dispose()
    finally:
        paths.set_data_dir(None)
    assert EXAMPLES.is_dir()
    return folder, numbers


@pytest.fixture
def printed(printed_template, data_dir):  # noqa: ANN001, ANN201
    """A database with the three example cases; returns {kind: case number}."""
    folder, numbers = printed_template
    shutil.copytree(folder, data_dir, dirs_exist_ok=True)
    return dict(numbers)
