"""A bulk write that lets Python go on meanwhile (issue 17 §3: import 100,000 cases ≤ 30 s).

Python's sqlite3 releases the interpreter lock while SQLite executes a statement, so a second
thread can run Python at the same time — but ``executemany`` binds each row from Python and
steps once per row, and with another thread at work every one of those steps waits for the lock
again (a writer thread around ``executemany`` made an import slower, not faster). Here:

- ``insert`` writes many rows as few statements, ``INSERT … VALUES (…), (…), …`` with as many
  rows as SQLite's variable limit allows: all of a statement's values are bound at once (in C)
  and its rows are written in ONE step, during which the other thread runs. Same rows, same
  order, same ``ON CONFLICT`` handling as ``executemany`` of the one-row statement; a row that
  breaks a constraint fails its statement (and the caller's transaction is rolled back).
- ``Writer`` runs jobs, in the order given, on a thread of its own while the caller's thread
  parses and checks the next batch. Only one thread uses the connection at a time: while a
  writer is open, everything that touches the connection is a job handed to it.

Everything stays in the caller's single transaction: the writer never commits, and on any error
(a job's, or the caller's: a rejected record, a cancel) it stops, waits for the statement under
way, and the error reaches the caller, which rolls the whole import back.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

# Values and rows per statement (SQLite allows 32,766 values since 3.32; the connection's own
# limit is asked too). Each shape of statement stays prepared in the connection's statement cache
# (the last 128 used), ~0.1 KB a value (measured: 80 shapes of ~11,000 values, 76 MB): so a table
# gets ONE shape, full statements of the same number of rows, and the few rows left over go one
# by one (peak RSS ≤ 300 MB, issue 17 §3). Still ~480 person rows per step.
MAX_VARIABLES = 12_000
MAX_ROWS = 500


def _variables(con: Any) -> int:
    try:
        return min(MAX_VARIABLES, int(con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)))
    except AttributeError:  # a connection without getlimit (Python < 3.11): the old default
        return 999


def insert(con: Any, head: str, row_sql: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
    """``con.executemany(f"{head} VALUES ({row_sql}) {tail}", rows)``, in few statements.

    ``row_sql`` is one row's value list (``?, ?, id_db(?)`` …); each row gives its ``?``s in order."""
    if not rows:
        return
    n = row_sql.count("?")
    if n == 0 or set(map(len, rows)) != {n}:  # flattened, a short row would shift every value after it
        raise sqlite3.ProgrammingError(f"each row must give {n} values")
    per = max(1, min(MAX_ROWS, _variables(con) // n))
    full = len(rows) - len(rows) % per
    if full:
        sql = f"{head} VALUES {','.join([f'({row_sql})'] * per)} {tail}"
        for i in range(0, full, per):
            con.execute(sql, list(chain.from_iterable(rows[i:i + per])))
    if full < len(rows):  # fewer than one statement's rows: the one-row statement, one shape less
        con.executemany(f"{head} VALUES ({row_sql}) {tail}", rows[full:])


class Writer:
    """Jobs run in order on one thread (see the module's text). ``submit`` hands one over (it
    waits while ``depth`` jobs are queued: a bounded memory); ``close`` waits for all of them.
    A job's error stops the writer and is raised in the caller by the next ``submit`` or by
    ``close``; ``abandon`` (the caller failed) drops the queued jobs and waits for the running one."""

    def __init__(self, depth: int = 1) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="migreg-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None and not self._stopped:
                try:
                    job()
                except BaseException as exc:  # handed to the caller's thread, raised there
                    self._error = exc

    def _raise(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            self._stopped = True
            raise error

    def submit(self, job: Callable[[], None]) -> None:
        self._raise()
        self._jobs.put(job)

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        self._raise()

    def abandon(self) -> None:
        self._stopped = True
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()


@contextmanager
def writer(threaded: bool = True) -> Iterator[Callable[[Callable[[], None]], None]]:
    """``submit`` of a ``Writer`` for the block, closed (all jobs done) at its end; on an error
    in the block, abandoned before the error goes on. ``threaded=False`` runs each job at once
    on the caller's thread (the same order and the same errors: tests and profiles compare both)."""
    if not threaded:
        yield lambda job: job()
        return
    w = Writer()
    try:
        yield w.submit
    except BaseException:
        w.abandon()
        raise
    w.close()
