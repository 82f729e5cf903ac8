"""Issue 12 item 2 in the window: the case editor goes through the same documents as a case file,
so a pasted bidi override, an escape code or a 101-character surname is refused next to the field."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from ..conftest import count_rows

TABLES = ("cases", "person", "family_member", "document", "status_change", "audit_entry")


@pytest.mark.parametrize(("pasted", "words"), [
    ("\u202eвотемхА", ("U+202E",)),
    ("Ахметов\x1b[2J", ("U+001B",)),
    ("А" * 101, ("101", "100")),
    ("\u200b\u200b", ()),
])
def test_a_pasted_surname_is_refused_at_the_field(qtbot: Any, cases_page: Any, app_context: Any, ui_lang: str,
                                                 pasted: str, words: tuple[str, ...]) -> None:
    editor = cases_page.open_case(None)
    editor.applicant.fields["iin"].setText("850612312344")
    editor.applicant.fields["surname"].setText(pasted)  # what a paste does; the keyboard can't type these
    editor.applicant.fields["name"].setText("Ерлан")
    before = count_rows(app_context.engine, *TABLES)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    error = editor.applicant.errors["surname"]
    assert error.isVisible() and error.text()
    assert all(w in error.text() for w in words), error.text()
    assert count_rows(app_context.engine, *TABLES) == before
    assert editor.case_id is None
