from datetime import date
from pathlib import Path

import pytest

from migreg_desktop import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_translated_and_catalogs_compiled(capsys):
    from tests.tools import tool

    code = tool("i18n").main(["check"])  # `python tools/i18n.py check`, in this process (tests/tools.py)
    assert code == 0, capsys.readouterr().out[-3000:]


@pytest.mark.parametrize("lang, expected", [("kk", "Өтініш беруші"), ("ru", "Заявитель"), ("en", "Applicant")])
def test_live_switch_changes_translation(lang, expected):
    seen = []
    i18n.on_language_changed(seen.append)
    i18n.set_language(lang)
    assert i18n._("Applicant") == expected
    assert i18n.translator("ru").gettext("Applicant") == "Заявитель"  # a value: the window's is untouched
    assert i18n._("Applicant") == expected and i18n.current_language() == lang


def test_money_and_dates_through_babel():
    assert i18n.fmt_money(1_211_000, "kk") == "1\xa0211\xa0000\xa0₸"
    assert i18n.fmt_money(1_211_000, "ru") == "1\xa0211\xa0000\xa0₸"
    assert i18n.fmt_money(1_211_000, "en") == "₸1,211,000"
    assert "2026" in i18n.fmt_date(date(2026, 3, 15), "kk")
    assert i18n.fmt_short_date(date(2026, 3, 5)) == "05.03.2026"


def test_a_translator_is_a_value_of_one_language():
    i18n.set_language("kk")
    ru, en = i18n.translator("ru"), i18n.translator("en")
    assert ru.lang == "ru" and ru.pgettext("form", "Total") == "Итого" and en.gettext("Applicant") == "Applicant"
    assert [ru.ngettext("{n} case", "{n} cases", n) for n in (1, 2, 5)] == ["{n} дело", "{n} дела", "{n} дел"]
    assert i18n.translator().lang == "kk" and i18n._("Applicant") == "Өтініш беруші"  # None: the window's
    with pytest.raises(ValueError):
        i18n.translator("de")


def test_catalog_tool_extracts_the_translator_methods():
    import importlib.util
    import io

    from babel.messages.extract import extract

    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    source = b't = translator(lang)\nt.pgettext("form", "A")\nt.gettext("B")\nt.ngettext("C", "Cs", n)\n'
    found = {(ctx, msg) for _line, msg, _comments, ctx in extract("python", io.BytesIO(source), tool.KEYWORDS)}
    assert found == {("form", "A"), (None, "B"), (None, ("C", "Cs"))}


def test_short_dates_have_four_digit_years_in_every_language():
    """Issue 15: Kazakh CLDR's short date is 14.11.26; on screen it is 14.11.2026 as on paper."""
    from datetime import date, datetime

    from migreg_desktop.i18n import fmt_date, fmt_datetime

    for lang in ("kk", "ru"):
        assert fmt_date(date(2026, 11, 14), lang, "short") == "14.11.2026"
        assert fmt_datetime(datetime(2026, 11, 14, 9, 5), lang) == "14.11.2026, 09:05"
    assert "2026" in fmt_date(date(2026, 11, 14), "en", "short")
