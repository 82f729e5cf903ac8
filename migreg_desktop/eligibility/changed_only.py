"""A re-check that changes nothing stores nothing (issue 17): the writer of automatic decisions.

Decisions are append-only and each row travels in sync packages; `check --all` over 100,000 cases
used to append 100,000 rows (~425 MB, every backup and the oblast's change log) even when no
answer moved. Now a bulk or automatic re-check stores a case's new decision only when its
**substance** differs from the case's latest stored one: the verdict, ``eligible`` and the rule
results (rule, result, applies, msgid, params, reference). They are compared by a 64-bit digest
of that substance kept per decision (``eligibility_digest``, migration 0830;
``decision_text.Encoder.digest``), so neither the stored text is read nor the new one built for
a case whose answer did not move. A latest decision without a digest (stored before 0830, by a
clerk's own check, by an import) is compared as the exact text the writer produces
(``eligibility.results_json`` and the bulk encoder spell a decision one way: keys in
``RuleResult.to_store`` order, ``ensure_ascii=False``; tests/unit/eligibility compare both), and
given its digest when it is the same; a row written by an older spelling only counts as changed
once.

When the substance is the same but the versions it was judged under moved on (the case's
version, the rules, the reference data), the latest decision is *confirmed*: one row per case in
``eligibility_confirmed`` (migration 0810), updated in place, local to this office (no sync
log). ``stale_reason`` reads the confirmed versions, so the decision stays current for the
quota reservation, the sheets and the panel. Nothing at all is written when even the versions
are the same (a second `check --all` of an unchanged database).

A clerk's own check (the window's "Check again", `migreg check CASE`) is not routed here: it is
an explicit, audited act and always stores its row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from migreg_desktop.eligibility.decision_text import Encoder
from migreg_desktop.ids import from_db, to_db_all, uuid7_many
from migreg_desktop.packed_text import unpack
from migreg_desktop.rules import Decision
from migreg_desktop.storage.reader import Rows
from migreg_desktop.storage.reader import rows as dbapi_rows

if TYPE_CHECKING:  # a worker process imports this module: without SQLModel (bulk_check.py)
    from sqlmodel import Session

INSERT_COLUMNS = ("uid", "case_id", "checked_at", "checked_on", "verdict", "eligible", "results", "rules_version",
                  "reference_version", "case_version", "trigger", "by_user")
INSERT_SQL = (f"INSERT INTO eligibility_decision ({', '.join(INSERT_COLUMNS)}) "
              f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})")
# positions in a pending row (INSERT_COLUMNS without the uid, given at the flush)
_AT = {name: i for i, name in enumerate(INSERT_COLUMNS[1:])}
_CASE, _RESULTS = _AT["case_id"], _AT["results"]
_VERSIONS = (_AT["case_version"], _AT["rules_version"], _AT["reference_version"])
# positions in a row to store (INSERT_COLUMNS, the uid first)
_ROW = {name: i for i, name in enumerate(INSERT_COLUMNS)}
_STORED_VERSIONS = (_ROW["case_version"], _ROW["rules_version"], _ROW["reference_version"])

# The latest decision of each case with the versions it was last confirmed under and its digest
# (migration 0830; NULL: stored before it, by a clerk's own check or an import). The versions it
# was judged under are kept next to its digest (migration 0870: the case version, and the rules
# and reference-data versions as a row of eligibility_versions), so the decision row itself
# (~0.7 KB since 0880_packed_results, ~4 KB before) is read only for a decision without a digest, whose verdict and
# ``eligible`` are compared then; for the others they come back NULL (not compared): the row is
# looked up by a key that is NULL for them (with ``d.id = m.id AND …`` SQLite read every row's
# page first, half of this query at 100,000 cases; issue 17 §4). json_each:
# one bound parameter for a batch of ids (SQLite limits the bound variables of one statement).
_LATEST_SQL = (
    "SELECT m.case_id, m.id, d.verdict, d.eligible, g.digest, "
    "COALESCE(k.case_version, g.case_version, d.case_version), "
    "COALESCE(k.rules_version, v.rules_version, d.rules_version), "
    "COALESCE(k.reference_version, v.reference_version, d.reference_version) "
    "FROM (SELECT case_id, max(id) AS id FROM eligibility_decision {where}GROUP BY case_id) m "
    "LEFT JOIN eligibility_confirmed k ON k.case_id = m.case_id AND k.decision_id = m.id "
    "LEFT JOIN eligibility_digest g ON g.decision_id = m.id "
    "LEFT JOIN eligibility_versions v ON v.id = g.versions "
    "LEFT JOIN eligibility_decision d ON d.id = CASE WHEN g.case_version IS NULL OR v.id IS NULL THEN m.id END")
_SOME = "WHERE case_id IN (SELECT id_db(value) FROM json_each(?)) "  # ids: issue 17 §1
_SPAN = "WHERE case_id BETWEEN ? AND ? "
_TEXT_SQL = "SELECT id, results FROM eligibility_decision WHERE id IN (SELECT value FROM json_each(?))"
_DIGEST_INTO = "INSERT INTO eligibility_digest (decision_id, digest, case_version, versions) "
# An upsert, not INSERT OR REPLACE: the same row in the end, without REPLACE's delete-and-insert
# and its foreign-key bookkeeping (0.22 → 0.15 s for 100,000 new digests; issue 17 §4).
_DIGEST_SET = (" ON CONFLICT (decision_id) DO UPDATE SET digest = excluded.digest, "
               "case_version = excluded.case_version, versions = excluded.versions")
# a new decision's digest: (id, digest, case version, rules version, reference version), its pair
# of versions first added to eligibility_versions (_PAIR_SQL)
_PAIR_SQL = "INSERT OR IGNORE INTO eligibility_versions (rules_version, reference_version) VALUES (?, ?)"
_PAIR_ID_SQL = "SELECT id FROM eligibility_versions WHERE rules_version = ? AND reference_version = ?"
_DIGEST_SQL = _DIGEST_INTO + "VALUES (?, ?, ?, ?)" + _DIGEST_SET  # the pair's id looked up once per pair, not per row
# earlier decisions' digests, with the versions on their rows, set-based (one statement each
# for a part: 100,000 imported decisions given their digests): JSON [[digest, decision id], …]
_GIVEN = "SELECT json_extract(value, '$[0]') AS digest, json_extract(value, '$[1]') AS id FROM json_each(?)"
_GIVE_PAIR_SQL = ("INSERT OR IGNORE INTO eligibility_versions (rules_version, reference_version) "
                  f"SELECT DISTINCT d.rules_version, d.reference_version FROM ({_GIVEN}) g "
                  "JOIN eligibility_decision d ON d.id = g.id")
_GIVE_DIGEST_SQL = (_DIGEST_INTO + f"SELECT d.id, g.digest, d.case_version, v.id FROM ({_GIVEN}) g "
                    "JOIN eligibility_decision d ON d.id = g.id JOIN eligibility_versions v "
                    "ON v.rules_version = d.rules_version AND v.reference_version = d.reference_version "
                    "WHERE true" + _DIGEST_SET)
_CONFIRM_SQL = ("INSERT INTO eligibility_confirmed "
                "(case_id, decision_id, case_version, rules_version, reference_version, checked_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET decision_id = excluded.decision_id, "
                "case_version = excluded.case_version, rules_version = excluded.rules_version, "
                "reference_version = excluded.reference_version, checked_at = excluded.checked_at"
                )  # the case id in its stored form (ids.to_db_all: no SQL function per row); an upsert, as _DIGEST_SET
_CONFIRMED_SQL = ("SELECT case_version, rules_version, reference_version FROM eligibility_confirmed "
                  "WHERE case_id = id_db(?) AND decision_id = ?")

Pending = tuple[tuple[Any, ...], Decision]  # (a row in INSERT_COLUMNS order but the uid and its results text, …)


Latest = dict[str, tuple[Any, ...]]  # case id → (decision id, verdict, eligible, digest, its versions)


# What a re-check decided for a part of its cases, as plain values (a worker process hands it to
# the main process, which alone writes; eligibility/bulk_check.py): the rows to store (as bound:
# INSERT_COLUMNS, ids in their stored form) with their digests, the confirmations (as bound:
# _CONFIRM_SQL), and the digests given to earlier decisions (digest, decision id).
Changes = tuple[list[tuple[tuple[Any, ...], int]], list[tuple[Any, ...]], list[tuple[int, int]]]


def store_changed(session: Session, pending: list[Pending], encode: Encoder, latest: Latest | None = None) -> int:
    """Store the pending decisions whose substance differs from their case's latest decision,
    confirm the others whose versions moved on; empties ``pending``; returns the rows stored.
    ``latest``: ``latest_decisions`` read beforehand for these cases (and maybe more)."""
    if not pending:
        return 0
    stored = write(session, compare(session, pending, encode, latest))
    pending.clear()
    return stored


def compare(source: Session | Rows, pending: list[Pending], encode: Encoder, latest: Latest | None = None) -> Changes:
    """What storing ``pending`` changes, read but not written: compared by digest; a latest
    decision without one by its text (then given its digest). The rows to store come ready for
    the insert (``INSERT_COLUMNS``: a new uid, the case id in its stored form, the stored results
    text), made where the part was judged: in a worker process, not in the one that writes."""
    if not pending:
        return [], [], []
    if latest is None:
        latest = latest_decisions(source, [p[0][_CASE] for p in pending])
    texts = _texts(source, [old[0] for p in pending if (old := latest.get(p[0][_CASE])) and old[3] is None])
    changed: list[tuple[tuple[Any, ...], Decision, int]] = []  # (the pending row, its decision, its digest)
    confirmed: list[tuple[Any, ...]] = []
    given: list[tuple[int, int]] = []  # (digest, decision id) for earlier decisions without one
    versions, digest_of = itemgetter(*_VERSIONS), encode.digest
    for row, decision in pending:
        old = latest.get(row[_CASE])
        digest = digest_of(decision)
        if old is None:
            changed.append((row, decision, digest))
            continue
        if old[3] is None:  # no digest yet: compare the text, as the writer spells it
            same = (old[1], bool(old[2])) == (decision.verdict, decision.eligible) and \
                _same_text(texts.get(old[0]), decision, encode)
            if same:
                given.append((digest, old[0]))
        else:
            same = old[3] == digest
        if not same:
            changed.append((row, decision, digest))
        elif old[4:] != versions(row):
            confirmed.append((row[_CASE], old[0], *versions(row), row[_AT["checked_at"]]))
    # case ids in their stored form (ids.to_db_all: no SQL function per row; issue 17 §1)
    stored, cases = encode.stored, to_db_all([row[_CASE] for row, _decision, _digest in changed])
    rows = [((uid, case, *row[1:_RESULTS], stored(decision), *row[_RESULTS + 1:]), digest)
            for uid, case, (row, decision, digest) in zip(uuid7_many(len(changed)), cases, changed, strict=True)]
    cases = to_db_all([row[0] for row in confirmed])  # 60,000 after new reference data (issue 17 §4)
    return rows, [(case, *row[1:]) for case, row in zip(cases, confirmed, strict=True)], given


def write(session: Session, changes: Changes) -> int:
    """Write what ``compare`` found, in the session's transaction; returns the rows stored."""
    changed, confirmed, given = changes
    digests: list[tuple[Any, ...]] = []
    _insert(session, changed, digests)
    con = _dbapi(session)
    if confirmed:
        con.executemany(_CONFIRM_SQL, confirmed)
    if digests:
        pairs = {d[3:] for d in digests}  # one pair in practice
        con.executemany(_PAIR_SQL, pairs)
        pair_id = {pair: con.execute(_PAIR_ID_SQL, pair).fetchone()[0] for pair in pairs}
        con.executemany(_DIGEST_SQL, [(*d[:3], pair_id[d[3:]]) for d in digests])
    if given:
        given_json = (json.dumps(given),)  # (digest, decision id): plain integers
        con.execute(_GIVE_PAIR_SQL, given_json)
        con.execute(_GIVE_DIGEST_SQL, given_json)
    return len(changed)


