"""A refusal that names statuses says them in the language it is shown in, not the one active
when it was raised (a batch keeps its refusals; the clerk may switch language before reading)."""

import pytest

from migreg_desktop import i18n
from migreg_desktop.cases import cases
from migreg_desktop.errors import UserError


@pytest.fixture
def _russian_after():
    yield
    i18n.set_language("en")


def test_a_bad_transition_is_worded_when_shown(work, make_case, _russian_after):
    with work.session() as s:
        case = cases.register_case(make_case("kandas"), session=s, confirm_warnings=True)
    i18n.set_language("en")
    with work.session() as s, pytest.raises(UserError) as refused:
        cases.change_status(case.id, "moved", session=s)  # a draft cannot be moved
    i18n.set_language("kk")
    assert "Жоба" in refused.value.message()
    i18n.set_language("ru")
    assert "Черновик" in refused.value.message() and "Жоба" not in refused.value.message()
