import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migreg_desktop.storage import search
from migreg_desktop.storage.search import (
    fold,
    fts_query,
    passport_fold,
    spelling,
    tokens,
    transliterate,
)


def test_kazakh_russian_and_latin_spellings_meet():
    forms = ["Құрманғазы", "курманғазы", "ҚҰРМАНҒАЗЫ", "Kurmangazy", "Курмангазы", "Qurmanğazy"]
    assert {fold(f) for f in forms} == {"kurmangazy"}


def test_russian_letters_transliterate():
    assert fold("Щукин Ёж") == "shchukin ezh"
    assert tokens("Жетіген", None, "Ақсай") == ["zhetigen", "aksai"]


def test_fts_query_prefixes_every_word():
    assert fts_query("Құрман Ерлан") == '"kurman"* "erlan"*'
    assert fts_query("--") is None


@given(st.text(max_size=40))
def test_fold_is_ascii_and_idempotent(value):
    folded = fold(value)
    assert folded.isascii()
    assert fold(folded) == folded


def test_compatibility_characters_fold_to_lower_case():
    assert fold("㎩") == fold(fold("㎩")) == "pa"


def test_latin_folding_reaches_a_fixed_point():
    for raw in ("KX", "kkh", "yiy", "Xasen", "Хасен"):
        assert fold(fold(raw)) == fold(raw)
    assert fold("Хасен") == fold("Hasen")


# ---- passport spellings and case numbers (issue 15) ------------------------------------------

@pytest.mark.parametrize(("passport", "stored"), [
    ("Oralbayev", "Оралбаев"), ("Kassymov", "Қасымов"), ("Ermekbayev", "Ермекбаев"),
    ("Yerlan", "Ерлан"), ("Aydos", "Айдос"), ("Jetigen", "Жетіген"), ("Koyshybayev", "Койшыбаев"),
    ("Beysenov", "Бейсенов"), ("Assel", "Асель"), ("Khassen", "Хасен"), ("ORALBAYEV", "ОРАЛБАЕВ"),
    ("Iuliia", "Юлия"), ("Yuliya", "Юлия"), ("Iakov", "Яков"), ("Mariia", "Мария"), ("Bayan", "Баян"),
])
def test_passport_spellings_meet_the_cyrillic_name(passport, stored):
    assert fold(passport) == fold(stored)


@pytest.mark.parametrize("name", ["Oralbayev", "Kassymov", "Ermekbayev", "Оралбаев", "Ермекбаев"])
def test_a_name_typed_so_far_is_a_prefix_of_the_stored_word(name):
    """Search-as-you-type: every complete letter typed keeps the query a prefix of the stored word
    (a rule that looked ahead, like dropping the y of "aye", would lose "Oralbay…")."""
    stored = fold(name)
    for end in range(3, len(name) + 1):
        assert stored.startswith(fold(name[:end])), name[:end]


def test_transliteration_for_name_latin_stays_readable():
    assert transliterate("Оралбаев Қайрат") == "Oralbaev Kairat"
    assert transliterate("Жетіген Ақсай") == "Zhetigen Aksai"


def test_fold_is_the_passport_step_over_the_spelling():
    for raw in ("Оралбаев", "Kassymov", "JJetigen", "ayyе"):
        assert fold(raw) == passport_fold(spelling(raw))


@pytest.mark.parametrize(("query", "expected"), [
    ("595", '"000595"'),                                    # a number's tail
    ("KNV-595", '"knv"* "000595"'),
    ("2026-000595", '"2026"* "000595"*'),                   # the end of a number
    ("ALM-KNV-2026-000595", '"alm"* "knv"* "2026"* "000595"*'),
    ("8506", '("008506" OR "8506"*)'),                      # a tail, or born June 1985
    ("850612", '"850612"*'),                                # an IIN's start
    ("850612312344", '"850612312344"*'),
    ("Оралбаев 12", '"oralbaiev"* "000012"'),
    ("Құрманғазы 8506", '"kurmangazy"* AND ("008506" OR "8506"*)'),
])
def test_digits_are_a_number_tail_or_an_iin_start(query, expected):
    assert fts_query(query) == expected


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіAaQx-1 \u0301", max_size=30) | st.text(max_size=10))
def test_the_transliteration_table_gives_what_the_letter_by_letter_map_gives(value):
    """storage/search.spelling transliterates with str.translate (issue 17 §3): the same as
    mapping each character through _TRANSLIT."""
    s = unicodedata.normalize("NFC", value).casefold().translate(search._KK_FOLD)
    assert s.translate(search._TRANSLIT_TABLE) == "".join(search._TRANSLIT.get(ch, ch) for ch in s)