def still_current(source: Session | Rows, changes: Changes) -> Changes:
    """``changes`` but the rows of cases whose version moved on since they were judged: a case
    changed meanwhile was re-checked by the change itself (the unit of work), so the older
    judgment is not stored over it (eligibility/bulk_check.py: a part judged in a worker)."""
    changed, confirmed, given = changes
    case, version = _ROW["case_id"], _ROW["case_version"]
    named = {row[case] for row, _digest in changed} | {row[0] for row in confirmed}
    if not named:
        return changes
    now = _versions(_dbapi(source), list(named))
    return ([c for c in changed if now.get(c[0][case]) == c[0][version]],
            [c for c in confirmed if now.get(c[0]) == c[2]], given)


def _versions(con: Any, stored: list[Any]) -> dict[Any, int]:
    """Each case's version, by its stored id, a few hundred at a time (no SQL function per row:
    60,000 cases after new reference data, issue 17 §4)."""
    now: dict[Any, int] = {}
    for i in range(0, len(stored), 500):  # below SQLite's limit of bound parameters
        part = stored[i:i + 500]
        now.update(con.execute(f"SELECT id, version FROM cases WHERE id IN ({','.join('?' * len(part))})", part))
    return now


def _dbapi(source: Session | Rows) -> Any:
    """The DB-API connection of the session's transaction (or ``source`` itself, a worker's read
    connection): rows as plain tuples, fetched at once (through SQLAlchemy, each row is fetched
    and wrapped alone: a second per 100,000)."""
    return dbapi_rows(source)


