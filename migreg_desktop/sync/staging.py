"""After records are applied: the case search index, and (oblast) person staging + duplicates.

Design/sync.md "Deduplication at the oblast": imported persons land in staging, matched by IIN
first, then by normalised kk/ru/Latin name plus birth date; suspects go to a review queue
instead of merging silently.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from migreg_desktop import parallel
from migreg_desktop.accounts import audit, permissions
from migreg_desktop.errors import NotFound, UserError
from migreg_desktop.models import Person
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.sync import SyncDuplicate, SyncStaging
from migreg_desktop.storage import bulk_indexes, search

if TYPE_CHECKING:
    from concurrent.futures import Executor

TEMP_TABLES = ("CREATE TEMP TABLE IF NOT EXISTS sync_touched (case_id TEXT PRIMARY KEY)",
               "CREATE TEMP TABLE IF NOT EXISTS sync_touched_person (person_id TEXT PRIMARY KEY)")
BATCH = 500


def prepare(con: Any) -> None:
    for sql in TEMP_TABLES:
        con.execute(sql)
    con.execute("DELETE FROM temp.sync_touched")
    con.execute("DELETE FROM temp.sync_touched_person")


@lru_cache(maxsize=200_000)
def _tokens(value: str | None) -> tuple[str, ...]:
    """Folded words of one name: names repeat a lot, so an import folds each spelling once."""
    return tuple(search.tokens(value)) if value else ()


def name_key(surname: str | None, name: str | None) -> str:
    return " ".join(_tokens(surname) + _tokens(name))


def reindex_cases(con: Any, pool: Executor | None = None) -> int:
    """Rebuild the search rows (cases_fts) of every case the import touched; the words of the next
    cases are worked out by ``pool``'s worker process (if any) while this one writes."""
    con.execute("INSERT OR IGNORE INTO temp.sync_touched (case_id) "
                "SELECT id FROM cases WHERE applicant_id IN (SELECT person_id FROM temp.sync_touched_person) "
                "UNION SELECT case_id FROM family_member WHERE person_id IN "
                "(SELECT person_id FROM temp.sync_touched_person)")
    ids = [r[0] for r in con.execute("SELECT t.case_id FROM temp.sync_touched t JOIN cases c ON c.id = t.case_id")]
    rows = (search.word_rows(con, ids[i:i + BATCH]) for i in range(0, len(ids), BATCH))
    for words in parallel.ordered(search.words_from, rows, pool, ahead=2):
        search.put_words(con, words)  # under a new generation each (storage/search.py, 0850)
    search.compact_if_needed(con)
    return len(ids)


