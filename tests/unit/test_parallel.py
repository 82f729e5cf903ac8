"""migreg_desktop.parallel: results in the items' order, from worker processes or from here, and
a dead worker costs time, never the job (issue 17 §3)."""

from __future__ import annotations

import multiprocessing
import os

from migreg_desktop import parallel


def _square_where(x: int) -> tuple[int, bool]:
    return x * x, multiprocessing.parent_process() is not None


def _die_in_worker(x: int) -> int:
    if multiprocessing.parent_process() is not None and x == 3:
        os._exit(1)  # a worker killed mid-job (out of memory, an antivirus …)
    return x * 10


_SET_UP: list[str] = []


def test_results_keep_the_items_order_and_come_from_a_worker():
    with parallel.workers(1) as pool:
        got = list(parallel.ordered(_square_where, range(12), pool, ahead=3))
    assert [r for r, _ in got] == [x * x for x in range(12)]
    assert all(in_worker for _, in_worker in got)


def test_without_a_pool_the_items_are_worked_on_here_after_init():
    with parallel.workers(0) as pool:
        assert pool is None
        got = list(parallel.ordered(_square_where, range(5), pool, init=lambda: _SET_UP.append("here")))
    assert got == [(x * x, False) for x in range(5)] and _SET_UP == ["here"]


def test_a_dead_worker_leaves_its_items_to_this_process():
    _SET_UP.clear()
    with parallel.workers(1) as pool:
        got = list(parallel.ordered(_die_in_worker, range(8), pool, ahead=2, init=lambda: _SET_UP.append("here")))
    assert got == [x * 10 for x in range(8)]
    assert _SET_UP == ["here"]  # set up once, when the pool broke


def test_the_setting_chooses_how_many_workers(monkeypatch):
    monkeypatch.setenv(parallel.ENV, "0")
    assert parallel.spare_cores() == 0
    monkeypatch.setenv(parallel.ENV, "99")
    assert parallel.spare_cores() == parallel.MAX_WORKERS
    monkeypatch.delenv(parallel.ENV)
    assert 0 <= parallel.spare_cores() <= parallel.MAX_WORKERS
