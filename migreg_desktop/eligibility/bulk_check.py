"""A big re-check judged on two cores (issue 17 §4): a share of the cases in worker processes.

Judging holds Python's interpreter lock, so one process judges on one core. For a check of many
cases (``PARALLEL_FROM``: `check --all`), worker processes (``migreg_desktop.parallel``) judge
parts of the cases through their own read-only connection to the same database file, while this
process judges parts itself and alone writes, in its one transaction. One function judges a part
wherever it runs (``judge_part``): the facts, the rules, and the comparison with each case's
latest decision (eligibility/changed_only.compare); a worker returns its result as plain values
(the tallies and the rows to store or confirm), this process writes them (changed_only.write).

When it is safe, and only then (``pool_size``):
- this session has written nothing it has not committed (a worker reads the committed state:
  SQLite's WAL; a write pending here would be invisible there) and holds no unflushed ORM change;
- this process takes the write lock *before* it reads anything (``storage.db.begin_immediate``):
  nobody else commits until this check does, so every part is judged from the same state, here
  or there. This process's own writes meanwhile are decisions of other parts' cases, which no
  judgment reads (only each case's own latest decision is compared).
Otherwise, and for a small set (the unit of work's re-check of a few cases, a clerk's own
check), everything stays in this process.

A worker judges under what this process decided (``Terms``: the day, the checked-at stamp, the
actor, the trigger, the reference-data version and the office); one that reads another
reference-data version refuses (a value), and this process judges that part itself. A worker
that dies leaves its parts to this process (``parallel.shared``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migreg_desktop import parallel
from migreg_desktop.eligibility.changed_only import (
    Changes,
    Latest,
    Pending,
    compare,
    latest_decisions,
    still_current,
    write,
)
from migreg_desktop.eligibility.decision_text import Encoder
from migreg_desktop.eligibility.eligibility_facts import FactSource, span_of
from migreg_desktop.errors import Cancelled
from migreg_desktop.ids import from_db
from migreg_desktop.refdata.version_text import reference_version_read
from migreg_desktop.rules import RULES_VERSION
from migreg_desktop.rules.base import CaseFacts
from migreg_desktop.rules.engine import Batch
from migreg_desktop.storage import checkpoint
from migreg_desktop.storage.reader import connect_read_only, page_cache
from migreg_desktop.storage.reader import rows as dbapi_rows

if TYPE_CHECKING:  # a worker process imports this module: SQLModel and the table classes stay out
    from concurrent.futures import Executor

    from sqlmodel import Session

PARALLEL_FROM = 20_000  # fewer cases: a worker's start (spawn, imports, its own reads) would not pay
PART = 2_500  # the most cases in a part (~0.2 s of judging); parts shrink towards the end (parallel.shared)
# This process's page cache while it writes a shared check (KiB): the first check of 100,000 cases
# adds ~90 MB of pages, and with the usual 32 MB SQLite spilled them in mid-transaction
WRITE_CACHE_KIB = 96_000
# Parts handed to each worker process at a time: while this process judges a part and writes
# what came back (~0.3 s), a worker must not run out of parts (issue 17 §4)
AHEAD = 4
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Terms:
    """What this process decided once for the whole check; every part is judged under it."""
    today: date
    stamp: str  # checked_at, as SQLAlchemy's SQLite DateTime stores it
    user: str
    trigger: str
    ref: str  # the reference-data version
    office: str
    whole: bool = False  # the parts read one unchanging state (FactSource's ``whole``)
    every: bool = False  # the ids are every case, in the stored order: a part is a range (span_of)


Judged = tuple[dict[str, int], Changes]  # the verdicts' tallies, what to write


def tallies() -> dict[str, int]:
    return {"eligible": 0, "needs_check": 0, "not_eligible": 0}


def add(tally: dict[str, int], part: dict[str, int]) -> None:
    """A part's verdict tallies added to the run's."""
    for verdict, n in part.items():
        tally[verdict] += n


def judge_part(source: FactSource, rules: Batch, encode: Encoder, terms: Terms,
               facts: Iterable[tuple[CaseFacts, int]], latest: Latest | None = None) -> Judged:
    """Judge these cases (their facts and versions) and compare each decision with the case's
    latest (``latest``: read beforehand, else here for these cases): read-only, here or in a worker."""
    tally = tallies()
    pending: list[Pending] = []
    checked_on = terms.today.isoformat()  # every case's facts.today
    row_tail = (RULES_VERSION, terms.ref)
    judged = list(facts)
    decisions = rules.evaluate_many([case for case, _version in judged], source.params)
    for (case, version), decision in zip(judged, decisions, strict=True):
        # a row as eligibility._insert_params builds it (changed_only.INSERT_COLUMNS but the uid)
        pending.append(((case.case_id, terms.stamp, checked_on, decision.verdict, decision.verdict == "eligible",
                         None, *row_tail, version, terms.trigger, terms.user), decision))
        tally[decision.verdict] += 1
    return tally, compare(source.con, pending, encode, latest)


def judge_ids(source: FactSource, rules: Batch, encode: Encoder, terms: Terms, ids: Sequence[Any]) -> Judged:
    """``judge_part`` for a part of a shared check, here or in a worker. ``ids``: as text, or in
    their stored form (FactSource.case_ids)."""
    part = list(ids)
    span = span_of(part) if terms.every else None
    if span is None:  # looked up one by one: as text (the queries bind each in its stored form)
        part = [from_db(i) for i in part]
    return judge_part(source, rules, encode, terms, source.facts(part, span), latest_decisions(source.con, part, span))


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector off while a check builds its 100,000 facts and answers: none
    of them is part of a cycle, and each full collection would walk them all (issue 17 §4: a
    tenth of the re-check). Reference counting frees them as before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ---- this process -------------------------------------------------------------------------

def pool_size(session: Session, total: int) -> tuple[int, str]:
    """(worker processes, database file) for a check of ``total`` cases in this session; (0, "")
    when it stays here. When not 0, this session now holds the write lock (the module's text)."""
    count, db_file = workers_for(session, total)
    if count:
        from migreg_desktop.storage.db import begin_immediate  # SQLAlchemy: this process only

        begin_immediate(session)
    return count, db_file


def workers_for(session: Session, total: int) -> tuple[int, str]:
    """``pool_size`` without taking the lock (``recheck_shared`` takes it for each part)."""
    if total < PARALLEL_FROM or session.new or session.dirty or session.deleted:
        return 0, ""
    count = parallel.spare_cores()
    con: Any = dbapi_rows(session)
    if count == 0 or con.in_transaction:  # written, not committed: the workers would not see it
        return 0, ""
    found = con.execute("PRAGMA database_list").fetchone()
    if not found or not found[2]:  # a database in memory: no other connection sees it
        return 0, ""
    return count, str(found[2])


def record_run(session: Session, trigger: str, counts: dict[str, int]) -> None:
    """One audit entry for a run or a stored part of one (not one per case)."""
    from migreg_desktop.accounts import audit  # the table classes: this process only

    audit.record("check", "case", None, {"trigger": [None, trigger], **{k: [None, v] for k, v in counts.items()}},
                 session=session)


@dataclass
class Shared:
    """What a shared check reports besides its counts: the worker processes started and the parts
    (of ``parts``) they judged."""
    workers: int = 0
    parts: int = 0
    by_workers: int = 0


@contextmanager
def started(workers: tuple[int, str]) -> Iterator[Executor | None]:
    """The worker processes of ``pool_size`` (None: none), started at once: their start (spawn,
    imports, their connection) runs beside this process's reading of the reference data."""
    count, db_file = workers
    if count <= 0:
        yield None
        return
    # a part's result is ~1.3 MB: read quickly, the worker goes on to its next part at once
    with parallel.workers(count, setup, (db_file,), start=True) as pool, parallel.quick_turns():
        yield pool


def judge_shared(session: Session, source: FactSource, rules: Batch, terms: Terms, ids: list[Any],
                 pool: Executor | None, count: int, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None, report: Shared | None = None) -> dict[str, int]:
    """Judge ``ids`` in parts, some in the ``pool``'s ``count`` processes (``started``), the others here;
    write every part's changes in the session's transaction as it comes. A cancel raises
    ``Cancelled`` (the caller rolls back: nothing written)."""
    encode, report = Encoder(), report or Shared()
    mine = [0]

    def here(part: Sequence[Any]) -> Judged:
        mine[0] += 1
        return judge_ids(source, rules, encode, terms, part)

    checkpoint.later(session)  # ~90 MB of pages: copied from the WAL after the commit, in a thread
    tally, checked, changed = tallies(), 0, 0
    with page_cache(dbapi_rows(session), WRITE_CACHE_KIB):
        for part, result in parallel.shared(partial(judge_job, terms), ids, pool, here=here, ahead=AHEAD * count,
                                            most=PART, least=max(1, PART // 10)):
            judged = result if not isinstance(result, str) else here(part)  # refused: judged here
            changed += write(session, judged[1])
            checked += len(part)
            add(tally, judged[0])
            report.parts += 1
            if progress:
                progress(checked, len(ids))
            if cancelled and cancelled():
                raise Cancelled()
    report.workers, report.by_workers = count, report.parts - mine[0]
    return {"checked": checked, "changed": changed, **tally}


def _later(_part: Sequence[str]) -> None:
    """This process's share of an open-case re-check: judged when stored, in that transaction."""
    return None


def recheck_shared(open_session: Callable[[], Any], ids: list[str], workers: tuple[int, str], terms: Terms,
                   rules: Batch, *, most: int, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None, report: Shared | None = None) -> dict[str, int]:
    """The open cases re-checked after new reference data (eligibility.recheck_open_counts), some
    parts in ``workers``: each part stored in its own short transaction (``open_session()``, a
    fresh session: nothing uncommitted), as before, so a clerk saving a case waits a moment,
    never seconds. The transaction takes the write lock first; this process's parts are judged
    in it. A worker's part was judged from the state committed a moment before: its rows for
    cases changed since are dropped (``changed_only.still_current``: the change re-checked
    them), and the part is judged here again when the reference data changed meanwhile. A
    cancel keeps the parts already stored (each stands alone). Returns ``{"checked", "changed"}``."""
    from migreg_desktop.storage.db import begin_immediate  # SQLAlchemy: this process only

    count = workers[0]
    encode, report = Encoder(), report or Shared()
    done, source, mine = {"checked": 0, "changed": 0}, None, 0
    with started(workers) as pool:
        for part, result in parallel.shared(partial(judge_job, terms), ids, pool, here=_later,
                                            ahead=AHEAD * count, most=most, least=max(1, most // 10)):
            if cancelled and cancelled():
                break
            with open_session() as s:
                begin_immediate(s)  # what this part reads stays so until it is stored
                now = replace(terms, ref=reference_version_read(dbapi_rows(s)))
                if isinstance(result, tuple) and now == terms:
                    judged: Judged = (result[0], still_current(s, result[1]))
                else:  # this process's share, a worker's refusal, or reference data changed meanwhile
                    mine += 1
                    # the facts read for the parts judged here only (~20 ms each: places, lists, quotas)
                    source = FactSource(s, today=terms.today, previous=source)
                    judged = judge_ids(source, rules, encode, now, part)
                changed = write(s, judged[1])
                record_run(s, terms.trigger, {"checked": len(part), "changed": changed, **judged[0]})
            done = {"checked": done["checked"] + len(part), "changed": done["changed"] + changed}
            report.parts += 1
            if progress:
                progress(done["checked"], len(ids))
    report.workers, report.by_workers = count, report.parts - mine
    return done


# ---- in a worker process ------------------------------------------------------------------

# This process's share of one check: its read connection, its rules' memo and encoder, the facts
# source of the terms it last judged under.
_worker: dict[str, Any] = {}


def setup(db_file: str) -> None:
    """The worker's initializer: its own read-only connection to the database file."""
    _worker.clear()
    _worker.update(con=connect_read_only(Path(db_file)), rules=Batch(), encode=Encoder())


def judge_job(terms: Terms, ids: Sequence[Any]) -> Judged | str:
    """One part judged in a worker, or a refusal (``"reference_changed"``: this connection reads
    other reference data than the terms say; the part is then judged by the caller)."""
    w = _worker
    with no_collection():
        if w.get("terms") != terms or not terms.whole:  # not one state for all parts: read it for each
            if reference_version_read(w["con"]) != terms.ref:
                return "reference_changed"
            w["source"] = FactSource(w["con"], today=terms.today, office=terms.office, previous=w.get("source"),
                                     whole=terms.whole)
            w["terms"] = terms
        source: FactSource = w["source"]
        return judge_ids(source, w["rules"], w["encode"], terms, ids)
