"""Points of the Rules cited on paper in the official style (issue 14): ru «подпункт 7) пункта 2
Правил», kk «Қағидалардың 2-тармағының 7) тармақшасы» — where the window and `check --json` say
"Rules §2.7". Keyed by the rules' stable English references (rules/*.py REF_*); a reference not
listed here (a law, a decree) is printed as the rules give it."""

from __future__ import annotations

from migreg_desktop.i18n import Translator


def official_citation(reference: str, t: Translator) -> str | None:
    """The reference in the sheet's language and the official style, or None when not a point
    of the Rules."""
    return {
        "Rules §2.2, §2.12": t.pgettext("form", "Rules, subparagraphs 2) and 12) of paragraph 2"),
        "Rules §2.4, §2.6": t.pgettext("form", "Rules, subparagraphs 4) and 6) of paragraph 2"),
        "Rules §2.7": t.pgettext("form", "Rules, subparagraph 7) of paragraph 2"),
        "Rules §5.2, §7": t.pgettext("form", "Rules, subparagraph 2) of paragraph 5 and paragraph 7"),
        "Rules §12; Gov decree No. 1427 (registration of internal migrants); Social Code ⚠": t.pgettext(
            "form", "Rules, paragraph 12; Government decree No. 1427 (registration of internal migrants); "
            "Social Code ⚠"),
    }.get(reference)
