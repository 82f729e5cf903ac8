"""A second core for the CPU-bound half of a long job (issue 17 §3, §4).

Python runs one thread's bytecode at a time, so the threads of an import or a re-check share one
core whatever the machine has. A big job hands pure, self-contained pieces of its work (a batch
of package lines to check, a share of the cases to judge) to worker *processes* instead.

- Processes are started with ``spawn`` on every system: Windows knows nothing else, and forking a
  process that runs Qt or a writer thread is unsafe.
- A worker function takes and returns plain picklable values; a problem it finds is a value it
  returns, not an exception (the project's exceptions carry message ids and are raised again by
  the caller, in the clerk's language).
- If no process can be started or one dies, the work is done here instead: a slower job, never a
  failed one.
- ``MIGREG_WORKERS`` sets the number of worker processes (``0``: none, everything here), e.g. for a
  PC that should keep a core free. By default, one fewer than the cores this process may use.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported when used: ~80 ms the command line's start need not pay
    from concurrent.futures import Executor, Future

T = TypeVar("T")
R = TypeVar("R")
ENV = "MIGREG_WORKERS"
MAX_WORKERS = 4


def child_entry() -> None:
    """First thing in a program's ``main``: in a frozen build (one .exe) a worker process starts
    the program again, and must become the worker here instead of opening a window. A no-op
    otherwise (without importing multiprocessing: the command line starts fast)."""
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()


def spare_cores() -> int:
    """Worker processes a job may start: ``MIGREG_WORKERS``, else the usable cores but one."""
    setting = os.environ.get(ENV, "").strip()
    if setting.isdigit():
        return min(int(setting), MAX_WORKERS)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(usable - 1, MAX_WORKERS))


@contextmanager
def workers(count: int, initializer: Callable[..., None] | None = None,
            initargs: tuple[Any, ...] = (), *, start: bool = False) -> Iterator[Executor | None]:
    """``count`` worker processes (None when ``count`` is 0), stopped when the block ends: on an
    error or a cancel the work not yet started is dropped, not waited for. A worker ends without
    Python's teardown (``_end_now``): a job leaves nothing to it (files closed, no finalizer
    that writes). ``start``: the processes start now, not at the first job, so that their start
    (spawn, imports, ``initializer``: ~0.2 s) runs beside the caller's own set-up."""
    if count <= 0:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_child_start, initargs=(initializer, initargs))
    try:
        if start:
            _start(pool, count)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(pool: Executor, count: int) -> None:
    from concurrent.futures.process import BrokenProcessPool

    try:
        for _ in range(count):  # the pool starts a process for a job while none is idle
            pool.submit(_nothing)
    except (BrokenProcessPool, RuntimeError, OSError):  # no process starts: the first real job finds out
        pass


def _nothing() -> None:
    return None


TURN = 0.0005  # s: this process's thread switch interval while worker processes send big results
_turns = threading.Lock()
_pools = [0, 0.0]  # pools open, the interval before the first


@contextmanager
def quick_turns() -> Iterator[None]:
    """Threads take turns at ``TURN`` instead of Python's 5 ms while the block runs: for a pool
    whose results are big. The pool's result thread reads a worker's result through a pipe of
    64 KB, a piece per turn of the interpreter lock, while this process's own thread judges or
    writes: a part's result of ~1.3 MB (`check --all`, issue 17 §4) held the worker in its send
    for ~0.1 s, a fifth of the part's work. The interval only matters when a thread waits for
    the lock; nested or overlapping blocks keep the short turns until the last one ends."""
    with _turns:
        if _pools[0] == 0:
            _pools[1] = sys.getswitchinterval()
            sys.setswitchinterval(min(TURN, _pools[1]))
        _pools[0] += 1
    try:
        yield
    finally:
        with _turns:
            _pools[0] -= 1
            if _pools[0] == 0:
                sys.setswitchinterval(_pools[1])


