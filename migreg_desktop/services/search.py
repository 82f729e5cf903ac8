"""One normaliser for every name search: Kazakh, Russian and Latin spellings meet.

glossary.md: fold ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и, then transliterate to ASCII
Latin, so «ҚҰРМАНҒАЗЫ», «курмангазы» and «Kurmangazy» all become ``kurmangazy``.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import text
from sqlmodel import Session

_KK_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# Latin spellings that differ only by convention collapse too (Kazakh Latin 2021: "q", "ğ"…).
_LATIN_FOLD = (("q", "k"), ("x", "h"), ("kh", "h"), ("iy", "i"), ("yi", "i"))
_WORD = re.compile(r"[a-z0-9]+")


def fold(value: str) -> str:
    """Lower-case ASCII Latin form of a kk/ru/Latin string."""
    s = unicodedata.normalize("NFC", value).casefold().translate(_KK_FOLD)
    s = "".join(_TRANSLIT.get(ch, ch) for ch in s)
    # NFKD may bring capitals back (compatibility forms such as ㎩ → Pa): lower again.
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    previous = None
    while s != previous:  # to a fixed point: "kkh" → "kh" → "h", so fold(fold(x)) == fold(x)
        previous = s
        for old, new in _LATIN_FOLD:
            s = s.replace(old, new)
    return s


def tokens(*values: str | None) -> list[str]:
    out: list[str] = []
    for v in values:
        if v:
            out.extend(_WORD.findall(fold(v)))
    return out


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every word as a prefix (AND)."""
    words = tokens(query)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def index_case(session: Session, case_id: str, words: list[str]) -> None:
    """Replace the case's row in the FTS index (applicant + family names, IINs, number)."""
    session.execute(text("DELETE FROM cases_fts WHERE case_id = :id"), {"id": case_id})
    session.execute(
        text("INSERT INTO cases_fts(case_id, search_text) VALUES (:id, :t)"),
        {"id": case_id, "t": " ".join(words)},
    )


def transliterate(value: str) -> str:
    """Readable Latin (capitalised words) for the person's name_latin field."""
    return " ".join(w.capitalize() for w in fold(value).split())
