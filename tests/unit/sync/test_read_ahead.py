"""sync/apply._ahead: the import checks batch n+1 on a second thread while batch n is written
(issue 17 §3). Order kept, at most one batch waiting, the reader's error raised in the writer,
and a writer that stops (an error, a cancel) stops the reader."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from migreg_desktop.sync.apply import _ahead
from migreg_desktop.sync.container import Rejected


def test_items_arrive_in_order():
    assert list(_ahead(iter(range(50)))) == list(range(50))


def test_at_most_one_waits_besides_the_one_being_made():
    made: list[int] = []

    def items() -> Iterator[int]:
        for i in range(10):
            made.append(i)
            yield i

    it = _ahead(items())
    assert next(it) == 0
    time.sleep(0.3)  # the reader runs ahead as far as it may
    assert len(made) <= 3  # 0 taken, 1 waiting, 2 made and blocked on the full queue
    assert list(it) == list(range(1, 10))


def test_the_readers_error_is_raised_in_the_writer():
    def items() -> Iterator[int]:
        yield 1
        raise Rejected("bad_schema", "The package envelope is not valid.")

    it = _ahead(items())
    assert next(it) == 1
    with pytest.raises(Rejected) as err:
        next(it)
    assert err.value.reason_code == "bad_schema"


def test_a_writer_that_stops_stops_the_reader():
    made: list[int] = []

    def items() -> Iterator[int]:
        for i in range(10_000):
            made.append(i)
            yield i

    before = threading.active_count()
    with pytest.raises(RuntimeError):
        for i in _ahead(items()):
            if i == 3:
                raise RuntimeError("cancelled by the clerk")
    assert threading.active_count() == before  # joined, not left running
    assert len(made) < 10
