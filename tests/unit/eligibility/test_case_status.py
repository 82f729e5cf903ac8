"""Issue 15: setting the status "included" takes the case's quota place (Rules §2.6), or is
refused with the reason and changes nothing."""

from __future__ import annotations

import pytest

from migreg_desktop.eligibility import case_status, quotas
from migreg_desktop.eligibility.case_status import InclusionRefused
from migreg_desktop.errors import RuleRefused, UserError
from migreg_desktop.models import Case
from migreg_desktop.storage.db import session_scope

from ...conftest import count_rows

EXPIRED = [{"doc_type": "identity_card", "number": "045612378", "issued_on": "2011-05-14",
            "expires_on": "2021-05-13"}, {"doc_type": "address_certificate", "issued_on": "2026-03-01"}]


def _allot(engine, slots, counting="family"):  # noqa: ANN001, ANN202
    with session_scope(engine, actor="oblast") as s:
        quotas.set_quota(2026, "550000000", "resettler", 1655, counting, session=s)
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", slots, session=s)


def _step(work, cid, *path):  # noqa: ANN001, ANN002, ANN202
    """Each step in its own unit of work, as the window and the CLI do (re-checked after each)."""
    for status in path:
        with work.session() as s:
            case_status.change_status(cid, status, session=s)


def _state(engine, cid):  # noqa: ANN001, ANN202
    with session_scope(engine) as s:
        return s.get(Case, cid).status, quotas.held_by_case(cid, session=s)[0]


def test_included_reserves_the_family(engine, work, add_case):
    _allot(engine, 10)
    cid = add_case("resettler")  # family of 4, counted with the family
    _step(work, cid, "submitted", "forwarded", "included")
    assert _state(engine, cid) == ("included", 4)
    _step(work, cid, "moved")  # a moved case keeps its places, no second entry
    assert _state(engine, cid) == ("moved", 4)
    assert count_rows(engine, "quota_ledger")["quota_ledger"] == 1


def test_a_case_already_holding_a_place_is_not_reserved_twice(engine, work, add_case):
    _allot(engine, 10)
    cid = add_case("resettler")
    _step(work, cid, "submitted", "forwarded")
    with work.session() as s:
        quotas.reserve(cid, session=s)
    _step(work, cid, "included")
    assert _state(engine, cid) == ("included", 4)
    assert count_rows(engine, "quota_ledger")["quota_ledger"] == 1


@pytest.mark.parametrize(("slots", "changes", "words"), [
    (3, {}, "no room in the allotment"),                    # family of 4, 3 places
    (10, {"documents": EXPIRED}, "is not eligible"),         # a rule fails
    (None, {}, "has no allotment"),                          # the office was given no places
])
def test_inclusion_refused_changes_nothing(engine, work, add_case, slots, changes, words):
    if slots is not None:
        _allot(engine, slots)
    cid = add_case("resettler", **changes)
    _step(work, cid, "submitted", "forwarded")
    before = count_rows(engine, "quota_ledger", "status_change", "audit_entry")
    with pytest.raises(InclusionRefused) as err, work.session() as s:
        case_status.change_status(cid, "included", session=s)
    assert isinstance(err.value, RuleRefused) and err.value.exit_code == 1
    assert "needs a quota place" in err.value.message() and words in err.value.message()
    assert _state(engine, cid) == ("forwarded", 0)
    assert count_rows(engine, "quota_ledger", "status_change", "audit_entry") == before


def test_a_stale_decision_refuses_inclusion(engine, work, add_case):
    from sqlalchemy import text

    _allot(engine, 10)
    cid = add_case("resettler")
    _step(work, cid, "submitted", "forwarded")
    with engine.begin() as con:  # the case changed behind the decision's back
        con.execute(text("UPDATE cases SET version = version + 1 WHERE id = id_db(:c)"), {"c": cid})
    with pytest.raises(InclusionRefused, match="changed after its last check"), work.session() as s:
        case_status.change_status(cid, "included", session=s)
    assert _state(engine, cid) == ("forwarded", 0)


def test_a_transition_not_allowed_is_said_as_such(engine, work, add_case):
    _allot(engine, 10)
    cid = add_case("resettler")  # draft → included is not a step
    with pytest.raises(UserError) as err, work.session() as s:
        case_status.change_status(cid, "included", session=s)
    assert not isinstance(err.value, InclusionRefused)
    assert _state(engine, cid) == ("draft", 0)


def test_refusal_in_kazakh_and_russian(engine, work, add_case):
    from migreg_desktop import i18n

    _allot(engine, 3)
    cid = add_case("resettler")
    _step(work, cid, "submitted", "forwarded")
    with pytest.raises(InclusionRefused) as err, work.session() as s:
        case_status.change_status(cid, "included", session=s)
    for lang, word in (("kk", "квота"), ("ru", "квот")):
        i18n.set_language(lang)
        text = err.value.message()
        assert word in text.lower() and "needs" not in text and "room" not in text, text
