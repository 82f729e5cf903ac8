"""storage/bulk_write (issue 17 §3): multi-row statements write what executemany writes, and the
writer thread runs jobs in order, hands their errors to the caller and stops when the caller fails."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migreg_desktop.storage import bulk_write

SCHEMA = "CREATE TABLE t (k TEXT PRIMARY KEY, a, b NOT NULL)"
UPSERT = "ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = excluded.b"


def _con() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:", check_same_thread=False)
    con.execute(SCHEMA)
    return con


_CELL = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.booleans(),
                  st.text(max_size=6), st.binary(max_size=4))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), _CELL, _CELL.filter(lambda v: v is not None)), max_size=30),
       st.sampled_from([3, 7, 32_766]))
def test_multi_row_statements_write_what_executemany_writes(rows, limit):
    many, bulk = _con(), _con()
    many.executemany(f"INSERT INTO t (k, a, b) VALUES (?, ?, ?) {UPSERT}", rows)
    old = bulk_write.MAX_VARIABLES
    bulk_write.MAX_VARIABLES = limit  # a statement of one or two rows, or all of them
    try:
        bulk_write.insert(bulk, "INSERT INTO t (k, a, b)", "?, ?, ?", rows, UPSERT)
    finally:
        bulk_write.MAX_VARIABLES = old
    dump = "SELECT k, a, typeof(a), b, typeof(b) FROM t ORDER BY rowid"
    assert bulk.execute(dump).fetchall() == many.execute(dump).fetchall()


def test_a_row_that_breaks_a_constraint_fails_like_executemany():
    con = _con()
    with pytest.raises(sqlite3.IntegrityError):
        bulk_write.insert(con, "INSERT INTO t (k, a, b)", "?, ?, ?", [("x", 1, 2), ("y", 1, None)])


def test_a_row_of_the_wrong_length_is_refused_before_anything_is_bound():
    con = _con()
    with pytest.raises(sqlite3.ProgrammingError):
        bulk_write.insert(con, "INSERT INTO t (k, a, b)", "?, ?, ?", [("x", 1, 2), ("y", 1), ("z", 1, 2, 3)])
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


@pytest.mark.parametrize("threaded", [True, False])
def test_jobs_run_in_order_and_the_writer_is_done_when_the_block_ends(threaded):
    done: list[tuple[int, str]] = []
    with bulk_write.writer(threaded) as submit:
        for i in range(20):
            submit(lambda i=i: done.append((i, threading.current_thread().name)))
    assert [i for i, _ in done] == list(range(20))
    assert {name for _, name in done} == ({"migreg-writer"} if threaded else {threading.current_thread().name})


@pytest.mark.parametrize("threaded", [True, False])
def test_a_jobs_error_reaches_the_caller_and_no_later_job_runs(threaded):
    done: list[int] = []

    def job(i: int) -> None:
        if i == 3:
            raise sqlite3.IntegrityError("row 3")
        done.append(i)

    with pytest.raises(sqlite3.IntegrityError, match="row 3"), bulk_write.writer(threaded) as submit:
        for i in range(10):
            submit(lambda i=i: job(i))
    assert done == [0, 1, 2]


def test_the_callers_error_waits_for_the_running_job_and_drops_the_queued_ones():
    started, release = threading.Event(), threading.Event()
    done: list[int] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        done.append(0)

    with pytest.raises(KeyError), bulk_write.writer() as submit:
        submit(slow)
        started.wait(5)
        submit(lambda: done.append(1))  # queued behind the running job
        threading.Timer(0.05, release.set).start()
        raise KeyError("a rejected record")
    assert done == [0]  # the running job finished before the error went on; the queued one never ran
    assert not any(t.name == "migreg-writer" and t.is_alive() for t in threading.enumerate())


def test_batches_of_any_size_use_one_multi_row_shape_per_table():
    """Each shape stays prepared in the connection's statement cache (~1 MB for 11,000 values):
    batches of 2,000, 1,234 and 999 rows share one, the rows left over go one by one."""
    con = _con()
    shapes: set[int] = set()  # the rows of each multi-row statement (the callback sees values bound)
    con.set_trace_callback(lambda sql: shapes.add(sql.count("),(") + 1) if "),(" in sql else None)
    start = 0
    for size in (2000, 1234, 999):
        rows = [(f"k{start + i}", i, "b") for i in range(size)]
        bulk_write.insert(con, "INSERT INTO t (k, a, b)", "?, ?, ?", rows, UPSERT)
        start += size
    assert con.execute("SELECT count(*), count(DISTINCT k) FROM t").fetchone() == (4233, 4233)
    assert shapes == {bulk_write.MAX_ROWS}
