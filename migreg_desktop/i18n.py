"""Translations and locale formatting, for the window, the CLI and the PDFs alike.

English is the source language. Catalogs: ``resources/i18n/<lang>/LC_MESSAGES/<domain>.mo``;
every domain found is chained, so each feature can keep its own catalog.

Two kinds of language: the window's (``current_language``, switched live by ``set_language``; widgets
re-read ``_()`` in ``retranslate_ui``; the CLI sets it once from ``--lang``) and the language of a
text being produced, which is passed as a value: ``t = translator(lang)`` then ``t.pgettext(...)``.
A PDF in Kazakh printed on a worker thread never touches the window's language, so two threads can
print in two languages at once (conventions §1 "Language is a value").
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from migreg_desktop.paths import resource

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en"}  # ru_KZ: ₸, not ₽

_current = "ru"
_listeners: list[Callable[[str], None]] = []


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    base: gettext.NullTranslations = gettext.NullTranslations()
    folder = resource("i18n", lang, "LC_MESSAGES")
    if lang == "en" or not folder.is_dir():
        return base
    mos = sorted(folder.glob("*.mo"))
    if not mos:
        return base
    with mos[0].open("rb") as fh:
        first = gettext.GNUTranslations(fh)
    for mo in mos[1:]:
        with mo.open("rb") as fh:
            first.add_fallback(gettext.GNUTranslations(fh))
    first.add_fallback(base)
    return first


def current_language() -> str:
    return _current


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    changed = lang != _current
    _current = lang
    if changed:
        for listener in list(_listeners):
            listener(lang)


def on_language_changed(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def off_language_changed(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


@dataclass(frozen=True)
class Translator:
    """Translations into one language, handed to whatever produces text in it (a form, a service).

    The method names are Babel keywords (tools/i18n.py), so ``t.pgettext("form", "Total")`` is
    extracted like ``pgettext("form", "Total")``."""

    lang: str

    def gettext(self, message: str) -> str:
        return catalog(self.lang).gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return catalog(self.lang).pgettext(context, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return catalog(self.lang).ngettext(singular, plural, n)


@cache
def _translator(lang: str) -> Translator:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    return Translator(lang)


def translator(lang: str | None = None) -> Translator:
    """The translator of ``lang``; None: the window's (or the CLI's) current language."""
    return _translator(lang or _current)


def _(message: str) -> str:
    return catalog(_current).gettext(message)


def tr(message: str, lang: str) -> str:
    return catalog(lang).gettext(message)


def N_(message: str) -> str:
    """Mark for extraction; translate later with ``_()``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return catalog(_current).pgettext(context, message)


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(BABEL_LOCALES[lang or _current])


def _short_pattern(kind: str, locale: Locale) -> str:
    """CLDR's short date with a four-digit year: Kazakh CLDR says 14.11.26, clerks read 14.11.2026."""
    date_pattern = re.sub(r"(?<!y)yy(?!y)", "y", locale.date_formats["short"].pattern)
    if kind == "date":
        return date_pattern
    return str(locale.datetime_formats["short"]).replace("{1}", date_pattern).replace(
        "{0}", locale.time_formats["short"].pattern)


def fmt_date(value: date | None, lang: str | None = None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    locale = babel_locale(lang)
    return format_date(value, format=_short_pattern("date", locale) if fmt == "short" else fmt, locale=locale)


def fmt_short_date(value: date | None, lang: str | None = None) -> str:
    """dd.MM.yyyy in every language: what Kazakh paper forms use."""
    return value.strftime("%d.%m.%Y") if value else ""


def fmt_datetime(value: datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    locale = babel_locale(lang)
    return format_datetime(value, format=_short_pattern("datetime", locale), locale=locale)


def fmt_number(value: int | float | Decimal, lang: str | None = None) -> str:
    return format_decimal(value, locale=BABEL_LOCALES[lang or _current])


def fmt_money(value: int | float | Decimal, lang: str | None = None) -> str:
    """Whole tenge with the locale's grouping and the ₸ sign (MCI amounts are integral)."""
    locale = babel_locale(lang)
    pattern = re.sub(r"\.0+", "", locale.currency_formats["standard"].pattern)
    text = format_currency(value, "KZT", format=pattern, locale=locale, currency_digits=False)
    return text.replace("KZT", "₸")  # English CLDR spells the code; clerks expect the sign
