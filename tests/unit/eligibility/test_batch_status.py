"""A batch status change (issue 15): one unit of work, all or nothing, one audit entry, cancel, undo."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from migreg_desktop.accounts.audit_chain import verify_connection
from migreg_desktop.eligibility import batch_status, case_status, quotas
from migreg_desktop.errors import Cancelled, RuleRefused, UserError
from migreg_desktop.storage.db import session_scope

from ...conftest import count_rows
from .test_quotas import _iins


def _statuses(engine, ids):
    with engine.connect() as con:
        rows = dict(con.execute(text("SELECT id_text(id), status FROM cases")).all())
    return [rows[i] for i in ids]


def _history(engine, case_id):
    with engine.connect() as con:
        return con.execute(text("SELECT from_status, to_status FROM status_change WHERE case_id = id_db(:c) "
                                "ORDER BY at, id"), {"c": case_id}).all()


def _chain_ok(engine):
    with engine.connect() as con:
        return verify_connection(lambda sql, *a: con.exec_driver_sql(sql, *a)).ok


@pytest.fixture
def three(add_case):
    return [add_case("kandas"), add_case("resettler"), add_case("intra_oblast")]


def test_changes_every_case_in_one_operation(engine, work, three):
    seen = []
    with work.session() as s:
        result = batch_status.change_many(three, "submitted", "checked together", session=s,
                                          progress=lambda d, t: seen.append((d, t)))
    assert result["changed"] == 3 and [c["to"] for c in result["cases"]] == ["submitted"] * 3
    assert {c["from"] for c in result["cases"]} == {"draft"}
    assert _statuses(engine, three) == ["submitted"] * 3
    assert seen[-1] == (3, 3)
    for cid in three:  # the per-case history stays as for one change
        assert _history(engine, cid)[-1] == ("draft", "submitted")
    with engine.connect() as con:
        ops = con.execute(text("SELECT entity_id, changes FROM audit_entry WHERE action = 'status_batch'")).all()
    assert len(ops) == 1 and ops[0][0] == result["operation"]
    recorded = json.loads(ops[0][1])
    assert [c["id"] for c in recorded["cases"][1]] == three and recorded["comment"] == [None, "checked together"]
    assert _chain_ok(engine)


def test_first_refusal_rolls_back_everything_and_names_the_case(engine, work, three):
    with work.session() as s:
        case_status.change_status(three[1], "withdrawn", session=s)  # withdrawn → submitted is not allowed
    before = count_rows(engine, "status_change", "audit_entry")
    with pytest.raises(batch_status.BatchRefused) as err, work.session() as s:
        batch_status.change_many(three, "submitted", session=s)
    with session_scope(engine) as s:
        number = s.execute(text("SELECT number FROM cases WHERE id = id_db(:c)"), {"c": three[1]}).scalar_one()
    assert number in err.value.message() and "Nothing was changed" in err.value.message()
    assert err.value.exit_code == 2  # the refusal's own code: a transition the table forbids
    assert _statuses(engine, three) == ["draft", "withdrawn", "draft"]
    assert count_rows(engine, "status_change", "audit_entry") == before


def test_refusal_is_told_in_the_clerks_language(engine, work, three):
    from migreg_desktop import i18n

    with work.session() as s:
        case_status.change_status(three[0], "withdrawn", session=s)
    with pytest.raises(batch_status.BatchRefused) as err, work.session() as s:
        batch_status.change_many(three, "submitted", session=s)
    i18n.set_language("kk")
    try:
        assert "Ештеңе өзгертілмеді" in err.value.message()
    finally:
        i18n.set_language("en")


def test_skip_refused_keeps_the_others_and_the_audit_chain(engine, work, three):
    with work.session() as s:
        case_status.change_status(three[1], "withdrawn", session=s)
    with work.session() as s:
        result = batch_status.change_many(three, "submitted", session=s, skip_refused=True)
    assert result["changed"] == 2 and len(result["skipped"]) == 1
    assert _statuses(engine, three) == ["submitted", "withdrawn", "submitted"]
    assert _chain_ok(engine)


def test_a_case_named_by_id_and_by_number_changes_once(engine, work, three):
    with session_scope(engine) as s:
        number = s.execute(text("SELECT number FROM cases WHERE id = id_db(:c)"), {"c": three[0]}).scalar_one()
    with work.session() as s:
        result = batch_status.change_many([three[0], number.lower(), three[1]], "submitted", session=s)
    assert result["changed"] == 2 and _history(engine, three[0])[-1] == ("draft", "submitted")


def test_unknown_case_is_named_and_nothing_changes(engine, work, three):
    with pytest.raises(batch_status.BatchRefused, match="ALM-NOPE"), work.session() as s:
        batch_status.change_many([three[0], "ALM-NOPE"], "submitted", session=s)
    assert _statuses(engine, three) == ["draft"] * 3


def test_cancel_rolls_back(engine, work, three):
    before = count_rows(engine, "status_change", "audit_entry")
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2  # cancel after two cases were changed

    with pytest.raises(Cancelled), work.session() as s:
        batch_status.change_many(three, "submitted", session=s, cancelled=cancelled)
    assert _statuses(engine, three) == ["draft"] * 3
    assert count_rows(engine, "status_change", "audit_entry") == before


@pytest.mark.parametrize(("refs", "status"), [([], "submitted"), (["  "], "submitted"), (["x"], "nonsense")])
def test_bad_input_is_refused_before_anything(work, three, refs, status):
    with pytest.raises(UserError), work.session() as s:
        batch_status.change_many(refs or [], status, session=s)


def test_undo_reverts_as_a_new_audited_operation(engine, work, three):
    with work.session() as s:
        op = batch_status.change_many(three, "submitted", session=s)["operation"]
    with work.session() as s:
        result = batch_status.undo(op, session=s)
    assert result["undone"] == 3 and _statuses(engine, three) == ["draft"] * 3
    assert _history(engine, three[0])[-2:] == [("draft", "submitted"), ("submitted", "draft")]
    with engine.connect() as con:
        assert con.execute(text("SELECT count(*) FROM audit_entry WHERE action = 'status_batch_undo' "
                                "AND entity_id = :o"), {"o": op}).scalar_one() == 1
    with pytest.raises(UserError, match="already undone"), work.session() as s:
        batch_status.undo(op, session=s)
    assert _chain_ok(engine)


def test_undo_refuses_when_a_case_changed_since(engine, work, three):
    with work.session() as s:
        op = batch_status.change_many(three, "submitted", session=s)["operation"]
    with work.session() as s:
        case_status.change_status(three[2], "forwarded", session=s)
    with pytest.raises(RuleRefused, match="changed since"), work.session() as s:
        batch_status.undo(op, session=s)
    assert _statuses(engine, three) == ["submitted", "submitted", "forwarded"]  # nothing reverted


def test_undo_of_an_unknown_operation(work):
    with pytest.raises(UserError), work.session() as s:
        batch_status.undo("0190-nope", session=s)


def _allot(engine, slots):
    with session_scope(engine, actor="oblast") as s:
        quotas.set_quota(2026, "550000000", "resettler", 1655, "persons", session=s)
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", slots, session=s)


def _reserved(engine):
    with session_scope(engine) as s:
        q = next(q for q in quotas.show(2026, session=s)["quotas"]
                 if q["region"] == "550000000" and q["kind"] == "resettler")
    return q["offices"][0]["reserved"]


def test_undo_of_a_withdrawal_takes_the_released_places_again(engine, work, add_case):
    _allot(engine, 10)
    cid = add_case("resettler")
    with session_scope(engine, actor="clerk") as s:
        held = quotas.reserve(cid, session=s)["persons"]
    with work.session() as s:
        op = batch_status.change_many([cid], "withdrawn", session=s)["operation"]
    assert _reserved(engine) == 0
    with work.session() as s:
        batch_status.undo(op, session=s)
    assert _reserved(engine) == held and _statuses(engine, [cid]) == ["draft"]


def test_undo_refuses_when_the_released_places_were_taken(engine, work, add_case):
    _allot(engine, 1)  # persons mode: a family counts one place
    first, second = (add_case("resettler", applicant={"iin": iin}) for iin in _iins(2))
    with session_scope(engine, actor="clerk") as s:
        quotas.reserve(first, session=s)
    with work.session() as s:
        op = batch_status.change_many([first], "withdrawn", session=s)["operation"]
    with session_scope(engine, actor="clerk") as s:
        quotas.reserve(second, session=s)  # the freed places go to another family
    with pytest.raises(RuleRefused, match="taken meanwhile"), work.session() as s:
        batch_status.undo(op, session=s)
    assert _statuses(engine, [first]) == ["withdrawn"]


def test_cases_and_their_places_are_read_in_lists_of_the_chunk(engine, work, three, monkeypatch):
    """More cases than one IN list holds: every case is found and changed once (lists of 2 here,
    ``PRELOAD_CHUNK`` ids and numbers each, by storage.reader.in_lists)."""
    monkeypatch.setattr(batch_status, "PRELOAD_CHUNK", 2)
    with work.session() as s:
        numbers = [s.connection().exec_driver_sql("SELECT number FROM cases WHERE id = id_db(?)", (three[0],)).scalar()]
        result = batch_status.change_many([*three, *numbers], "submitted", None, session=s)
    assert result["changed"] == 3 and _statuses(engine, three) == ["submitted"] * 3
