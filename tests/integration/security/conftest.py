from __future__ import annotations

import pytest

from tests.unit.sync.kit import Office, setup_office, trust_each_other


@pytest.fixture
def pair(tmp_path, capsys) -> tuple[Office, Office]:  # noqa: ANN001
    """A district (ALM-KNV) and the oblast office (ALM-OBL), keys made and trusted both ways."""
    district = setup_office(tmp_path, "ALM-KNV", capsys)
    oblast = setup_office(tmp_path, "ALM-OBL", capsys)
    trust_each_other(district, oblast, tmp_path)
    return district, oblast
