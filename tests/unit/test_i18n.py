import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from migreg_desktop import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_translated_and_catalogs_compiled():
    result = subprocess.run([sys.executable, "tools/i18n.py", "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]


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
