"""A big re-check shares its cases with a worker process (eligibility/bulk_check.py, issue 17 §4):
the decisions stored are the very ones of a check alone, a cancel stores nothing, a dead worker
costs time, never a decision, and a session with uncommitted writes checks alone.

Each check with a worker starts a process (~1 s): the tests here start few."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from migreg_desktop import parallel
from migreg_desktop.eligibility import bulk_check, eligibility
from migreg_desktop.errors import Cancelled
from migreg_desktop.storage import checkpoint

from ...conftest import work_session

# What a check leaves behind, but for the ids, uids and stamps each run gives anew.
_DECISIONS = ("SELECT id_text(d.case_id), d.verdict, d.eligible, d.results, d.rules_version, d.reference_version, "
              "d.case_version, d.trigger, d.by_user, g.digest, g.case_version, v.rules_version, v.reference_version "
              "FROM eligibility_decision d LEFT JOIN eligibility_digest g ON g.decision_id = d.id "
              "LEFT JOIN eligibility_versions v ON v.id = g.versions")
# a confirmation names its case's latest decision (by an id each run gives anew)
_CONFIRMED = ("SELECT id_text(k.case_id), k.case_version, k.rules_version, k.reference_version FROM eligibility_confirmed k "
              "WHERE k.decision_id = (SELECT max(id) FROM eligibility_decision d WHERE d.case_id = k.case_id)")


def _state(engine: Any) -> tuple[list[tuple[Any, ...]], set[tuple[Any, ...]], int]:
    """(every decision row as compared, the confirmations, the sync change rows)."""
    with engine.connect() as con:
        rows = sorted(tuple(r) for r in con.execute(text(_DECISIONS)).all())
        confirmed = {tuple(r) for r in con.execute(text(_CONFIRMED)).all()}
        logged = con.execute(text("SELECT count(*) FROM sync_change")).scalar_one()
    return rows, confirmed, logged


def _check_all(engine: Any, **kwargs: Any) -> tuple[dict[str, int], eligibility.Run]:
    run = eligibility.Run()
    with work_session(engine) as s:
        return eligibility.check_many(session=s, judge=run, **kwargs), run


def _scenario(engine: Any, **kwargs: Any) -> list[Any]:
    """First check, the unchanged second check, a check after new reference data: the counts
    and what is stored after each (and whether a worker judged a share)."""
    seen = []
    for step in ("first", "second", "new reference data"):
        if step == "new reference data":  # answers as before, versions moved: confirmations
            with engine.begin() as con:
                con.execute(text("UPDATE refdata_version SET version = version || '.b' "
                                 "WHERE dataset = 'settlement_potential'"))
        counts, run = _check_all(engine, **kwargs)
        seen.append((step, counts, _state(engine), run.shared is not None and run.shared.by_workers > 0))
    return seen


@pytest.fixture
def fresh(_demo_file: Path, demo: Any) -> Any:
    """``fresh(engine)``: the engine disposed, its database the demo's again, a new engine."""
    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import open_existing

    def again(engine: Any) -> Any:
        checkpoint.wait()  # a copy of the WAL must not write into the file copied over it
        engine.dispose()
        db = paths.db_path()
        for extra in ("-wal", "-shm"):
            Path(str(db) + extra).unlink(missing_ok=True)
        shutil.copyfile(_demo_file, db)
        return open_existing()
    return again


