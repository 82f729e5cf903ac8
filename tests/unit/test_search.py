from hypothesis import given
from hypothesis import strategies as st

from migreg_desktop.services.search import fold, fts_query, tokens


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
