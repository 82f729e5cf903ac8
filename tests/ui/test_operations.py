"""The window's one operation runner (issue 13 §2): progress on the GUI thread, cancel, errors,
the result, several jobs at once, and a bounded wait when the window closes."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from migreg_desktop import i18n
from migreg_desktop.errors import Cancelled, UserError
from migreg_desktop.ui.operations import OperationRunner, stop_at_progress


@pytest.fixture
def runner() -> Any:
    crashes: list[Any] = []
    ops = OperationRunner(crash=lambda *exc_info: crashes.append(exc_info))
    ops.crashes = crashes  # type: ignore[attr-defined]
    yield ops
    assert ops.shutdown(10)


def _on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_progress_arrives_on_the_gui_thread_and_done_carries_the_result(qtbot, runner):
    seen: list[tuple[int, int, bool]] = []
    job_threads: list[bool] = []

    def job(progress, _is_cancelled):  # noqa: ANN001, ANN202
        job_threads.append(_on_gui_thread())
        for i in range(1, 4):
            progress(i, 3)
        return {"answer": 42}

    task = runner.run(job, progress=lambda d, t: seen.append((d, t, _on_gui_thread())))
    with qtbot.waitSignal(task.done, timeout=10000) as blocker:
        pass
    assert blocker.args == [{"answer": 42}] and task.result == {"answer": 42}
    assert job_threads == [False]  # the function ran off the GUI thread
    assert seen and seen[-1] == (3, 3, True) and all(gui for _d, _t, gui in seen)
    assert not runner.tasks


def test_progress_is_throttled_but_the_last_value_arrives(qtbot, runner):
    seen: list[tuple[int, int]] = []

    def job(progress, _is_cancelled):  # noqa: ANN001, ANN202
        for i in range(20000):
            progress(i, 20000)  # never "done >= total": only the flush at the end sends the last
        return None

    task = runner.run(job, progress=lambda d, t: seen.append((d, t)))
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    assert 1 <= len(seen) < 500 and seen[-1] == (19999, 20000)


def test_cancel_stops_the_job_and_reports_cancelled(qtbot, runner):
    started, outcome = threading.Event(), []

    def job(_progress, is_cancelled):  # noqa: ANN001, ANN202
        started.set()
        while not is_cancelled():
            time.sleep(0.01)
        raise Cancelled()

    task = runner.run(job, done=lambda r: outcome.append(("done", r)), failed=lambda m: outcome.append(("failed", m)),
                      cancelled=lambda: outcome.append(("cancelled",)))
    assert started.wait(10) and task.is_running()
    with qtbot.assertNotEmitted(task.failed), qtbot.waitSignal(task.cancelled, timeout=10000):
        task.cancel()
    qtbot.waitUntil(lambda: not runner.tasks, timeout=5000)
    assert outcome == [("cancelled",)] and not task.is_running()


def test_a_cancel_without_its_own_callback_tells_failed_in_the_clerks_language(qtbot, runner):
    i18n.set_language("ru")
    said: list[str] = []
    task = runner.run(lambda _p, _c: (_ for _ in ()).throw(Cancelled()), failed=lambda m: said.append(m))
    with qtbot.waitSignal(task.cancelled, timeout=10000):
        pass
    assert said == [i18n._("Cancelled; nothing was changed.")] and said[0] != "Cancelled; nothing was changed."


def test_a_user_error_reaches_failed_translated_on_the_gui_thread(qtbot, runner):
    gate = threading.Event()

    def job(_progress, _is_cancelled):  # noqa: ANN001, ANN202
        gate.wait(10)
        raise UserError("cannot write {path}: {error}", path="x.pdf", error="disk full")

    said: list[tuple[str, bool]] = []
    task = runner.run(job, failed=lambda m: said.append((m, _on_gui_thread())))
    i18n.set_language("kk")  # the language the clerk has when the message arrives
    gate.set()
    with qtbot.waitSignal(task.failed, timeout=10000) as blocker:
        pass
    expected = i18n._("cannot write {path}: {error}").format(path="x.pdf", error="disk full")
    assert said == [(expected, True)] and blocker.args == [expected]
    assert expected != "cannot write x.pdf: disk full" and "x.pdf" in expected and runner.crashes == []
    assert isinstance(task.error, UserError)


def test_a_bug_goes_to_the_crash_handler_and_the_widget_leaves_its_busy_state(qtbot, runner):
    ended: list[str] = []

    def job(_progress, _is_cancelled):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("boom")

    task = runner.run(job, failed=lambda m: ended.append(m), ended=lambda: ended.append("ended"))
    with qtbot.waitSignal(task.ended, timeout=10000):
        pass
    assert ended[-1] == "ended" and "boom" in ended[0]
    (exc_type, exc, tb), = runner.crashes
    assert exc_type is ZeroDivisionError and str(exc) == "boom" and tb is not None


def test_two_jobs_run_at_once(qtbot, runner):
    barrier = threading.Barrier(2, timeout=10)  # each job waits for the other: one at a time would fail

    def job(name):  # noqa: ANN001, ANN202
        return lambda _p, _c: (barrier.wait(), name)[1]

    first, second = runner.run(job("a")), runner.run(job("b"))
    assert len(runner.running()) <= 2
    with qtbot.waitSignals([first.done, second.done], timeout=15000):
        pass
    assert (first.result, second.result) == ("a", "b") and first.error is None and second.error is None


def test_stop_at_progress_raises_after_cancel():
    flag, seen = [False], []
    report = stop_at_progress(lambda d, t: seen.append((d, t)), lambda: flag[0])
    report(1, 2)
    flag[0] = True
    with pytest.raises(Cancelled):
        report(2, 2)
    assert seen == [(1, 2)]


def test_shutdown_cancels_and_waits_boundedly(qtbot, runner):
    polite_started, stubborn_started, release = threading.Event(), threading.Event(), threading.Event()

    def polite(_p, is_cancelled):  # noqa: ANN001, ANN202
        polite_started.set()
        while not is_cancelled():
            time.sleep(0.01)
        raise Cancelled()

    def stubborn(_p, _c):  # noqa: ANN001, ANN202
        stubborn_started.set()
        release.wait(20)

    runner.run(polite)
    assert polite_started.wait(10)
    t0 = time.monotonic()
    assert runner.shutdown(10) and time.monotonic() - t0 < 5
    late = runner.run(stubborn)
    assert stubborn_started.wait(10)
    t0 = time.monotonic()
    assert not runner.shutdown(0.3) and time.monotonic() - t0 < 2  # bounded: the window still closes
    assert late.is_cancelled() and late.detached
    release.set()
    assert late.wait(10)


def test_closing_the_window_cancels_its_jobs(qtbot, window, app_context):
    started = threading.Event()

    def job(_p, is_cancelled):  # noqa: ANN001, ANN202
        started.set()
        while not is_cancelled():
            time.sleep(0.01)
        raise Cancelled()

    task = app_context.ops.run(job)
    assert started.wait(10)
    t0 = time.monotonic()
    window.close()
    assert task.is_cancelled() and not task.is_running() and time.monotonic() - t0 < 5


def test_jobs_of_one_queue_run_one_after_another_and_a_cancelled_one_never_runs(qtbot, runner):
    active, overlaps, ran = [0], [], []
    lock = threading.Lock()

    def job(name, queued=True):  # noqa: ANN001, ANN202
        def work(_p, _c):  # noqa: ANN001, ANN202
            with lock:
                active[0] += queued
                overlaps.append(active[0])
            time.sleep(0.05)
            ran.append(name)
            with lock:
                active[0] -= queued
            return name
        return work

    first = runner.run(job("a"), queue="forms")
    skipped = runner.run(job("b"), queue="forms")
    last = runner.run(job("c"), queue="forms")
    other = runner.run(job("x", queued=False))  # no queue: runs beside them
    skipped.cancel()  # superseded before its turn
    with qtbot.waitSignals([first.done, skipped.cancelled, last.done, other.done], timeout=15000):
        pass
    assert "b" not in ran and ran.index("a") < ran.index("c") and set(ran) == {"a", "c", "x"}
    assert max(overlaps) == 1  # never two of the queue at once
    assert (first.result, last.result) == ("a", "c") and not runner.waiting.get("forms")


def test_shutdown_does_not_wait_for_queued_jobs(qtbot, runner):
    started, release = threading.Event(), threading.Event()

    def busy(_p, is_cancelled):  # noqa: ANN001, ANN202
        started.set()
        while not is_cancelled():
            time.sleep(0.01)
        raise Cancelled()

    runner.run(busy, queue="forms")
    queued = runner.run(lambda _p, _c: release.wait(20), queue="forms")
    assert started.wait(10)
    assert runner.shutdown(5) and not queued.is_running() and not queued.launched