def _child_start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker's first step: it ends when its program ends, however that ended (a worker whose
    program was killed would otherwise wait for work for ever), and once stopped it ends without
    Python's teardown (``_end_now``); then the job's own set-up."""
    import atexit
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
        atexit.register(_end_now)
    if initializer is not None:
        initializer(*initargs)


def _end_with(parent: Any) -> None:
    parent.join()  # returns when the parent process is gone
    os._exit(1)


def _end_now() -> None:
    """A worker's end without Python's teardown, once its work is done (an exit handler: after the
    pool stopped it; process_end.py): freeing each object it made, one by one, took ~0.5 s after a
    check of 100,000 cases (its facts and caches), and the program waits for it (``workers``'
    shutdown). A worker writes nothing (read-only connection, results sent back)."""
    from migreg_desktop.process_end import end

    end(0, handlers=False)


def ordered(fn: Callable[[T], R], items: Iterable[T], pool: Executor | None, *, ahead: int = 4,
            init: Callable[[], None] | None = None) -> Iterator[R]:
    """``fn(item)`` for each item, in the items' order: up to ``ahead`` items are worked on by the
    pool while the caller uses the results before them. Without a pool, or once the pool broke,
    the items are worked on here (after ``init()``, which sets this process up as the pool's
    initializer set up the workers)."""
    for _item, result in paired(fn, items, pool, ahead=ahead, init=init):
        yield result


def paired(fn: Callable[[T], R], items: Iterable[T], pool: Executor | None, *, ahead: int = 4,
           init: Callable[[], None] | None = None) -> Iterator[tuple[T, R]]:
    """``ordered``, each result with its item (held only until its result is taken: no copy of the
    items kept aside, as ``itertools.tee`` would keep up to 57 of them)."""
    from concurrent.futures.process import BrokenProcessPool

    waiting: deque[tuple[T, Future[R] | None]] = deque()
    local = [pool is None]
    if local[0] and init:
        init()

    def start(item: T) -> None:
        if not local[0]:
            try:
                waiting.append((item, pool.submit(fn, item)))  # type: ignore[union-attr]
                return
            except (BrokenProcessPool, RuntimeError):
                _go_local(local, init)
        waiting.append((item, None))

    for item in items:
        start(item)
        if len(waiting) > ahead:
            yield _take(fn, waiting, local, init)
    while waiting:
        yield _take(fn, waiting, local, init)


def _take(fn: Callable[[T], R], waiting: deque[tuple[T, Future[R] | None]], local: list[bool],
          init: Callable[[], None] | None) -> tuple[T, R]:
    from concurrent.futures.process import BrokenProcessPool

    item, future = waiting.popleft()
    if future is not None:
        try:
            return item, future.result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): this item done here
            _go_local(local, init)
    return item, fn(item)


def _go_local(local: list[bool], init: Callable[[], None] | None) -> None:
    if not local[0]:
        local[0] = True
        if init:
            init()


def shared(fn: Callable[[Sequence[T]], R], items: Sequence[T], pool: Executor | None, *,
           here: Callable[[Sequence[T]], R] | None = None, ahead: int = 2, most: int = 1000,
           least: int = 100) -> Iterator[tuple[Sequence[T], R]]:
    """The items worked on in parts, each part once, by the pool (``fn(part)``) or here
    (``here(part)``, else ``fn``), yielded with its result as the results come. The pool takes
    its parts from the back of the items (up to ``ahead`` parts at a time; the first before
    anything is done here) while this process works from the front, so both are busy until they
    meet, and a pool slow to start simply takes fewer (issue 17 §4). A part is a sixth of what is
    left (``least`` to ``most`` items): the parts shrink towards the end, so neither side waits
    long for the other's last one. Without a pool, or once it broke, every part is done here; a
    part that failed in a worker is done here again (a real fault then raises here)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    work_here = here or fn
    front, back = 0, len(items)  # items[front:back] not handed out yet
    flight: list[tuple[Sequence[T], Future[R]]] = []
    broken = [pool is None]

    def size() -> int:
        return min(back - front, max(least, min(most, (back - front) // 6)))

    def top_up() -> None:
        nonlocal back
        # never more in the pool than is left to hand out: at the end neither side waits long
        while not broken[0] and len(flight) < ahead and front < back \
                and (not flight or sum(len(p) for p, _f in flight) <= back - front):
            part = items[back - size():back]
            try:
                flight.append((part, pool.submit(fn, part)))  # type: ignore[union-attr]
            except (BrokenProcessPool, RuntimeError, OSError):  # broken, shut down, or no process starts
                broken[0] = True
                return
            back -= len(part)

    top_up()
    while front < back or flight:
        for done in [f for f in flight if f[1].done()]:
            flight.remove(done)
            yield done[0], _outcome(done[1], done[0], work_here, broken)
        top_up()
        if front < back:
            part = items[front:front + size()]
            front += len(part)
            yield part, work_here(part)
        elif flight:
            wait([future for _part, future in flight], return_when=FIRST_COMPLETED)


def _outcome(future: Future[R], part: Sequence[T], here: Callable[[Sequence[T]], R], broken: list[bool]) -> R:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:  # a worker died: this part, and every one not handed out, done here
        broken[0] = True
        return here(part)
    except Exception:  # noqa: BLE001 - failed there (a worker's environment): done here, where a real fault raises again
        return here(part)
