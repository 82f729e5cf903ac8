"""Applying the records of a data package inside the import's single transaction.

Rules (design/sync.md "Conflicts"): one owning office per case. For each incoming record:
- owned by us: an edit from elsewhere is a proposal → conflict queue unless identical;
- owned by the sender (or a third office): a version we already hold → unchanged; a newer one
  is applied, unless we edited that record locally and differ → conflict queue.
Never last-writer-wins.

Who owns a record is decided here, never by the line's ``owner`` field (issue 12 §3): the owner
we hold for it (the local row through the type's ``owner_sql``), and what the incoming row itself
says (its ``owner_office``, a case's ``office_code``, the case it hangs on). A record nobody here
owns yet is the signing office's. A change to a record of a third office is refused (counted,
listed, never applied): the signature binds an office to its own records only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from migreg_desktop import ids
from migreg_desktop.models.base import utcnow
from migreg_desktop.storage import bulk_indexes, bulk_write, records, sync_keys, triggers
from migreg_desktop.sync import batch_checks, fresh
from migreg_desktop.sync.batch_checks import Job, Prepared

BATCH = 2000
# The writes of a batch run on a writer thread while the import's thread checks the next one
# (storage/bulk_write; issue 17 §3). False: the same jobs at once on that thread (tests, profiles).
THREADED = True
REFUSED_LISTED = 100
Tick = Callable[[int], None]


@dataclass
class Outcome:
    applied: int = 0
    unchanged: int = 0
    conflicts: int = 0
    deleted: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, int]:
        doc = {"applied": self.applied, "unchanged": self.unchanged, "conflicts": self.conflicts,
               "deleted": self.deleted}
        if self.refused:
            doc["refused"] = self.refused
        return doc


@dataclass
class Context:
    con: Any
    me: str
    sender: str
    sequence: int
    tick: Tick
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    seen_record: set[str] = field(default_factory=set)  # types with rows in sync_record
    seen_change: set[str] = field(default_factory=set)  # types with local edits in sync_change
    has_conflicts: bool = False
    has_rows: set[str] = field(default_factory=set)  # types whose table holds rows here
    refused: list[dict[str, Any]] = field(default_factory=list)  # the first REFUSED_LISTED
    kato: frozenset[str] = frozenset()  # known KATO codes: read before the writer thread starts
    init: Callable[[], None] = lambda: None  # sets a process up to check lines (batch_checks.setup)

    def survey(self) -> None:
        """Once per import: which bookkeeping tables hold anything at all."""
        def having(table: str) -> set[str]:
            return {rt.name for rt in records.ordered() if self.con.execute(
                f"SELECT 1 FROM {table} WHERE kind = ? LIMIT 1", (rt.code,)).fetchone()}

        self.seen_record, self.seen_change = having("sync_record"), having("sync_change")
        self.has_rows = {rt.name for rt in records.ordered()
                         if self.con.execute(f"SELECT 1 FROM {rt.table} LIMIT 1").fetchone()}
        self.has_conflicts = self.con.execute("SELECT 1 FROM sync_conflict WHERE sender = ? LIMIT 1",
                                              (self.sender,)).fetchone() is not None
        # The checks run beside the writer thread, which alone uses the connection meanwhile.
        self.kato = frozenset(r[0] for r in self.con.execute("SELECT kato FROM territory"))

    def fresh(self, rt: records.RecordType) -> fresh.Fresh | None:
        """A first import of ``rt``'s records (sync/fresh.py): its table, its sync bookkeeping and
        the conflict queue hold nothing, so ``_apply_batch`` finds nothing held, edited or queued."""
        if (rt.name in self.has_rows or rt.name in self.seen_record or rt.name in self.seen_change
                or self.has_conflicts or rt.portable or not self.sender or self.me == self.sender):
            return None
        return fresh.Fresh(self.sender, self.sequence)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def same(rt: records.RecordType, local: dict[str, Any] | None, incoming: dict[str, Any] | None) -> bool:
    if local is None or incoming is None:
        return local is None and incoming is None
    keys = (set(local) | set(incoming)) - rt.not_compared
    return all(local.get(k) == incoming.get(k) for k in keys)


Submit = Callable[[Callable[[], None]], None]
# Checked batches: lines and what was found, or made ready (sync/fresh.py); each with its job
Checked = Iterator[tuple[list[dict[str, Any]], Prepared | fresh.Ready, Job]]


def apply_member(ctx: Context, rt: records.RecordType, count: int,
                 checked: Checked, submit: Submit) -> None:
    """One member of ``count`` records: its writes are jobs of the import's writer (``submit``,
    storage/bulk_write), in order. A bulk write (a district's first package) sets the table's
    indexes aside and builds them once at the end of the member instead of walking them per row
    (storage/bulk_indexes); the rebuild runs while the next member is checked. A member of at
    least ``BULK_MIN`` records lifts the table's sync triggers until its end (storage/triggers.lift):
    the import's rows stay unlogged either way, without a trigger program run for each."""
    aside: list[tuple[str, str]] = []
    lifted: list[str] = []

    def set_aside() -> None:
        if count >= bulk_indexes.BULK_MIN:  # its rows stay unlogged (sync_suppress): no trigger program a row
            lifted.extend(triggers.lift(ctx.con, rt))
        if bulk_indexes.worth_it(ctx.con, rt.table, count):
            aside.extend(bulk_indexes.drop(ctx.con, rt.table, key=rt.key))

    def put_back() -> None:
        bulk_indexes.rebuild(ctx.con, aside)
        triggers.put_back(ctx.con, lifted)

    submit(set_aside)
    apply_type(ctx, rt, checked, submit)
    submit(put_back)


def apply_type(ctx: Context, rt: records.RecordType, checked: Checked, submit: Submit) -> None:
    """Batches come checked and prepared (sync/batch_checks: here or in a worker process), each with
    its job (its raw lines), while the writer applies the ones before; this thread never touches
    the connection itself (the writer alone uses it until the import's writer is closed)."""
    cols = rt.columns()
    out = ctx.outcomes.setdefault(rt.name, Outcome())
    for batch, prep, job in checked:
        if isinstance(prep, fresh.Ready):
            submit(lambda ready=prep, job=job: _apply_ready(ctx, rt, cols, ready, out, job))  # type: ignore[misc]
            ctx.tick(prep.count)
            continue
        submit(lambda batch=batch, prep=prep: _apply_batch(ctx, rt, cols, batch, prep, out))  # type: ignore[misc]
        ctx.tick(len(batch))


def _apply_ready(ctx: Context, rt: records.RecordType, cols: list[str], ready: fresh.Ready, out: Outcome,
                 job: Job) -> None:
    """A batch a worker made ready (sync/fresh.py): written as it is, unless a row naming no owner
    hangs on a case of another office (or of ours) — then the long way, its lines checked again here."""
    if ready.cases and ctx.con.execute(
            f"SELECT 1 FROM cases WHERE id IN ({_marks(len(ready.cases))}) "
            "AND COALESCE(owner_office, office_code) NOT IN ('', ?) LIMIT 1", [*ready.cases, ctx.sender]).fetchone():
        _apply_batch(ctx, rt, cols, *batch_checks.check_again(job, ctx.init), out=out)
        return
    for order, rows in ready.groups:
        _upsert(ctx.con, rt, order, rows)
    _touch(ctx.con, rt, ready.touched)
    _log_records(ctx.con, ready.recs)
    out.applied += ready.count


def _apply_batch(ctx: Context, rt: records.RecordType, cols: list[str], batch: list[dict[str, Any]],
                 prep: Prepared, out: Outcome) -> None:
    con, ids = ctx.con, [line["id"] for line in batch]
    # Lookups only where a table holds anything relevant (a first import of 1,000,000 records
    # finds them all empty): versions held, local edits, conflicts already queued.
    held = ({rid: v for rid, (v,) in sync_keys.lookup(con, "sync_record", "version", rt, ids).items()}
            if rt.name in ctx.seen_record else {})
    local_edit = set(sync_keys.lookup(con, "sync_change", "version", rt, ids)) if rt.name in ctx.seen_change else set()
    known = set()
    if ctx.has_conflicts:
        known = {(r[0], r[1]) for r in con.execute(
            f"SELECT record_id, version FROM sync_conflict WHERE record_type = ? AND sender = ? AND record_id IN "
            f"({_marks(len(ids))})", [rt.name, ctx.sender, *ids])}
    batch = _owned(ctx, rt, batch, out, prep)
    wanted = [line["id"] for line in batch if line["owner"] == ctx.me or line["deleted"] or line["id"] in local_edit
              or held.get(line["id"], 0) >= line["version"]]
    current = _current_rows(con, rt, cols, wanted) if wanted else {}
    upserts: list[dict[str, Any]] = []
    deletes: list[dict[str, Any]] = []
    recs: list[tuple[Any, ...]] = []
    conflicts: list[tuple[Any, ...]] = []
    dropped: list[str] = []
    # Nothing held, no local edit, nothing queued (a first import): every line not ours comes to
    # "applied" below; decided once per batch, not per line (issue 17 §3).
    plain = not held and not local_edit and not known
    # Each record's sync key as ``prepare`` made it: one spelling for every outcome below.
    code, sender, sequence, key = rt.code, ctx.sender, ctx.sequence, prep.keys.__getitem__
    for line in batch:
        rid, v, inc = line["id"], line["version"], (None if line["deleted"] else line["data"])
        mine = line["owner"] == ctx.me
        if plain and not mine:
            (deletes if inc is None else upserts).append(line)
            out.deleted += inc is None and rid in current
            out.applied += 1
            recs.append((code, key(rid), sender, v, sequence, "applied"))
            continue
        if (not mine and (rid, v) not in known and held.get(rid, 0) >= v and rid not in local_edit
                and not same(rt, current.get(rid), inc)):
            # A version we hold, with other content: the sender's counter went back (a restore
            # there). Never dropped as "unchanged": queued for a person (issue 12 §5).
            conflicts.append(_conflict_row(ctx, rt, line, current.get(rid)))
            out.conflicts += 1
            continue
        if (rid, v) in known or (not mine and held.get(rid, 0) >= v) or (mine and same(rt, current.get(rid), inc)):
            out.unchanged += 1
            if not mine:
                recs.append((code, key(rid), sender, max(v, held.get(rid, 0)), sequence, "unchanged"))
            continue
        if mine or (rid in local_edit and not same(rt, current.get(rid), inc)):
            conflicts.append(_conflict_row(ctx, rt, line, current.get(rid)))
            out.conflicts += 1
            continue
        if rid in local_edit:
            dropped.append(rid)  # our local edit equals the owner's version: nothing left to propose
        (deletes if inc is None else upserts).append(line)
        out.deleted += inc is None and rid in current
        out.applied += 1
        recs.append((code, key(rid), sender, v, sequence, "applied"))
    _write(ctx, rt, upserts, deletes, recs, conflicts, dropped)


def _owned(ctx: Context, rt: records.RecordType, batch: list[dict[str, Any]], out: Outcome,
           prep: Prepared) -> list[dict[str, Any]]:
    """Each line's ``owner`` replaced by the owner we decide; lines of a third office dropped."""
    ids = [line["id"] for line in batch]
    local = dict(ctx.con.execute(
        f"SELECT {rt.read_sql(rt.key, 't')}, {rt.owner_sql.format(row='t')} FROM {rt.table} t WHERE t.{rt.key} IN "
        f"({rt.key_marks(len(ids))})", ids)) if rt.name in ctx.has_rows else {}
    claimed = _data_owners(ctx, prep)
    me, sender = ctx.me, ctx.sender
    kept = []
    for line in batch:  # once per imported record: plain comparisons, no set per line (issue 17 §3)
        rid = line["id"]
        held, says = local.get(rid), claimed.get(rid)  # None or "" when nobody is named
        if me and (held == me or says == me):
            line["owner"] = me  # ours: a change from elsewhere is a proposal
        elif (not held or held == sender) and (not says or says == sender):
            line["owner"] = sender
            if rid not in local and not line["deleted"] and "owner_office" in line["data"]:
                line["data"]["owner_office"] = sender  # created here: the signer's
        else:
            out.refused += 1
            if len(ctx.refused) < REFUSED_LISTED:
                ctx.refused.append({"type": rt.name, "id": rid, "reason_code": "foreign_owner",
                                    "owner": sorted({o for o in (held, says) if o and o != sender})[0]})
            continue
        kept.append(line)
    return kept


def _data_owners(ctx: Context, prep: Prepared) -> dict[str, str]:
    """The owner each incoming row names for itself (``prepare``): its ``owner_office``, a case's
    office, or the owner of the case it hangs on (as held here: the package's own cases are applied
    first). A fresh dict: the prepared one stays as it was."""
    owners = dict(prep.claimed)
    if prep.by_case:
        # Bound in the stored form (no SQL function calling back into Python per row) and read as
        # ONE row: each row fetched is a step of its own, after which the writer thread waits for
        # the interpreter lock again (up to the switch interval, while the checks run; issue 17 §3).
        # A case is named by its stored form's type and hex digits (a text id never meets a blob).
        found = ctx.con.execute(
            "SELECT json_group_array(json_array(typeof(id), hex(id), COALESCE(owner_office, office_code))) "
            f"FROM cases WHERE id IN ({_marks(len(prep.by_case))})", list(prep.by_case)).fetchone()[0]
        for kind, digits, owner in json.loads(found):
            owners.update(dict.fromkeys(prep.by_case[_stored(kind, digits)], owner))
    return owners


def _stored(kind: str, digits: str) -> Any:
    """The stored id back from ``typeof(id)`` and ``hex(id)`` (a blob, or a text id's UTF-8)."""
    raw = bytes.fromhex(digits)
    return raw if kind == "blob" else raw.decode()


def _current_rows(con: Any, rt: records.RecordType, cols: list[str], ids: list[str]) -> dict[str, dict[str, Any]]:
    sql = f"SELECT {', '.join(rt.read_sql(c) for c in cols)} FROM {rt.table} WHERE {rt.key} IN ({rt.key_marks(len(ids))})"
    rows = {}
    for row in con.execute(sql, ids):
        d = dict(zip(cols, row, strict=True))
        rows[d[rt.key]] = d
    return rows


def _conflict_row(ctx: Context, rt: records.RecordType, line: dict[str, Any],
                  local: dict[str, Any] | None) -> tuple[Any, ...]:
    return (ctx.sender, ctx.sequence, rt.name, line["id"], line["owner"], line["version"], line["base_version"],
            line["deleted"], json.dumps(line.get("data") or {}, ensure_ascii=False),
            json.dumps(local or {}, ensure_ascii=False), utcnow().isoformat(sep=" "))


def _write(ctx: Context, rt: records.RecordType, upserts: list[dict[str, Any]], deletes: list[dict[str, Any]],
           recs: list[tuple[Any, ...]], conflicts: list[tuple[Any, ...]], dropped: list[str]) -> None:
    con = ctx.con
    if deletes and rt.append_only:
        deletes = []  # an append-only record is never deleted (the quota ledger refuses it)
    if deletes:
        con.executemany(f"DELETE FROM {rt.table} WHERE {rt.key} = {rt.bind_sql(rt.key)}", [(d["id"],) for d in deletes])
    by_cols: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for line in upserts:
        by_cols.setdefault(tuple(line["data"]), []).append(line["data"])
    for keys, datas in by_cols.items():
        _upsert(con, rt, *rt.stored_rows(keys, datas))
    if rt.searched and rt.case_column:
        touched = dict.fromkeys(line["data"][rt.case_column] for line in upserts if line["data"].get(rt.case_column))
        _touch(con, rt, ids.to_db_all(list(touched)))
    elif rt.table == "person":
        _touch(con, rt, ids.to_db_all([line["id"] for line in upserts]))
    _log_records(con, recs)
    if conflicts:
        con.executemany("INSERT INTO sync_conflict (sender, sequence, record_type, record_id, owner, version, "
                        "base_version, deleted, incoming, local, status, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)", conflicts)
    if dropped:
        con.executemany(f"DELETE FROM sync_change WHERE {sync_keys.MATCH}",
                        [sync_keys.match(rt, rid) for rid in dropped])


def _upsert(con: Any, rt: records.RecordType, order: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows of ``rt`` (``order``'s columns, values in their stored form) inserted or updated."""
    sets = ", ".join(f"{k} = excluded.{k}" for k in order if k != rt.key)
    values = ", ".join(rt.portable[k][1] if k in rt.portable else "?" for k in order)
    action = "NOTHING" if rt.append_only else f"UPDATE SET {sets}"
    # Multi-row statements (storage/bulk_write): the writer thread leaves the lock to the checks.
    bulk_write.insert(con, f"INSERT INTO {rt.table} ({', '.join(order)})", values, rows,
                      f"ON CONFLICT ({rt.key}) DO {action}")


def _touch(con: Any, rt: records.RecordType, stored: list[Any]) -> None:
    """Cases whose search words to build again, or persons to stage (sync/staging.py)."""
    if rt.searched and rt.case_column:
        bulk_write.insert(con, "INSERT OR IGNORE INTO temp.sync_touched (case_id)", "?", [(t,) for t in stored])
    elif rt.table == "person":
        bulk_write.insert(con, "INSERT OR IGNORE INTO temp.sync_touched_person (person_id)", "?",
                          [(t,) for t in stored])


def _log_records(con: Any, recs: list[tuple[Any, ...]]) -> None:
    if recs:
        bulk_write.insert(con, f"INSERT INTO sync_record ({sync_keys.COLUMNS}, origin, version, sequence, outcome)",
                          "?, ?, ?, ?, ?, ?", recs, f"ON CONFLICT ({sync_keys.COLUMNS}) DO UPDATE SET "
                          "origin = excluded.origin, version = excluded.version, sequence = excluded.sequence, "
                          "outcome = excluded.outcome")
