"""One normaliser for every name search: Kazakh, Russian, Latin and passport spellings meet.

glossary.md: fold ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и, then transliterate to ASCII
Latin, so «ҚҰРМАНҒАЗЫ», «курманғазы» and «Kurmangazy» all become ``kurmangazy``. A second step
folds what passports spell differently (issue 15): «Oralbayev», «Kassymov», «Yerlan», «Aydos»,
«Jetigen», «Iuliia» meet «Оралбаев», «Қасымов», «Ерлан», «Айдос», «Жетіген», «Юлия».

The second step works on the first step's output only (``fold(x) == passport_fold(spelling(x))``),
so a database indexed with the first step alone is brought up to date by re-folding its stored
words (migration 0400_search_passport_fold holds a frozen copy of ``_PASSPORT_RULES``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from migreg_desktop import ids

if TYPE_CHECKING:  # the case list's search words need no SQLAlchemy (storage/reader.py)
    from sqlmodel import Session


_KK_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
# Latin spellings that differ only by convention collapse too (Kazakh Latin 2021: "q", "ğ"…).
_LATIN_RULES = tuple((re.compile(old), new) for old, new in
                     (("q", "k"), ("x", "h"), ("kh", "h"), ("iy", "i"), ("yi", "i")))
# Passport spellings. Each rule looks only at the letters before the one it changes (or completes a
# digraph), so a prefix typed so far still folds to a prefix of the stored word: «Oralba…» finds
# «Оралбаев» while the clerk types.
_PASSPORT_RULES = _LATIN_RULES + tuple((re.compile(old), new) for old, new in (
    ("j", "zh"),                    # Jetigen, Zhetigen (ж); Djumabaev = Dzhumabaev (дж)
    ("(?<=[aeou])y", "i"),          # Aydos = Aidos (ай), Koyshy… = Koishy… (ой), Beysen… (ей)
    ("(?<=[aou])e", "ie"),          # Oralbaev → oralbaiev = Oralbayev: е after a vowel is "ye"
    ("(?<![a-z0-9])ye", "e"),       # Yerlan = Erlan: a word's first е is "ye" in passports
    ("y(?=[au])", "i"),             # Iuliia = Yuliya, Iakov = Yakov: ю, я as ICAO 9303 spells them
    (r"([a-z])\1", r"\1"),          # Kassymov = Kasymov, Assel = Asel: doubled letters
))
_WORD = re.compile(r"[a-z0-9]+")
SEQUENCE_DIGITS = 6  # ALM-KNV-2026-000595: the case's sequence number in its office and year
TAIL_ONLY_DIGITS = 3  # fewer digits than a useful IIN start (YYM…): only a number's tail


def _settle(s: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    previous = None
    while s != previous:  # to a fixed point: "kkh" → "kh" → "h", so fold(fold(x)) == fold(x)
        previous = s
        for pattern, new in rules:
            s = pattern.sub(new, s)
    return s


def spelling(value: str) -> str:
    """Lower-case ASCII Latin transliteration of a kk/ru/Latin string (readable; no passport folding)."""
    s = unicodedata.normalize("NFC", value).casefold().translate(_KK_FOLD)
    s = s.translate(_TRANSLIT_TABLE)  # in C: an import folds ~4,000,000 characters (issue 17 §3)
    # NFKD may bring capitals back (compatibility forms such as ㎩ → Pa): lower again.
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return _settle(s, _LATIN_RULES)


def passport_fold(folded: str) -> str:
    """The second step, on ``spelling``'s output: the passport spellings collapse. No rule reaches
    across a word's edge, so each word is folded on its own, and names repeat: cached."""
    return _WORD.sub(lambda m: _passport_word(m.group()), folded)


@lru_cache(maxsize=1 << 16)
def _passport_word(word: str) -> str:
    return word if word.isdigit() else _settle(word, _PASSPORT_RULES)


def fold(value: str) -> str:
    """The search form of a kk/ru/Latin string: what is stored in the indexes and compared."""
    return passport_fold(spelling(value))


