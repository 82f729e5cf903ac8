from __future__ import annotations

import pytest

from ...conftest import EXAMPLES


@pytest.fixture
def printed(cli):  # noqa: ANN001, ANN201
    """A database with the three example cases; returns {kind: case number}."""
    assert cli("init", "--office", "ALM-KNV").code == 0
    numbers = {}
    for kind in ("kandas", "resettler", "intra_oblast"):
        result = cli("case", "add", "--file", str(EXAMPLES / f"case-{kind}.json"), "--json")
        assert result.code == 0, result.err
        numbers[kind] = result.json["number"]
    return numbers
