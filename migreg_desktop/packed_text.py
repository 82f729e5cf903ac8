"""Decision results stored short: the rules' fixed wording as two-character codes (issue 17 §1, §4).

A decision's results text (eligibility/decision_text.py) is ~2.2 KB, of which ~1.9 KB are the
rule answers' fixed heads (rule, result, applies, msgid) and tails (legal reference). SQLite
keeps a row longer than ~1 KB in a 4 KB page of its own: 100,000 decisions took 411 MB, and a
`check --all` spent ~6 s writing them. Stored, each head or tail found in a fixed vocabulary
(resources/packing/decision_words_<version>.json) is replaced by ``\\x01`` and one character
naming the entry; the rest (the params, the separators, wording not in the vocabulary) stays as
it was. ~330 bytes on average (100,000 demo decisions): the row fits in its page.

The stored form, by its first characters:
- ``\\x02`` then the vocabulary version (``1``): codes to expand (``unpack``);
- ``\\x02`` then ``0``: the text follows as it was (a text that itself starts with ``\\x02``);
- anything else: the text as it was (rows stored before migration 0880, and texts holding a
  ``\\x01``, which no JSON text from our encoder holds: control characters are escaped).
So ``unpack(pack(t)) == t`` for every string. A vocabulary file is never changed once released:
new wording goes into a new version. Packages carry the text itself (``packed_text`` in SQL at
export, ``pack`` on import; storage/records.py); no code leaves this office.
A stored value is read as untrusted (a backup or a database file may be hostile): an unknown
version or code is refused, and the text it may expand to is bounded (``MAX_CODES``).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from migreg_desktop import paths

MARK, LEAD = "\x01", "\x02"
VERSION = "1"
MAX_CODES = 4096  # a decision has ~20; bounds what a hostile stored value expands to (~1 MB)
_FIRST = 0x20  # code characters: printable, never a control character


class PackedError(ValueError):
    """A stored value that is not a packed text this program wrote."""


@cache
def vocabulary(version: str = VERSION) -> tuple[str, ...]:
    text = paths.resource("packing", f"decision_words_{version}.json").read_text("utf-8")
    words = json.loads(text)
    if not (isinstance(words, list) and all(isinstance(w, str) and w and MARK not in w for w in words)):
        raise PackedError(f"vocabulary {version} is malformed")
    return tuple(words)


@cache
def codes(version: str = VERSION) -> dict[str, str]:
    """Entry → its code (``MARK`` and one character)."""
    return {w: MARK + chr(_FIRST + i) for i, w in enumerate(vocabulary(version))}


@cache
def _finder() -> re.Pattern[str]:
    # longest first: an entry that is the start of another never takes the longer one's place
    return re.compile("|".join(map(re.escape, sorted(vocabulary(), key=len, reverse=True))))


def pack(value: Any) -> Any:
    """The stored form of ``value``: a text with its vocabulary entries as codes; other values as
    they are (validation refuses them elsewhere; they are stored and read back unchanged)."""
    if type(value) is not str:
        return value
    if value.startswith(LEAD):
        return LEAD + "0" + value
    if MARK in value:
        return value
    table = codes()
    packed, found = _finder().subn(lambda m: table[m.group()], value)
    return LEAD + VERSION + packed if found else value


def pack_all(values: list[Any]) -> list[Any]:
    return list(map(pack, values))


def unpack(value: Any) -> Any:
    """The text a stored value holds (``pack``'s inverse); ``PackedError`` for a value this
    program did not write."""
    if type(value) is not str or not value.startswith(LEAD):
        return value
    version = value[1:2]
    if version == "0":
        return value[2:]
    if version != VERSION:
        raise PackedError(f"packed text of unknown version {version!r}")
    pieces = value[2:].split(MARK)
    if len(pieces) > MAX_CODES:
        raise PackedError("packed text with too many codes")
    words = _entries(version)
    try:
        return pieces[0] + "".join([words[piece[0]] + piece[1:] for piece in pieces[1:]])
    except (KeyError, IndexError):  # a code not in the vocabulary, or a mark with no code
        raise PackedError("packed text with an unknown code") from None


@cache
def _entries(version: str) -> dict[str, str]:
    """Code character → entry (a lookup by the character itself: no index arithmetic that a
    hostile code could turn negative)."""
    return {chr(_FIRST + i): w for i, w in enumerate(vocabulary(version))}


# The columns stored packed (the models' ``PackedText`` columns; a test holds the two alike), for
# what reads a database file without the models: the integrity check (storage/integrity.py).
COLUMNS = (("eligibility_decision", "results"),)


def readable(value: Any) -> bool:
    """Whether ``unpack`` reads ``value`` (the integrity check's test of each stored value)."""
    try:
        unpack(value)
    except PackedError:
        return False
    return True


# Application SQL functions (storage/db, storage/reader register them with ids'): a package
# line carries ``packed_text(results)``; an import binds ``packed_db(?)`` where it writes in SQL.
SQL_FUNCTIONS = (("packed_db", pack), ("packed_text", unpack))
