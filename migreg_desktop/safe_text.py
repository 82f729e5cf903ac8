"""Text that crosses a trust boundary: what is refused on the way in, what is escaped on the way out.

On the way in (issue 12 item 2; conventions §1b) every free-text field of a record is NFC-normalised
and refused when it holds a control character (C0/C1: NUL, ESC …), a bidi override or isolate
(U+202A–202E, U+2066–2069: they make "Ахметов" print as something else), a lone surrogate or an
unassigned code point, or nothing visible at all (zero-width characters only). Tabs and line
breaks are allowed only where a field may hold several lines (notes).

On the way out, ``printable`` makes any text safe for a terminal: whatever the database holds
(a record from before these rules, a message quoting the clerk's input) cannot move the cursor,
recolour the screen or turn the line around.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from migreg_desktop.i18n import N_

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
LINE_BREAKS = frozenset("\n\r\t")
# Shown as blank although they are not spaces (Hangul fillers, Braille blank, Khmer vowels inherent).
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e")

MSG_TOO_LONG = N_("is too long: {length} characters (at most {max})")
MSG_CONTROL = N_("contains a control character ({char}); remove it")
MSG_BIDI = N_("contains a text direction mark ({char}) that can disguise the text; remove it")
MSG_NOT_A_CHARACTER = N_("contains an invalid character ({char})")
MSG_INVISIBLE = N_("contains only invisible characters")

# A Latin or Cyrillic letter or a digit: the text is not invisible-only.
_VISIBLE_CLASS = "0-9A-Za-z\u0400-\u04ff"
_PLAINLY_VISIBLE = re.compile(f"[{_VISIBLE_CLASS}]")
# How many times longer than the limit a text may be *before* NFC (which can only shorten it
# by composing): a 10 MB value is refused without normalising it first.
_DECOMPOSED_SLACK = 4


class TextProblem(ValueError):
    """A text failed one rule: ``msgid`` and its ``params`` (turned into a field error)."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid, self.params = msgid, params


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


# Short values repeat a lot in an import (codes, statuses, dates, names: issue 17 §3); a value that
# passed once passes again (the rules depend on the text alone). Failures are never cached.
_MEMO_MAX_CHARS = 128


def clean_text(value: str, max_length: int, *, multiline: bool = False) -> str:
    """NFC text that passes the rules above, or ``TextProblem``. Surrounding blanks are kept
    (callers strip where a blank value means "not given")."""
    if len(value) <= _MEMO_MAX_CHARS:
        return clean_short(value, max_length, multiline)
    return _clean(value, max_length, multiline)


@lru_cache(maxsize=1 << 16)
def clean_short(value: str, max_length: int, multiline: bool) -> str:
    """``clean_text`` of a value of at most ``SHORT`` characters, remembered: a checker called
    4,000,000 times by an import calls this directly (one Python call less per value)."""
    return _clean(value, max_length, multiline)


SHORT = _MEMO_MAX_CHARS


def forget() -> None:
    """Drop the remembered texts (after an import: they are names of people)."""
    clean_short.cache_clear()


def _clean(value: str, max_length: int, multiline: bool) -> str:
    if len(value) > max_length * _DECOMPOSED_SLACK:
        raise TextProblem(MSG_TOO_LONG, length=len(value), max=max_length)
    text = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if len(text) > max_length:
        raise TextProblem(MSG_TOO_LONG, length=len(text), max=max_length)
    if text.isprintable() and _PLAINLY_VISIBLE.search(text):
        return text  # the common case, decided in C: no control, format or unassigned character
    for char in text:
        _check_char(char, multiline)
    if text.strip() and all(_invisible(c) for c in text):
        raise TextProblem(MSG_INVISIBLE)
    return text


_BREAKS_DROPPED = str.maketrans("", "", "\n\r\t")
# A value without a plainly visible character, between the NULs that join the values.
_NOTHING_PLAINLY_VISIBLE = re.compile(f"\0[^{_VISIBLE_CLASS}\0]+\0")


def plainly_clean(values: Sequence[str], max_length: int, multiline: bool = False) -> bool:
    """True only when ``clean_text`` gives each of ``values`` (exact ``str``s) back unchanged,
    decided by a few passes in C over all of them (a column of an import's batch: issue 17 §3).
    False: ask ``clean_text`` value by value. ``_clean``'s steps: the length, NFC, then its common
    case (printable, with a plainly visible character); an empty text passes as it is."""
    if not values:
        return True
    if max(map(len, values)) > max_length:
        return False
    joined = "".join(values)
    if not (joined.translate(_BREAKS_DROPPED) if multiline else joined).isprintable():
        return False
    # NUL is in no value now (it is not printable) and no normalisation makes one, so the values
    # joined by NULs are NFC exactly when each is (NUL neither composes nor moves).
    joined = "\0".join(["", *values, ""])
    return ((joined.isascii() or unicodedata.is_normalized("NFC", joined))
            and _NOTHING_PLAINLY_VISIBLE.search(joined) is None)


def _check_char(char: str, multiline: bool) -> None:
    if char in BIDI_CONTROLS:
        raise TextProblem(MSG_BIDI, char=code_point(char))
    category = unicodedata.category(char)
    if category == "Cc" and not (multiline and char in LINE_BREAKS):
        raise TextProblem(MSG_CONTROL, char=code_point(char))
    if category in ("Cs", "Cn"):
        raise TextProblem(MSG_NOT_A_CHARACTER, char=code_point(char))


def _invisible(char: str) -> bool:
    """Nothing a reader would see: blanks, format characters (zero-width space, joiners, BOM …),
    combining marks with no base and blank-looking letters."""
    return (char.isspace() or char in BLANK_LOOKING
            or unicodedata.category(char) in ("Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"))


def fold_digits(value: str) -> str:
    """Decimal digits of any script (full-width ７, Arabic-Indic ٧ …) as ASCII; other characters
    unchanged. Two spellings of one number must be one value before any uniqueness check."""
    if value.isascii():
        return value
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in value)


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters, bidi controls, other invisible format
    characters and lone surrogates shown as escapes (``\\x1b``, ``\\u202e``); line breaks and
    tabs kept."""
    if text.isprintable():  # the common case, checked in C
        return text
    return "".join(c if c in LINE_BREAKS or not _unsafe(c) else _escape(c) for c in text)


def _unsafe(char: str) -> bool:
    return char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def _escape(char: str) -> str:
    n = ord(char)
    return f"\\x{n:02x}" if n <= 0xFF else f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"
