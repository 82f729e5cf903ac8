from __future__ import annotations

import pytest

from tests.unit.sync.kit import Office, make_pair


@pytest.fixture
def pair(tmp_path, capsys, tmp_path_factory) -> tuple[Office, Office]:  # noqa: ANN001
    """A district (ALM-KNV) and the oblast office (ALM-OBL), keys made and trusted both ways."""
    return make_pair(tmp_path, capsys, tmp_path_factory)
