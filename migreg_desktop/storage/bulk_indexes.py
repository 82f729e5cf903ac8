"""A table's secondary indexes set aside during a bulk write and built again after it (issue 17 §3).

A first import at the oblast writes ~1,000,000 rows; ``cases`` alone has eleven indexes, and each
row insert walks every one of those B-trees. ``CREATE INDEX`` over the finished table sorts once,
several times cheaper. ``set_aside`` drops the table's own indexes — the ones with SQL in
``sqlite_master``, never the automatic ones of a PRIMARY KEY or UNIQUE constraint, so keys,
upserts and foreign keys work as before — and creates them again afterwards from that very SQL:
the schema stays the migrations' (no copy of a definition here; storage/integrity_schema.py
compares it).

Both happen inside the caller's transaction: SQLite's DDL is transactional, so a failure, a
cancel or a killed process rolls back to the old indexes with the rows. A UNIQUE index the new
rows violate fails when it is built again (the same IntegrityError the row insert would have
raised), and the caller rolls everything back. Only worth it when the rows written outnumber the
rows held (``worth_it``): a rebuild reads the whole table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

BULK_MIN = 1000  # rows; below this the indexes stay (a rebuild costs more than it saves)


def secondary(con: Any, table: str, key: str | None = None) -> list[tuple[str, str]]:
    """``(name, sql)`` of the indexes the schema declares on ``table`` (not the automatic ones),
    except a UNIQUE index on exactly ``key``: an upsert's ON CONFLICT target must stay."""
    found = []
    for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                 "AND sql IS NOT NULL ORDER BY name", (table,)):
        unique = con.execute(f"SELECT \"unique\" FROM pragma_index_list('{table}') WHERE name = ?",
                             (name,)).fetchone()[0]
        columns = [r[0] for r in con.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", (name,))]
        if not (unique and key is not None and columns == [key]):
            found.append((str(name), str(sql)))
    return found


def worth_it(con: Any, table: str, incoming: int) -> bool:
    """Whether ``incoming`` rows are a bulk write for ``table``: at least ``BULK_MIN`` and at
    least as many as the table holds (the first import of a district)."""
    if incoming < BULK_MIN:
        return False
    held = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return incoming >= int(held)


def drop(con: Any, table: str, key: str | None = None) -> list[tuple[str, str]]:
    """Drop ``table``'s secondary indexes (``secondary``); returns them for ``rebuild``. The
    import does the two as jobs of its writer thread (storage/bulk_write): the rebuild of one
    member's table then runs while the next member is checked."""
    if not con.in_transaction:  # DDL outside a transaction would commit at once: never half-done
        raise RuntimeError("set_aside needs an open transaction")
    indexes = secondary(con, table, key)
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    return indexes


def rebuild(con: Any, indexes: list[tuple[str, str]]) -> None:
    """Create again the indexes ``drop`` returned, from their own SQL."""
    for _name, sql in indexes:
        con.execute(sql)


@contextmanager
def set_aside(con: Any, table: str, enabled: bool = True, key: str | None = None) -> Iterator[None]:
    """Drop ``table``'s secondary indexes (``secondary``) for the block, create them again after
    it. On an error they are not rebuilt: the caller must roll the transaction back (the import
    always does)."""
    if not enabled:
        yield
        return
    indexes = drop(con, table, key)
    yield
    rebuild(con, indexes)
