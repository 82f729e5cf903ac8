"""decision results stored packed: the rules' fixed wording as codes (issue 17 §1, §4)

Revision ID: 0880_packed_results
Revises: 0870_digest_versions

A decision's results text (~2.2 KB) made its row overflow into a page of its own: 100,000
decisions took 411 MB. Each text is stored in migreg_desktop/packed_text.py's form: the heads
and tails of the rule answers found in the vocabulary (resources/packing/decision_words_1.json,
never changed once released) replaced by ``\\x01`` and a code character, behind ``\\x02`` and the
vocabulary version; ~330 bytes on average. The text read back is the same, character for character.

Converted in place. The sync triggers see no edit (``sync_suppress``: the decisions' substance
is unchanged, nothing is sent again), nor does the trigger that drops a decision's digest (the
digest is of the text, which is unchanged); it is lifted for the conversion and put back.
Runs after the program's backup. The rows shrink inside their pages and no page is freed, so the
upgrade compacts the file after it whatever the free-page share (storage/db.REWRITE_IN_PLACE). Self-contained: the packing is copied here as it is at this
revision, and reads version 1 of the vocabulary, which never changes.
"""

import json
import re
from importlib import resources

from alembic import op

revision = "0880_packed_results"
down_revision = "0870_digest_versions"
branch_labels = None
depends_on = None

MARK, LEAD, VERSION, FIRST = "\x01", "\x02", "1", 0x20


def _words() -> list[str]:
    path = resources.files("migreg_desktop.resources") / "packing" / "decision_words_1.json"
    return json.loads(path.read_text("utf-8"))


def _pack_fn():  # type: ignore[no-untyped-def]
    """packed_text.pack, copied."""
    words = _words()
    codes = {w: MARK + chr(FIRST + i) for i, w in enumerate(words)}
    finder = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))

    def pack(value):  # type: ignore[no-untyped-def]
        if type(value) is not str:
            return value
        if value.startswith(LEAD):
            return LEAD + "0" + value
        if MARK in value:
            return value
        packed, found = finder.subn(lambda m: codes[m.group()], value)
        return LEAD + VERSION + packed if found else value

    return pack


def _unpack_fn():  # type: ignore[no-untyped-def]
    """packed_text.unpack, copied (a value it cannot read stays as it is: the downgrade loses nothing)."""
    words = {chr(FIRST + i): w for i, w in enumerate(_words())}

    def unpack(value):  # type: ignore[no-untyped-def]
        if type(value) is not str or not value.startswith(LEAD):
            return value
        if value[1:2] == "0":
            return value[2:]
        pieces = value[2:].split(MARK)
        try:
            return pieces[0] + "".join(words[p[0]] + p[1:] for p in pieces[1:])
        except (KeyError, IndexError):
            return value

    return unpack


def _convert(fn) -> None:  # type: ignore[no-untyped-def]
    con = op.get_bind()
    con.connection.driver_connection.create_function("mig_results", 1, fn, deterministic=True)
    stale = con.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND name = 'eligibility_digest_stale'").scalar()
    if stale:
        op.execute("DROP TRIGGER eligibility_digest_stale")
    suppressed = con.exec_driver_sql("SELECT count(*) FROM sync_suppress").scalar()
    op.execute("INSERT OR IGNORE INTO sync_suppress (flag) VALUES (1)")
    op.execute("UPDATE eligibility_decision SET results = mig_results(results)")
    if not suppressed:
        op.execute("DELETE FROM sync_suppress")
    if stale:
        op.execute(stale)


def upgrade() -> None:
    _convert(_pack_fn())


def downgrade() -> None:
    _convert(_unpack_fn())