def stage_persons(con: Any, sender: str, sequence: int) -> int:
    """Oblast: stage the imported persons and queue suspected duplicates. Returns new suspects."""
    now = utcnow().isoformat(sep=" ")
    staged = con.execute("SELECT count(*) FROM temp.sync_touched_person").fetchone()[0]
    # A district's first package stages ~300,000 persons: the staging indexes are built once
    # after them, not walked per person (storage/bulk_indexes; the matching below uses them).
    with bulk_indexes.set_aside(con, "sync_staging", bulk_indexes.worth_it(con, "sync_staging", staged),
                                key="person_id"):
        cur = con.execute("SELECT id, iin, surname, name, birth_date FROM person WHERE id IN "
                          "(SELECT person_id FROM temp.sync_touched_person)")
        while rows := cur.fetchmany(BATCH * 10):  # streamed: 300,000 persons must not sit in memory
            con.executemany(
                "INSERT INTO sync_staging (person_id, sender, sequence, iin, name_key, birth_date, match, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, 'new', ?) ON CONFLICT (person_id) DO UPDATE SET "
                "sender = excluded.sender, sequence = excluded.sequence, iin = excluded.iin, "
                "name_key = excluded.name_key, birth_date = excluded.birth_date",
                [(pid, sender, sequence, iin, name_key(surname, name), birth, now)
                 for pid, iin, surname, name, birth in rows])
    before = con.execute("SELECT count(*) FROM sync_duplicate").fetchone()[0]
    mine = "s.person_id IN (SELECT person_id FROM temp.sync_touched_person)"
    pair = "MIN(s.person_id, o.person_id), MAX(s.person_id, o.person_id)"
    con.execute(f"INSERT OR IGNORE INTO sync_duplicate (person_id, other_id, match_kind, status, created_at) "
                f"SELECT {pair}, 'iin', 'open', ? FROM sync_staging s JOIN sync_staging o "
                f"ON o.iin = s.iin AND o.person_id <> s.person_id WHERE {mine} AND s.iin IS NOT NULL", (now,))
    # Same folded name and birth date, unless both carry different IINs (then they are two people).
    con.execute(f"INSERT OR IGNORE INTO sync_duplicate (person_id, other_id, match_kind, status, created_at) "
                f"SELECT {pair}, 'name_birth', 'open', ? FROM sync_staging s JOIN sync_staging o "
                f"ON o.name_key = s.name_key AND o.birth_date = s.birth_date AND o.person_id <> s.person_id "
                f"WHERE {mine} AND s.birth_date IS NOT NULL AND s.name_key <> '' "
                f"AND (s.iin IS NULL OR o.iin IS NULL)", (now,))
    con.execute("UPDATE sync_staging SET match = 'suspect' WHERE person_id IN "
                "(SELECT person_id FROM sync_duplicate WHERE status = 'open' "
                "UNION SELECT other_id FROM sync_duplicate WHERE status = 'open')")
    return int(con.execute("SELECT count(*) FROM sync_duplicate").fetchone()[0] - before)


# ---- the review queue --------------------------------------------------------------------------

def _person_brief(p: Person | None, pid: str) -> dict[str, Any]:
    if p is None:
        return {"id": pid}
    return {"id": p.id, "iin": p.iin, "name": p.full_name, "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "owner": p.owner_office}


def list_duplicates(status: str | None = "open", *, session: Session, limit: int = 500) -> list[dict[str, Any]]:
    stmt = select(SyncDuplicate).order_by(col(SyncDuplicate.id))
    if status:
        stmt = stmt.where(SyncDuplicate.status == status)
    out = []
    for d in session.exec(stmt.limit(limit)).all():
        out.append({"id": d.id, "match": d.match_kind, "status": d.status,
                    "person": _person_brief(session.get(Person, d.person_id), d.person_id),
                    "other": _person_brief(session.get(Person, d.other_id), d.other_id)})
    return out


def resolve_duplicate(dup_id: int, verdict: str, *, session: Session) -> SyncDuplicate:
    """``same`` (one person, recorded twice) or ``different`` (two people). Rows are not merged."""
    permissions.require('duplicate.resolve', session)
    if verdict not in ("same", "different"):
        raise UserError("{value} is not one of: {choices}", field="status", value=verdict, choices="same, different")
    dup = session.get(SyncDuplicate, dup_id)
    if dup is None:
        raise NotFound("no duplicate pair {id}", id=dup_id)
    dup.status, dup.resolved_at, dup.resolved_by = verdict, utcnow(), audit.actor(session)
    session.add(dup)
    session.flush()
    _settle_staging((dup.person_id, dup.other_id), session=session)
    audit.record("duplicate_" + verdict, "person", dup.person_id, {"other": [None, dup.other_id]}, session=session)
    return dup


def _settle_staging(person_ids: tuple[str, str], *, session: Session) -> None:
    """A person with no open pair left is settled: ``same`` if any pair said so, else ``distinct``."""
    for pid in person_ids:
        pairs = session.exec(select(SyncDuplicate.status).where(
            (SyncDuplicate.person_id == pid) | (SyncDuplicate.other_id == pid))).all()
        if "open" in pairs:
            continue
        staged = session.get(SyncStaging, pid)
        if staged is not None:
            staged.match = "same" if "same" in pairs else "distinct"
            session.add(staged)