def latest_decisions(session: Session | Rows, case_ids: Sequence[str] | None = None,
                     span: tuple[bytes, bytes] | None = None) -> Latest:
    """Each case's latest decision (``Latest``): of the cases given, of those whose stored id is
    in ``span`` (eligibility_facts.span_of), or of every case in one pass."""
    if span is not None:
        rows = _dbapi(session).execute(_LATEST_SQL.format(where=_SPAN), span).fetchall()
    elif case_ids is None:
        rows = _dbapi(session).execute(_LATEST_SQL.format(where="")).fetchall()
    else:
        rows = _dbapi(session).execute(_LATEST_SQL.format(where=_SOME), (json.dumps(list(case_ids)),)).fetchall()
    return {from_db(r[0]): r[1:] for r in rows}  # type: ignore[misc]  # stored id → text (ids.py, issue 17 §1)


def _texts(session: Session | Rows, decision_ids: list[int]) -> dict[int, Any]:
    """The results of these decisions as stored (packed_text.py: unpacked only when compared)."""
    if not decision_ids:
        return {}
    return dict(_dbapi(session).execute(_TEXT_SQL, (json.dumps(decision_ids),)).fetchall())


def _same_text(stored: Any, decision: Decision, encode: Encoder) -> bool:
    """Whether ``stored`` (a results value as stored) holds the text the writer spells for
    ``decision``. The same stored form is the same text (``unpack`` is a function): 100,000
    imported decisions are compared without unpacking one (issue 17 §4); any other form is
    unpacked and compared as text (stored before 0880, packed by another spelling)."""
    return stored == encode.stored(decision) or bool(unpack(stored) == encode(decision))