@pytest.fixture
def shared_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker for a check of a few hundred cases, in parts of a few dozen."""
    monkeypatch.setenv(parallel.ENV, "1")
    monkeypatch.setattr(bulk_check, "PARALLEL_FROM", 50)
    monkeypatch.setattr(bulk_check, "PART", 40)


def _without(monkeypatch: pytest.MonkeyPatch, fn: Any) -> Any:
    with monkeypatch.context() as m:
        m.setenv(parallel.ENV, "0")
        return fn()


def test_a_worker_stores_the_same_decisions_as_a_check_alone(demo, fresh, monkeypatch, shared_checks):
    alone = _without(monkeypatch, lambda: _scenario(demo))
    shared = _scenario(fresh(demo))
    assert [s[:3] for s in shared] == [a[:3] for a in alone]
    assert [s[3] for s in shared] == [True] * 3 and [a[3] for a in alone] == [False] * 3  # a worker judged a share
    first, second, new_ref = (s[1] for s in shared)
    assert first["changed"] == first["checked"] >= 300 and second["changed"] == new_ref["changed"] == 0
    assert shared[1][2] == shared[0][2]  # the unchanged check stored nothing, not even a sync change
    confirmed = shared[2][2][1]
    assert len(confirmed) == first["checked"] and not shared[1][2][1]  # every decision confirmed in place
    assert all(".b" in reference for *_rest, reference in confirmed)  # under the new reference data


def test_a_dead_worker_leaves_its_share_to_the_main_process(demo, fresh, monkeypatch, shared_checks):
    alone = _without(monkeypatch, lambda: _check_all(demo))
    expected = _state(demo)
    engine = fresh(demo)
    killed: list[int] = []

    def kill_the_workers(_done: int, _total: int) -> None:
        for child in multiprocessing.active_children():
            if child.pid and child.pid not in killed:
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)

    counts, run = _check_all(engine, progress=kill_the_workers)
    assert killed and run.shared is not None and run.shared.workers == 1
    assert counts == alone[0] and _state(engine) == expected


def test_a_cancel_stores_nothing(demo, shared_checks):
    before = _state(demo)
    calls: list[int] = []
    with pytest.raises(Cancelled):
        _check_all(demo, progress=lambda done, _total: calls.append(done), cancelled=lambda: len(calls) >= 2)
    assert _state(demo) == before and len(calls) == 2


def test_uncommitted_writes_keep_the_check_in_this_process(demo, monkeypatch, shared_checks):
    started: list[int] = []
    real = parallel.workers

    def spy(count: int, *args: Any, **kwargs: Any) -> Any:
        started.append(count)
        return real(count, *args, **kwargs)

    monkeypatch.setattr(parallel, "workers", spy)
    run = eligibility.Run()
    with work_session(demo) as s:  # a case changed in this transaction, not committed: a worker would not see it
        s.connection().exec_driver_sql("UPDATE cases SET has_job_offer = 1 - has_job_offer WHERE id IN "
                                       "(SELECT id FROM cases ORDER BY number LIMIT 5)")
        counts = eligibility.check_many(session=s, judge=run)
    assert counts["checked"] >= 300 and started == [] and run.shared is None
    _check_all(demo)  # the same session without the write: a worker takes a share (the spy sees it)
    assert started == [1]


def _recheck_open(engine: Any, **kwargs: Any) -> tuple[dict[str, int], eligibility.Run]:
    run = eligibility.Run()
    return eligibility.recheck_open_counts(lambda: work_session(engine), judge=run, batch=40, **kwargs), run


def test_the_open_cases_recheck_shares_its_parts_and_stores_what_it_stores_alone(demo, fresh, monkeypatch,
                                                                              shared_checks):
    def scenario(engine: Any) -> list[Any]:
        _without(monkeypatch, lambda: _check_all(engine))
        with engine.begin() as con:  # new reference data: every open case due again, a few answers move
            con.execute(text("UPDATE refdata_version SET version = version || '.b' WHERE dataset = 'settlement_potential'"))
            con.execute(text("UPDATE document SET expires_on = '2020-01-01' WHERE case_id IN "
                             "(SELECT id FROM cases WHERE status NOT IN ('refused', 'closed', 'withdrawn') "
                             "ORDER BY number DESC LIMIT 3)"))
        counts, run = _recheck_open(engine)
        return [counts, _state(engine), run.shared is not None and run.shared.by_workers > 0]

    alone = _without(monkeypatch, lambda: scenario(demo))
    shared = scenario(fresh(demo))
    assert shared[:2] == alone[:2] and shared[2] and not alone[2]
    assert shared[0]["changed"] == 3 and shared[0]["checked"] > 150
    assert any(".b" in reference for *_rest, reference in shared[1][1])  # the others confirmed


def test_a_part_judged_before_its_case_changed_is_not_stored_over_the_change(demo):
    """A worker's part of the open-case re-check is stored a moment after it was read: the rows of
    a case changed meanwhile (its version moved on) are dropped, the others kept."""
    from migreg_desktop.eligibility.changed_only import INSERT_COLUMNS, still_current

    with work_session(demo) as s:
        # the rows as compare() makes them: ready to bind, the case ids in their stored form
        cases = s.connection().execute(text("SELECT id, version FROM cases ORDER BY number LIMIT 4")).all()
        at = {name: i for i, name in enumerate(INSERT_COLUMNS)}

        def row(case_id: Any, version: int) -> tuple[Any, ...]:
            values = dict.fromkeys(INSERT_COLUMNS)
            values.update(case_id=case_id, case_version=version)
            return tuple(values[name] for name in INSERT_COLUMNS)

        (a, va), (b, vb), (c, vc), (d, vd) = cases
        changes = ([(row(a, va), 1), (row(b, vb - 1), 2)], [(c, 7, vc, "r", "x", "t"), (d, 8, vd + 1, "r", "x", "t")],
                   [(5, 9)])
        kept = still_current(s, changes)
    assert [r[at["case_id"]] for r, _digest in kept[0]] == [a]
    assert [r[0] for r in kept[1]] == [c] and kept[2] == [(5, 9)]


def _with_old_ids(engine: Any, fresh: Any, n: int = 7) -> Any:
    """The demo with its last ``n`` cases under ids a partner's older program made (not canonical
    UUIDs: stored as text, ids.py), their papers, family and ledger following."""
    from migreg_desktop import paths

    engine.dispose()
    con = sqlite3.connect(paths.db_path())
    con.execute("PRAGMA foreign_keys = OFF")
    with con:
        old = [r[0] for r in con.execute("SELECT id FROM cases ORDER BY id DESC LIMIT ?", (n,))]
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if "case_id" in {c[1] for c in con.execute(f"PRAGMA table_info({t})")}]
        for i, stored in enumerate(old):
            new = f"P-OLD-{i}"
            con.execute("UPDATE cases SET id = ? WHERE id = ?", (new, stored))
            for table in tables:
                con.execute(f"UPDATE {table} SET case_id = ? WHERE case_id = ?", (new, stored))
    con.close()
    from migreg_desktop.refdata.setup import open_existing

    return open_existing()


def test_cases_under_ids_kept_as_text_are_judged_as_alone(demo, fresh, monkeypatch, shared_checks):
    """Such ids sort after the 16-byte ones: the last parts are not a range of stored ids, and
    their cases are looked up one by one (bulk_check.judge_ids), in a worker as here."""
    engine = _with_old_ids(demo, fresh)
    alone = _without(monkeypatch, lambda: _check_all(engine)[0])
    expected = _state(engine)
    engine = _with_old_ids(fresh(engine), fresh)
    counts, run = _check_all(engine)
    assert run.shared is not None and run.shared.by_workers > 0  # the worker takes the last parts first
    assert counts == alone and _state(engine) == expected
    assert sum(1 for row in expected[0] if row[0].startswith("P-OLD-")) == 7


def test_a_shared_check_reads_its_workers_results_in_quick_turns(demo, shared_checks):
    """A part's result is big (rows with their texts): while the check runs, threads take short
    turns, so the pool's result thread reads it at once (parallel.quick_turns); then as before."""
    import sys

    before, seen = sys.getswitchinterval(), set()
    counts, run = _check_all(demo, progress=lambda _done, _total: seen.add(sys.getswitchinterval()))
    assert run.shared is not None and run.shared.by_workers > 0 and counts["checked"] >= 300
    assert seen == {parallel.TURN} and sys.getswitchinterval() == before