def tokens(*values: str | None) -> list[str]:
    out: list[str] = []
    for v in values:
        if v:
            out.extend(_WORD.findall(fold(v)))
    return out


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every word as a prefix (AND).

    Digits ending a typed word (README, ``--search``): 1–3 digits are the tail of a case number
    (``595`` and ``KNV-595`` find ``…-000595``; the sequence is stored zero-padded, so the tail is
    matched whole); 4–5 digits are that tail or the start of an IIN (``8506``: born June 1985);
    6 digits or more the start of an IIN (or a sequence typed in full, ``000595``), 12 an IIN.
    """
    terms: list[str] = []
    for typed in query.split():
        words = _WORD.findall(fold(typed))
        for i, w in enumerate(words):
            terms.append(_term(w, last=i == len(words) - 1))
    # FTS5 takes an implicit AND between phrases only; an OR group needs it spelled out.
    return (" AND " if any(t.startswith("(") for t in terms) else " ").join(terms) or None


def _term(word: str, *, last: bool) -> str:
    if not (last and word.isdigit() and len(word) < SEQUENCE_DIGITS):
        return f'"{word}"*'
    tail = f'"{word.zfill(SEQUENCE_DIGITS)}"'
    return tail if len(word) <= TAIL_ONLY_DIGITS else f'({tail} OR "{word}"*)'


def search_text(words: list[str]) -> str:
    """A case's stored search words: each once, in order. The index keeps no positions
    (``detail=column``, migration 0800_lean_bytes: every query term is one word), so a repeat —
    the applicant's Latin name folds to the Cyrillic one's words — would only cost bytes."""
    return " ".join(dict.fromkeys(words))


# ---- the index (migration 0850_contentless_search) -------------------------------------------
# ``cases_fts`` is contentless: it keeps no words and no case id, only which row holds which word.
# A row's FTS5 rowid is ``generation << GEN_SHIFT | cases.rid``; ``case_search`` holds a case's
# current generation (no row: 0). The generation sits in the high bits so that the rows of
# generation 0 — nearly all — are numbered 1, 2, 3 …: FTS5 stores rowid deltas as varints, and a
# gap of 2**20 between neighbours cost 37 B per case at 100,000 cases. A contentless row cannot be deleted without its old words
# (SQLite 3.40 has no contentless_delete), so re-indexing bumps the generation and the old row,
# which may still match, is left out by ``match_sql``; ``compact`` rebuilds the index when such
# rows pile up.
GEN_SHIFT = 40  # rids below 2**40; generations below 2**23
RID_MASK = (1 << GEN_SHIFT) - 1
COMPACT_FLOOR = 5000  # dead rows tolerated whatever the size; else a fifth of the cases


def match_sql(param: str = ":fts") -> str:
    """SQL: the ``cases.rid`` (= the case's rowid) of every case whose current words match."""
    return (f"SELECT f.rowid & {RID_MASK} FROM cases_fts f LEFT JOIN case_search g ON g.rid = f.rowid & {RID_MASK} "
            f"WHERE cases_fts MATCH {param} AND f.rowid >> {GEN_SHIFT} = coalesce(g.gen, 0)")


def put_words(con: Any, rows: list[tuple[int, str]]) -> None:
    """(Re)index cases on a DB-API connection: ``(rid, search text)`` each under a new generation."""
    if not rows:
        return
    rids = [rid for rid, _text in rows]
    con.executemany("INSERT INTO case_search (rid, gen) VALUES (?, 1) ON CONFLICT (rid) DO UPDATE SET gen = gen + 1",
                    [(rid,) for rid in rids])
    # The generations read back at once, the rows given as values: an INSERT … SELECT into an FTS5
    # table goes through a temporary table row by row (3.6 s against 1.0 s for 100,000 cases).
    gen: dict[int, int] = {}
    for i in range(0, len(rids), 500):  # below SQLite's limit of bound parameters
        part = rids[i:i + 500]
        gen.update(con.execute(f"SELECT rid, gen FROM case_search WHERE rid IN ({','.join('?' * len(part))})", part))
    con.executemany("INSERT INTO cases_fts (rowid, search_text) VALUES (?, ?)",
                    [((gen[rid] << GEN_SHIFT) | rid, text) for rid, text in rows])


def words_of(con: Any, case_ids: list[Any]) -> list[tuple[int, str]]:
    """``(rid, search text)`` of cases (stored ids) from what the database holds: the applicant's
    names, the number, the family's names and every IIN (what ``cases._refresh_denormalised`` gives)."""
    return words_from(word_rows(con, case_ids))


WordRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def word_rows(con: Any, case_ids: list[Any]) -> WordRows:
    """What ``words_from`` needs of cases (stored ids): the applicants' and the families' rows."""
    marks = ",".join("?" * len(case_ids))
    cases = con.execute(
        f"SELECT c.rowid, c.id, c.number, p.surname, p.name, p.patronymic, p.name_latin, p.iin FROM cases c "
        f"JOIN person p ON p.id = c.applicant_id WHERE c.id IN ({marks})", case_ids).fetchall()
    family = con.execute(
        f"SELECT f.case_id, p.surname, p.name, p.patronymic, p.iin FROM family_member f "
        f"JOIN person p ON p.id = f.person_id WHERE f.case_id IN ({marks}) ORDER BY f.position", case_ids).fetchall()
    return cases, family


def words_from(rows: WordRows) -> list[tuple[int, str]]:
    """``(rid, search text)`` of the cases ``word_rows`` read: pure, so a big import works it out
    in a worker process while it writes the words before (migreg_desktop.parallel)."""
    words: dict[Any, list[str]] = {}
    rids: dict[Any, int] = {}
    cases, family = rows
    for rid, cid, number, surname, name, patr, latin, iin in cases:
        rids[cid] = rid
        words[cid] = [*_name_tokens(surname), *_name_tokens(name), *_name_tokens(patr), *_name_tokens(latin),
                      *tokens(number), *([iin] if iin else [])]
    for cid, surname, name, patr, iin in family:
        words.setdefault(cid, []).extend([*_name_tokens(surname), *_name_tokens(name), *_name_tokens(patr),
                                          *([iin] if iin else [])])
    return [(rids[cid], search_text(w)) for cid, w in words.items() if cid in rids]


@lru_cache(maxsize=200_000)
def _name_tokens(value: str | None) -> tuple[str, ...]:
    """Folded words of one name: names repeat a lot, so a re-index folds each spelling once."""
    return tuple(tokens(value)) if value else ()


def reindex(session: Session, case_id: str) -> None:
    """Index a case's words as the database now holds them (``words_of``): one rule for a clerk's
    save, an import and a rebuild, so a case is found by the same words whichever door wrote it."""
    con = session.connection().connection.driver_connection
    put_words(con, words_of(con, [ids.to_db(case_id)]))


def index_case(session: Session, case_id: str, words: list[str]) -> None:
    """Index the case's words (applicant + family names, IINs, number) under a new generation."""
    from sqlalchemy import text  # here: the list's readers import this module without SQLAlchemy

    rid = int(session.execute(text("SELECT rowid FROM cases WHERE id = id_db(:id)"), {"id": case_id}).scalar_one())
    put_words(session.connection().connection.driver_connection, [(rid, search_text(words))])


def dead_rows(con: Any) -> int:
    """Rows of old generations still in the index (each bump left one; a first index none)."""
    return int(con.execute("SELECT coalesce(sum(gen) - count(*), 0) FROM case_search").fetchone()[0])


def compact(con: Any, batch: int = 2000) -> int:
    """Rebuild the whole index from the database: no dead rows, every generation 0 again."""
    con.execute("INSERT INTO cases_fts (cases_fts) VALUES ('delete-all')")
    con.execute("DELETE FROM case_search")
    con.execute("DELETE FROM meta WHERE key = 'search_rebuild'")
    ids = [r[0] for r in con.execute("SELECT id FROM cases ORDER BY rowid")]
    for i in range(0, len(ids), batch):
        con.executemany("INSERT INTO cases_fts (rowid, search_text) VALUES (?, ?)", words_of(con, ids[i:i + batch]))
    con.execute("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")  # one segment: a little smaller
    return len(ids)


def needs_compact(con: Any) -> bool:
    """Asked (``meta.search_rebuild``: a migration could not carry the words), or dead rows past a
    fifth of the cases (an import re-indexes many cases at once; a clerk's edits one by one)."""
    if con.execute("SELECT 1 FROM meta WHERE key = 'search_rebuild'").fetchone() is not None:
        return True
    cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    return dead_rows(con) > max(COMPACT_FLOOR, int(cases) // 5)


def compact_if_needed(con: Any) -> bool:
    """Compact when ``needs_compact``; True if it did."""
    if needs_compact(con):
        compact(con)
        return True
    return False


def transliterate(value: str) -> str:
    """Readable Latin (capitalised words) for the person's name_latin field."""
    return " ".join(w.capitalize() for w in spelling(value).split())
