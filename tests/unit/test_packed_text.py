"""Issue 17 §1/§4: decision results stored packed (migreg_desktop/packed_text.py) read back as
the very text written, whatever the text; a stored value this program did not write is refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migreg_desktop import packed_text
from migreg_desktop.packed_text import LEAD, MARK, PackedError, pack, unpack

WORDS = packed_text.vocabulary()


@given(st.text())
def test_any_text_comes_back_as_it_was(value: str) -> None:
    assert unpack(pack(value)) == value


@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=12))
def test_texts_made_of_the_vocabulary_come_back_and_shrink(parts: list[str]) -> None:
    value = "".join(parts)
    stored = pack(value)
    assert unpack(stored) == value
    if MARK not in value and not value.startswith(LEAD) and any(w in value for w in WORDS):
        assert stored.startswith(LEAD + packed_text.VERSION) and len(stored) < len(value)


def test_a_decision_text_is_stored_in_a_fifth_of_its_length() -> None:
    head = next(w for w in WORDS if w.startswith('{"rule": "iin_valid"'))
    tail = next(w for w in WORDS if w.startswith(', "reference": '))
    value = "[" + ", ".join([head + '{"age": 52}' + tail] * 10) + "]"
    stored = pack(value)
    assert json.loads(unpack(stored)) == json.loads(value) and len(stored) * 5 < len(value)


def test_edge_values_are_kept() -> None:
    for value in ("", "[]", LEAD, LEAD + "0", LEAD + "1", MARK, MARK + WORDS[0], LEAD + WORDS[0], None, 7, b"\x02"):
        assert unpack(pack(value)) == value


@pytest.mark.parametrize("stored", [
    LEAD + "9[]",  # a version this program does not know
    LEAD + "1[" + MARK,  # a mark with no code
    LEAD + "1[" + MARK + chr(0x20 + len(WORDS)),  # a code past the vocabulary
    LEAD + "1[" + MARK + "\x05",  # a code before the first entry (not an index from the end)
    LEAD + "1" + (MARK + " ") * packed_text.MAX_CODES,  # valid codes, but more than a text could hold
])
def test_a_stored_value_this_program_did_not_write_is_refused(stored: str) -> None:
    with pytest.raises(PackedError):
        unpack(stored)


def test_the_released_vocabulary_never_changes() -> None:
    """A stored decision names entries by their place: version 1 is kept as released (new
    wording goes into a new version file)."""
    import hashlib

    digest = hashlib.blake2b("\n".join(WORDS).encode(), digest_size=8).hexdigest()
    assert (len(WORDS), digest) == (35, VOCABULARY_1)


VOCABULARY_1 = "e568745b51bf61e1"


def test_the_integrity_check_knows_every_packed_column() -> None:
    """packed_text.COLUMNS (read without the models) names exactly the models' PackedText columns."""
    from migreg_desktop.models import metadata
    from migreg_desktop.models.base import PackedText

    found = {(t.name, c.name) for t in metadata.tables.values() for c in t.columns if isinstance(c.type, PackedText)}
    assert found == set(packed_text.COLUMNS) and found
