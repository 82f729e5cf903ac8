"""Language is a value (issue 13): two threads print the same register in Kazakh and in Russian at
the same moment; each PDF is in its own language and the window's language is untouched."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from sqlalchemy import event

from ...forms_helpers import bulk_cases, pdf_text

WORDS = ("Register of cases", "Kind of case", "Status", "Total", "Totals", "Head of the career centre",
         "(signature, date)", "submitted", "forwarded to the oblast", "included in the quota", "refused")


def words(lang: str) -> list[str]:
    from migreg_desktop.i18n import catalog

    return [catalog(lang).pgettext("form", w) for w in WORDS]


def test_two_threads_print_kazakh_and_russian_at_once(engine: Any, tmp_path: Any) -> None:
    from migreg_desktop import i18n
    from migreg_desktop.forms import render_register
    from migreg_desktop.storage.db import session_scope

    bulk_cases(engine, 40)
    # Both threads meet while counting the totals, i.e. in the middle of translating the register.
    meeting, met = threading.Barrier(2, timeout=30), set()

    def meet(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        name = threading.current_thread().name
        if "GROUP BY" in statement and name in ("kk", "ru") and name not in met:
            met.add(name)
            meeting.wait()

    failures: dict[str, BaseException] = {}

    def job(lang: str) -> None:
        try:
            with session_scope(engine, actor="tester") as session:
                render_register("ALM-KNV", date(2026, 3, 1), date(2026, 3, 31), lang, tmp_path / f"{lang}.pdf",
                                session=session)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread below
            failures[lang] = exc

    event.listen(engine, "before_cursor_execute", meet)
    try:
        threads = [threading.Thread(target=job, args=(lang,), name=lang) for lang in ("kk", "ru")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        event.remove(engine, "before_cursor_execute", meet)
    assert not failures and met == {"kk", "ru"}, failures
    for lang, other in (("kk", "ru"), ("ru", "kk")):
        text = " ".join(pdf_text(tmp_path / f"{lang}.pdf", raw=True).split())
        missing = [w for w in words(lang) if w not in text]
        foreign = [w for w in words(other) if w in text]
        assert not missing and not foreign, (lang, missing, foreign)
    assert i18n.current_language() == "en"  # the window's (here the tests') language was never touched