def _insert(session: Session, rows: list[tuple[tuple[Any, ...], int]], digests: list[tuple[Any, ...]]) -> None:
    """One executemany of the rows as ``compare`` made them, on the session's DB-API connection
    (no per-row ORM or Core parameter processing), the sync log written set-based
    (storage/bulk_log.py); each new decision's digest and versions appended to ``digests`` by its
    id. The ids are read back in order: SQLite gives each new row the largest rowid so far plus
    one, so the rows of this one statement in this one transaction get ascending ids in the order
    given (no id is bound or compared here)."""
    if not rows:
        return
    from migreg_desktop.storage.bulk_log import insert_logged  # SQLAlchemy: not in a worker process

    con = _dbapi(session)
    last = con.execute("SELECT coalesce(max(id), 0) FROM eligibility_decision").fetchone()[0]
    insert_logged(con, "eligibility_decision", INSERT_SQL, [row for row, _digest in rows])
    ids = [r[0] for r in con.execute("SELECT id FROM eligibility_decision WHERE id > ? ORDER BY id", (last,))]
    versions = itemgetter(*_STORED_VERSIONS)  # kept with the digest (migration 0870)
    digests += [(i, digest, *versions(row)) for i, (row, digest) in zip(ids, rows, strict=True)]  # strict: counts alike


def confirmed_versions(session: Session, case_id: str, decision_id: int | None) -> tuple[int, str, str] | None:
    """(case version, rules version, reference version) a later re-check confirmed this decision
    under, or None."""
    if decision_id is None:
        return None
    row = session.connection().exec_driver_sql(_CONFIRMED_SQL, (case_id, decision_id)).first()
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))
