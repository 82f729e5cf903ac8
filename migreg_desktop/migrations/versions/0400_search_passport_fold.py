"""search: passport spellings in the stored search words (issue 15)

Revision ID: 0400_search_passport_fold
Revises: 0001_foundation

The search normaliser (services/search.py ``fold``) gained a second step that folds passport
spellings (Oralbayev = Оралбаев, Kassymov = Қасымов, Yerlan = Ерлан, Jetigen = Жетіген). The words
stored before it — the case index ``cases_fts.search_text`` and ``territory.search_text`` — are
re-folded here, eagerly, so every existing case is found the new way at once (a lazy re-fold would
leave old cases unfindable by the new spellings until each is saved again).

The new step is a function of the old step's output only (``fold(x) == passport_fold(old_fold(x))``,
asserted by tests/unit/test_search_cases.py), so the stored words are all this needs: no names
are re-read and nothing is imported from migreg_desktop. The rules below are a frozen copy of
``services.search._PASSPORT_RULES`` as of this revision; later changes to the normaliser need a
migration of their own.

Downgrade keeps the words: the step cannot be undone (kassymov/kasymov are one word now), and an
older program refuses a database carrying this revision anyway.
"""

from __future__ import annotations

import re

from alembic import op

revision = "0400_search_passport_fold"
down_revision = "0400_law"
branch_labels = None
depends_on = None

_RULES = tuple((re.compile(old), new) for old, new in (
    ("q", "k"), ("x", "h"), ("kh", "h"), ("iy", "i"), ("yi", "i"),
    ("j", "zh"), ("(?<=[aeou])y", "i"), ("(?<=[aou])e", "ie"), ("(?<![a-z0-9])ye", "e"),
    ("y(?=[au])", "i"), (r"([a-z])\1", r"\1"),
))


def refold_word(word: str) -> str:
    previous = None
    while word != previous:
        previous = word
        for pattern, new in _RULES:
            word = pattern.sub(new, word)
    return word


def refold_text(value: str | None, cache: dict[str, str]) -> str:
    out = []
    for word in (value or "").split():
        if word not in cache:
            cache[word] = refold_word(word)
        out.append(cache[word])
    return " ".join(out)


def _refold(con, select_sql: str, update_sql: str) -> None:
    cache: dict[str, str] = {}  # names repeat: each distinct word is folded once
    rows = con.exec_driver_sql(select_sql).fetchall()
    changed = [(new, key) for key, old in rows if (new := refold_text(old, cache)) != (old or "")]
    if changed:
        con.exec_driver_sql(update_sql, changed)


def upgrade() -> None:
    con = op.get_bind()
    _refold(con, "SELECT rowid, search_text FROM cases_fts",
            "UPDATE cases_fts SET search_text = ? WHERE rowid = ?")
    _refold(con, "SELECT kato, search_text FROM territory",
            "UPDATE territory SET search_text = ? WHERE kato = ?")


def downgrade() -> None:
    pass  # see the module docstring: the words stay in the new form
