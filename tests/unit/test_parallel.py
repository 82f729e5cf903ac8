"""migreg_desktop.parallel: results in the items' order, from worker processes or from here, and
a dead worker costs time, never the job (issue 17 §3)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

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


def _sum_where(part: list[int]) -> tuple[int, bool]:
    return sum(part), multiprocessing.parent_process() is not None


def _sum_or_die(part: list[int]) -> tuple[int, bool]:
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return sum(part), False


def test_shared_parts_cover_every_item_once_worked_on_here_and_in_a_worker():
    items = list(range(300))
    with parallel.workers(1) as pool:
        got = list(parallel.shared(_sum_where, items, pool, ahead=2, most=20, least=5))
    parts = [list(part) for part, _result in got]
    assert sorted(x for part in parts for x in part) == items  # each item in exactly one part
    assert all(result[0] == sum(part) for part, result in got)
    assert {in_worker for _part, (_s, in_worker) in got} == {True, False}  # both ends worked on
    assert 299 in next(p for p, (_s, in_worker) in got if in_worker)  # the worker takes from the back
    assert min(len(p) for p in parts) < 20  # the parts shrink towards the end


def test_shared_parts_of_a_dead_worker_are_worked_on_here():
    items = list(range(50))
    with parallel.workers(1) as pool:
        got = list(parallel.shared(_sum_or_die, items, pool, here=_sum_where, most=10, least=2))
    assert sorted(x for part, _r in got for x in part) == items
    assert all(result == (sum(part), False) for part, result in got)


def _sum_or_fail(part: list[int]) -> tuple[int, bool]:
    if multiprocessing.parent_process() is not None:
        raise OSError("no database file there")  # the worker's environment, not the work
    return sum(part), False


def test_shared_parts_that_failed_in_a_worker_are_worked_on_here():
    with parallel.workers(1) as pool:
        got = list(parallel.shared(_sum_or_fail, list(range(40)), pool, most=10, least=2))
    assert sorted(x for part, _r in got for x in part) == list(range(40))
    assert all(result == (sum(part), False) for part, result in got)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads a process's state in /proc")
def test_a_worker_ends_when_its_program_is_killed():
    program = ("import os\nfrom migreg_desktop import parallel\nwith parallel.workers(1) as pool:\n"
               "    print(pool.submit(os.getpid).result(), flush=True)\n    os.kill(os.getpid(), 9)\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    worker = Path(f"/proc/{int(done.stdout.split()[0])}/status")
    for _ in range(100):  # a killed program's worker used to wait for work for ever
        if not worker.exists() or "\nState:\tZ" in worker.read_text():
            return
        time.sleep(0.1)
    raise AssertionError("the worker process outlived its program")


class _Teardown:
    """Writes its file when Python frees it: at a worker's teardown, if the worker has one."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __del__(self) -> None:
        Path(self.path).write_text("torn down", encoding="utf-8")


_KEPT: list[_Teardown] = []


def _keep_until_exit(path: str) -> int:
    _KEPT.append(_Teardown(path))
    return os.getpid()


def test_a_worker_ends_without_pythons_teardown_once_its_work_is_done(tmp_path):
    """Freeing a worker's objects one by one took ~0.5 s after a check of 100,000 cases, and the
    pool's shutdown waits for it (parallel._end_now): its results come back, its objects are not freed."""
    marker = tmp_path / "torn-down"
    with parallel.workers(1) as pool:
        assert pool is not None
        assert pool.submit(_keep_until_exit, str(marker)).result(timeout=60) != os.getpid()
    assert not marker.exists()
    here = _Teardown(str(tmp_path / "here"))  # the marker works: freed here, it writes its file
    del here
    assert (tmp_path / "here").exists()


def test_threads_take_quick_turns_while_a_pool_works_and_as_before_after():
    """A worker's result is read a pipe's worth per turn of the interpreter lock: while a pool
    with big results works the turns are short (a long send held the worker), and afterwards as
    they were, also when two such blocks overlap."""
    before = sys.getswitchinterval()
    with parallel.workers(1) as pool, parallel.quick_turns():
        assert pool is not None and sys.getswitchinterval() == parallel.TURN < before
        with parallel.quick_turns():
            assert sys.getswitchinterval() == parallel.TURN
        assert sys.getswitchinterval() == parallel.TURN  # the outer block still runs
        assert [r for r, _ in parallel.ordered(_square_where, [1, 2], pool)] == [1, 4]
    assert sys.getswitchinterval() == before
    with parallel.workers(1):  # a pool alone (an import's): the turns as they were
        assert sys.getswitchinterval() == before


def _mark_started(path: str) -> None:
    Path(path).write_text(str(os.getpid()), encoding="utf-8")


@pytest.mark.parametrize("start", [True, False])
def test_started_workers_set_up_before_any_job(tmp_path, start):
    """``start``: the processes start (and run their set-up) at once, beside the caller's own
    set-up; otherwise at the first job."""
    mark = tmp_path / "started"
    with parallel.workers(1, _mark_started, (str(mark),), start=start) as pool:
        deadline = time.monotonic() + 20
        while not mark.exists() and time.monotonic() < deadline and start:
            time.sleep(0.05)
        assert mark.exists() == start
        assert [r for r, _ in parallel.ordered(_square_where, [3], pool)] == [9]
    assert mark.exists() and int(mark.read_text(encoding="utf-8")) != os.getpid()


class _SlowPool:
    """An executor whose worker finishes one part each time this process finishes one (``step``):
    it records, at each part handed to it, what it still held and what was left to hand out."""

    def __init__(self, total: int) -> None:
        from concurrent.futures import Future

        self.future, self.total, self.handed = Future, total, 0
        self.pending: list[tuple[Any, list[int]]] = []
        self.seen: list[tuple[int, int]] = []

    def submit(self, fn: Any, part: list[int]) -> Any:
        held = sum(len(p) for f, p in self.pending if not f.done())
        self.seen.append((held, self.total - self.handed))
        self.handed += len(part)
        future = self.future()
        self.pending.append((future, part))
        return future

    def step(self, part: list[int]) -> int:
        self.handed += len(part)
        for future, held in self.pending:
            if not future.done():
                future.set_result(sum(held))
                if self.handed < self.total:  # else nothing is left here: the worker ends its parts
                    break
        return sum(part)


def test_the_pool_never_holds_more_than_is_left_to_hand_out():
    """With several parts ahead, the pool would otherwise hold the last third of the work while
    this process has none left: the end of a shared check waited for it."""
    items = list(range(3000))
    pool = _SlowPool(len(items))
    got = list(parallel.shared(sum, items, pool, here=pool.step, ahead=4, most=250, least=25))  # type: ignore[arg-type]
    assert sorted(x for part, _r in got for x in part) == items  # each item once
    assert len(pool.seen) > 4 and all(held <= left for held, left in pool.seen[1:])
