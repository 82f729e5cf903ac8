"""The unit of work (issue 13 §1): changes travel with the transaction, a rollback drops them, the
one re-check policy runs after the commit, then the doors are told — and nothing listens globally."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from migreg_desktop import changes
from migreg_desktop.cases import cases
from migreg_desktop.changes import Changes
from migreg_desktop.eligibility import eligibility
from migreg_desktop.eligibility.watch import needs_full_recheck, unit_of_work
from migreg_desktop.storage import triggers
from migreg_desktop.storage.db import session_scope
from migreg_desktop.storage.unit_of_work import UnitOfWork

from ..conftest import example_case


def test_changes_merge_once_in_order():
    a = Changes((("case_changed", "1"), ("refdata_changed", "quotas")))
    b = Changes((("case_changed", "1"), ("case_changed", "2")))
    assert (a | b).case_ids == ["1", "2"] and (a | b).datasets == ["quotas"]
    assert not Changes() and needs_full_recheck(a) and not needs_full_recheck(b)
    with pytest.raises(ValueError):
        changes.record(type("S", (), {"info": {}})(), "no_such_kind")


def test_a_commit_hands_its_changes_to_the_follow_ups_then_to_notify(engine):
    seen: list[Changes] = []
    follow = []
    work = UnitOfWork(engine, "tester", follow_ups=(lambda done, _w: follow.append(done) or Changes(),),
                      notify=seen.append)
    case, done = work.run(lambda s: cases.register_case(example_case("kandas"), session=s, confirm_warnings=True))
    assert done.case_ids == [case.id] and follow == [done] and seen == [done]


def test_a_rollback_changes_nothing_and_tells_nobody(engine):
    seen: list[Changes] = []
    work = UnitOfWork(engine, "tester", notify=seen.append)
    with pytest.raises(RuntimeError), work.session() as s:
        cases.register_case(example_case("kandas"), session=s, confirm_warnings=True)
        raise RuntimeError("the clerk's PC lost power")
    assert seen == []


def test_the_re_check_policy_runs_after_a_case_is_saved(engine):
    work = unit_of_work(engine, "tester")
    with work.session() as s:
        cid = cases.register_case(example_case("resettler"), session=s, confirm_warnings=True).id
    with session_scope(engine) as s:
        assert [d.trigger for d in eligibility.history(cid, session=s)] == ["case_changed"]


def test_a_bare_transaction_re_checks_nothing(engine):
    """No listener installed by importing a module: outside the unit of work nothing follows."""
    with session_scope(engine, actor="tester") as s:
        cid = cases.register_case(example_case("resettler"), session=s, confirm_warnings=True).id
    with session_scope(engine) as s:
        assert eligibility.history(cid, session=s) == []
    assert not event.contains(Pool, "checkout", triggers.on_checkout)  # per engine, not global
    assert event.contains(engine.pool, "checkout", triggers.on_checkout)
