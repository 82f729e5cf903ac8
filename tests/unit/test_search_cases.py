"""The case search end to end (issue 15): passport spellings, a number's tail, and the migration
that re-folds the words stored by the previous normaliser."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migreg_desktop.cases import cases
from migreg_desktop.cases.case_list import CaseFilter, list_cases, query_rowids
from migreg_desktop.storage.search import tokens

MIGRATION = (Path(__file__).resolve().parents[2] / "migreg_desktop" / "migrations" / "versions"
             / "0400_search_passport_fold.py")


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0400", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def three_cases(session, make_case):
    kandas = make_case("kandas")  # applicant Оралбаев
    kandas["family"][0]["surname"] = "Қасымова"
    resettler = make_case("resettler")  # applicant Құрманғазы
    resettler["family"][0]["surname"] = "Ермекбаева"
    numbers = {}
    for key, data in (("kandas", kandas), ("resettler", resettler), ("intra", make_case("intra_oblast"))):
        numbers[key] = cases.register_case(data, session=session, confirm_warnings=True).number
    return numbers


def _found(query, session):
    return sorted(r["number"] for r in list_cases(CaseFilter(search=query), db=session))


@pytest.mark.parametrize(("query", "who"), [
    ("Oralbayev", "kandas"), ("ORALBAY", "kandas"), ("Kassymov", "kandas"), ("Ermekbayev", "resettler"),
    ("курманғазы", "resettler"), ("ҚҰРМАНҒАЗЫ", "resettler"), ("Курмангазы", "resettler"),
    ("Kurmangazy", "resettler"), ("Оралбаев", "kandas"),
])
def test_passport_and_kazakh_spellings_find_the_case(session, three_cases, query, who):
    assert _found(query, session) == [three_cases[who]]


def test_a_case_by_the_tail_of_its_number(session, three_cases):
    number = three_cases["resettler"]  # ALM-KNV-2026-000002
    assert number.endswith("-2026-000002")
    for query in ("2", "002", "000002", "2026-000002", "KNV-2", number, number.lower()):
        assert _found(query, session) == [number], query
    assert _found("4", session) == []


def test_four_digits_are_a_number_tail_or_the_start_of_an_iin(session, three_cases):
    assert _found("8506", session) == [three_cases["resettler"]]  # applicant born 1985-06-12
    assert _found("Құрманғазы 8506", session) == [three_cases["resettler"]]  # with a name: AND
    assert _found("Оралбаев 8506", session) == []
    rowids = query_rowids(CaseFilter(search="850612312344"), db=session)  # the full IIN
    assert len(rowids) == 1


# ---- the migration -----------------------------------------------------------------------------

# The normaliser as it was before revision 0400 (frozen here; the migration must bring its stored
# words to what services.search.tokens gives now).
_OLD_KK = str.maketrans("әғқңөұүһі", "агкноуухи")
_OLD_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}


def _old_tokens(value: str) -> list[str]:
    s = unicodedata.normalize("NFC", value).casefold().translate(_OLD_KK)
    s = "".join(_OLD_TRANSLIT.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    previous = None
    while s != previous:
        previous = s
        for old, new in (("q", "k"), ("x", "h"), ("kh", "h"), ("iy", "i"), ("yi", "i")):
            s = s.replace(old, new)
    return re.findall(r"[a-z0-9]+", s)


_LETTERS = st.text(alphabet="abcdeghijkloqsuxyzАаЕеЙйЖжХхЫыҚқІіӘә- 0123456789", max_size=30)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # 2 cores shared: no timing verdicts
@given(st.one_of(_LETTERS, st.text(max_size=30)))
def test_migration_refolds_old_words_to_the_new_tokens(value):
    refold = _migration().refold_word
    assert [refold(w) for w in _old_tokens(value)] == tokens(value)


@pytest.mark.real_migrations
def test_migration_refolds_the_stored_search_words(tmp_path):
    from alembic import command

    from migreg_desktop.storage import db

    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(path)
    command.upgrade(db._alembic_config(engine), "0001_foundation")
    old_words = " ".join(_old_tokens("Оралбаев Қайрат Yerlan Kassymov ALM-KNV-2026-000595")) + " 781130344101"
    with engine.begin() as con:
        con.exec_driver_sql("INSERT INTO cases_fts(case_id, search_text) VALUES ('c1', ?)", (old_words,))
        con.exec_driver_sql("INSERT INTO territory(kato, name_kk, name_ru, level, old_names, search_text,"
                            " confirmed) VALUES ('190000000', 'Алматы облысы', 'Алматинская область',"
                            " 'region', '[]', ?, 1)", (" ".join(_old_tokens("Алматы облысы Ақсай")),))
    # to the refolding revision: later ones keep no words in the index (0850_contentless_search)
    command.upgrade(db._alembic_config(engine), "0400_search_passport_fold")
    engine.dispose()
    con = sqlite3.connect(path)
    try:
        stored = con.execute("SELECT search_text FROM cases_fts").fetchone()[0]
        territory = con.execute("SELECT search_text FROM territory").fetchone()[0]
        found = con.execute("SELECT case_id FROM cases_fts WHERE cases_fts MATCH ?",
                            ('"oralbaiev"* "kasymov"* "000595"',)).fetchall()
    finally:
        con.close()
    assert stored.split() == tokens("Оралбаев Қайрат Yerlan Kassymov ALM-KNV-2026-000595") + ["781130344101"]
    assert territory.split() == tokens("Алматы облысы Ақсай")
    assert found == [("c1",)]
