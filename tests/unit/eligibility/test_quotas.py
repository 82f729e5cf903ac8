"""Quotas, allotments and the append-only ledger: invariant, concurrency, bad input."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from migreg_desktop.eligibility import quotas
from migreg_desktop.errors import RuleRefused, UserError
from migreg_desktop.paths import db_path
from migreg_desktop.storage.db import make_engine, session_scope

from ...conftest import count_rows


def _allot(engine, slots, counting="persons"):
    with session_scope(engine, actor="oblast") as s:
        quotas.set_quota(2026, "550000000", "resettler", 1655, counting, session=s)
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", slots, session=s)


def _show(engine):
    with session_scope(engine) as s:
        q = next(q for q in quotas.show(2026, session=s)["quotas"] if q["region"] == "550000000" and q["kind"] == "resettler")
    return q


def test_reserve_release_show(engine, add_case):
    _allot(engine, 5, "family")
    cid = add_case("resettler")  # family of 4
    with session_scope(engine, actor="clerk") as s:
        doc = quotas.reserve(cid, session=s)
    assert doc["persons"] == 4 and doc["remaining"] == 1
    q = _show(engine)
    assert (q["limit"], q["allotted"], q["reserved"], q["remaining"]) == (1655, 5, 4, 1651)
    assert q["offices"] == [{"office": "ALM-KNV", "slots": 5, "reserved": 4, "remaining": 1, "low": False}]
    with session_scope(engine, actor="clerk") as s:
        assert quotas.release(cid, session=s)["remaining"] == 5
    assert count_rows(engine, "quota_ledger")["quota_ledger"] == 2  # append-only: reserve + release


@pytest.mark.parametrize(("path", "freed"), [(("withdrawn",), True), (("submitted", "refused"), True),
                                             (("submitted", "forwarded", "included", "moved"), False)])
def test_withdrawn_or_refused_case_gives_its_places_back(engine, add_case, path, freed):
    from migreg_desktop.eligibility import case_status

    _allot(engine, 1)
    cid = add_case("resettler")
    with session_scope(engine, actor="clerk") as s:
        quotas.reserve(cid, session=s)
    with session_scope(engine, actor="clerk") as s:
        for status in path:
            case_status.change_status(cid, status, session=s)
    assert _show(engine)["offices"][0]["reserved"] == (0 if freed else 1)
    assert count_rows(engine, "quota_ledger")["quota_ledger"] == (2 if freed else 1)  # a release entry, not a delete


def test_ledger_is_append_only_in_the_database(engine, add_case):
    _allot(engine, 5)
    cid = add_case("resettler")
    with session_scope(engine) as s:
        quotas.reserve(cid, session=s)
    with pytest.raises(Exception, match="append-only"):
        with session_scope(engine) as s:
            s.connection().execute(text("UPDATE quota_ledger SET persons = 0"))
    with pytest.raises(Exception, match="append-only"):
        with session_scope(engine) as s:
            s.connection().execute(text("DELETE FROM quota_ledger"))


def test_no_room_is_refused_and_nothing_written(engine, add_case):
    _allot(engine, 3, "family")
    cid = add_case("resettler")  # counts 4 in family mode: exhausted by one family member
    before = count_rows(engine, "quota_ledger", "audit_entry")
    with pytest.raises(RuleRefused), session_scope(engine) as s:
        quotas.reserve(cid, session=s)
    assert count_rows(engine, "quota_ledger", "audit_entry") == before


def test_double_reservation_and_closed_case_are_bad_input(engine, add_case):
    from migreg_desktop.cases import cases

    _allot(engine, 10)
    cid = add_case("resettler")
    with session_scope(engine) as s:
        quotas.reserve(cid, session=s)
    with pytest.raises(UserError, match="already holds"), session_scope(engine) as s:
        quotas.reserve(cid, session=s)
    other = add_case("kandas", destination_kato="550000000")
    with session_scope(engine, actor="t") as s:
        cases.change_status(other, "withdrawn", session=s)
    with pytest.raises(UserError) as err, session_scope(engine) as s:
        quotas.reserve(other, session=s)
    assert err.value.exit_code == 2


@pytest.mark.parametrize(("call", "match"), [
    (lambda s: quotas.set_quota(2026, "999999999", "kandas", 5, session=s), "unknown region"),
    (lambda s: quotas.set_quota(2026, "191000000", "kandas", 5, session=s), "not a region"),
    (lambda s: quotas.set_quota(2026, "550000000", "kandas", -1, session=s), "limit"),
    (lambda s: quotas.set_quota(2026, "550000000", "kandas", 5, "households", session=s), "households"),
    (lambda s: quotas.set_quota(1999, "550000000", "kandas", 5, session=s), "year"),
    (lambda s: quotas.allot(2026, "550000000", "kandas", "ALM-KNV", 5000, session=s), "do not fit"),
    (lambda s: quotas.allot(2026, "550000000", "kandas", "NOPE", 5, session=s), "office"),
    (lambda s: quotas.allot(2026, "350000000", "kandas", "ALM-KNV", 5, session=s), "no kandas quota"),
])
def test_bad_quota_input(engine, call, match):
    before = count_rows(engine, "regional_quota", "quota_allotment", "audit_entry")
    with pytest.raises(UserError, match=match), session_scope(engine) as s:
        call(s)
    assert count_rows(engine, "regional_quota", "quota_allotment", "audit_entry") == before


def test_allotment_cannot_shrink_below_reserved(engine, add_case):
    _allot(engine, 5, "family")
    cid = add_case("resettler")
    with session_scope(engine) as s:
        quotas.reserve(cid, session=s)
    with pytest.raises(UserError, match="already reserved"), session_scope(engine) as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 3, session=s)


def test_low_warning_below_ten_percent():
    assert quotas.is_low(9, 100) and not quotas.is_low(10, 100) and not quotas.is_low(0, 0)


def test_two_connections_reserving_concurrently_never_overbook(engine, add_case):
    """Threads with separate engines (connections) race for 3 places; at most 3 are taken."""
    _allot(engine, 3)
    ids = [add_case("resettler", applicant={"iin": iin}) for iin in _iins(8)]
    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []

    def worker(case_id: str) -> None:
        eng = make_engine(db_path())
        barrier.wait()
        try:
            with session_scope(eng, actor="racer") as s:
                quotas.reserve(case_id, session=s)
            outcomes.append("ok")
        except RuleRefused:
            outcomes.append("no room")
        finally:
            eng.dispose()

    threads = [threading.Thread(target=worker, args=(c,)) for c in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3 and outcomes.count("no room") == 5
    assert _show(engine)["offices"][0]["remaining"] == 0
    with session_scope(engine) as s:
        assert quotas.ledger_problems(session=s) == []


def _pool(engine, add_case) -> list[str]:
    """Four cases, made once per database (hypothesis reuses the function-scoped database)."""
    with session_scope(engine) as s:
        found = dict(s.connection().execute(text("SELECT applicant_iin, id FROM cases")).all())
    return [found.get(iin) or add_case("resettler", applicant={"iin": iin}) for iin in _iins(4)]


def _iins(n: int) -> list[str]:
    from migreg_desktop.rules.iin import check_digit

    out = []
    serial = 100
    while len(out) < n:
        first = f"9001013{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            out.append(first + str(digit))
        serial += 1
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slots=st.integers(0, 6), ops=st.lists(st.tuples(st.sampled_from(["reserve", "release"]), st.integers(0, 3)),
                                              max_size=12))
def test_ledger_invariant_property(engine, add_case, slots, ops):
    """Whatever the order of reservations and releases, remaining stays within 0..slots."""
    with session_scope(engine) as s:
        s.connection().execute(text("DROP TRIGGER IF EXISTS quota_ledger_no_delete"))
        s.connection().execute(text("DELETE FROM quota_ledger"))  # reset between examples
        s.connection().execute(text("DELETE FROM quota_allotment"))
    _allot(engine, slots)
    pool = _pool(engine, add_case)
    for action, n in ops:
        try:
            with session_scope(engine) as s:
                (quotas.reserve if action == "reserve" else quotas.release)(pool[n], session=s)
        except UserError:
            pass
        except RuleRefused:
            pass
        office = _show(engine)["offices"][0]
        assert 0 <= office["remaining"] <= slots
    with session_scope(engine) as s:
        assert quotas.ledger_problems(session=s) == []
