"""Language is a value (issue 13): a Kazakh register printed on a worker thread stays Kazakh while
the clerk switches the window to Russian and back, and the window keeps the clerk's last choice."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from ...forms_helpers import bulk_cases, pdf_text

# Register wording translated on the worker around the moments the window switches language.
WORDS = ("Register of cases", "Kind of case", "Status", "Total", "Totals", "Head of the career centre",
         "(signature, date)", "submitted", "forwarded to the oblast", "included in the quota", "refused")


def words(lang: str) -> list[str]:
    from migreg_desktop.i18n import catalog

    return [catalog(lang).pgettext("form", w) for w in WORDS]


def flat(text: str) -> str:
    return " ".join(text.split())


@contextmanager
def paused_on_sql(engine: Any, fragment: str) -> Iterator[tuple[threading.Event, threading.Event]]:
    """(reached, resume): a worker thread's first statement containing ``fragment`` waits for resume."""
    reached, resume = threading.Event(), threading.Event()

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread() is not threading.main_thread() and fragment in statement \
                and not reached.is_set():
            reached.set()
            resume.wait(30)

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield reached, resume
    finally:
        resume.set()
        event.remove(engine, "before_cursor_execute", hold)


def paused_on_progress(task: Any) -> tuple[threading.Event, threading.Event]:
    """(reached, resume): the job's first progress report (rows being drawn) waits for resume.
    ``_reported`` is the runner's signal emitted on the worker thread (ui/operations.Task)."""
    from PySide6.QtCore import Qt

    reached, resume = threading.Event(), threading.Event()

    def hold(_done: int, _total: int) -> None:  # a direct connection: runs on the worker thread
        if not reached.is_set():
            reached.set()
            resume.wait(30)

    task._reported.connect(hold, Qt.ConnectionType.DirectConnection)  # noqa: SLF001
    return reached, resume


def test_kazakh_register_on_a_worker_while_the_window_switches_to_russian_and_back(qtbot, window, app_context):
    from PySide6.QtCore import QDate

    from migreg_desktop import i18n

    bulk_cases(app_context.engine, 600)  # two chunks of rows: progress is reported while drawing
    window.switch_language("kk")
    page = window.show_page("printing")
    page.date_from.setDate(QDate(2026, 3, 1))
    page.date_to.setDate(QDate(2026, 3, 31))
    page.lang.setCurrentIndex(page.lang.findData("kk"))
    switch: Callable[[str], None] = window.switch_language
    # The totals are counted (GROUP BY) while the register's words are being translated.
    with paused_on_sql(app_context.engine, "GROUP BY") as (building, resume_building):
        task = page.start()
        drawing, resume_drawing = paused_on_progress(task)
        try:
            assert building.wait(30), "the worker never counted the totals"
            switch("ru")  # the clerk switches the window while the register's text is being built
            assert i18n._("Applicant") == "Заявитель" and page.cancel_button.text() == "Отмена"
            resume_building.set()
            assert drawing.wait(30), "the worker never reported progress"
            # The builder is done: the switch is still in force, nothing restored the old language.
            assert i18n.current_language() == "ru" and i18n._("Applicant") == "Заявитель"
            with qtbot.waitSignal(task.done, timeout=60000) as done:
                switch("kk")  # ... and back, while the rows are being drawn
                resume_drawing.set()
        finally:
            resume_building.set()
            resume_drawing.set()
            task.wait(60)
    assert done.args[0]["cases"] == 600
    assert i18n.current_language() == "kk" and app_context.settings.get("language") == "kk"
    assert window.language_actions["kk"].isChecked() and page.start_button.text() == "Бастау"
    text = flat(pdf_text(page.out_path, raw=True))
    missing = [w for w in words("kk") if w not in text]
    russian = [w for w in words("ru") if w in text]
    assert not missing and not russian, (missing, russian)
