"""Hash chain over the audit trail: each entry stores the SHA-256 of the previous entry.

Editing an entry changes its hash; removing one breaks the next entry's ``prev_hash``; removing
the newest ones is caught by the head kept in ``meta`` (``audit_head`` = "<id> <hash>"). A new
entry chains onto that recorded head, never onto whatever row happens to be newest: otherwise the
next login would chain onto the survivors and hide the removal for good (issue 7, audit fix).
The hash covers a canonical JSON document (sorted keys, no spaces, UTF-8, UTC time with
microseconds), so the same row always gives the same hash, whichever program version wrote it.

Concurrency: ``seal`` writes to ``meta`` first, so the transaction already holds SQLite's write
lock when it reads the previous entry; two writers can never chain onto the same predecessor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
TAIL_KEY = "audit_chain_tail"  # (id, hash) of this transaction's newest entry
COLUMNS = "id, at, user, office, action, entity, entity_id, changes, prev_hash, hash"
Progress = Callable[[int, int], None]
# One round trip for the recorded head and the highest stored id (primary key: no scan).
_START_SQL = "SELECT (SELECT value FROM meta WHERE key = ?), (SELECT max(id) FROM audit_entry)"


def _utc_text(value: datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite stores UTC without an offset
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(row: dict[str, Any], prev_hash: str) -> str:
    doc = {
        "id": int(row["id"]), "at": _utc_text(row["at"]), "user": row["user"],
        "office": row["office"], "action": row["action"], "entity": row["entity"],
        "entity_id": row["entity_id"], "changes": row["changes"], "prev": prev_hash,
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(entry: Any, *, session: Session) -> None:
    """Give a just-added AuditEntry its id and place in the chain (called by audit.record).

    The first entry of a transaction takes SQLite's write lock (a write to ``meta``) before it
    reads the recorded head, so no other writer can chain onto the same predecessor; later
    entries of the same transaction continue from the tail kept in ``session.info``.
    """
    conn = session.connection()
    tail = session.info.get(TAIL_KEY)
    if tail is None:
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES (?, '') "
                             "ON CONFLICT(key) DO NOTHING", (HEAD_KEY,))
        tail = _chain_start(conn)
    entry.id = tail[0] + 1
    entry.prev_hash = tail[1]
    entry.hash = entry_hash(entry.model_dump(), entry.prev_hash)
    session.info[TAIL_KEY] = (entry.id, entry.hash)
    conn.exec_driver_sql("UPDATE meta SET value = ? WHERE key = ?", (f"{entry.id} {entry.hash}", HEAD_KEY))


def _chain_start(conn: Any) -> tuple[int, str]:
    """(id, hash) the next entry follows: the recorded head, with an id past every stored row.

    If the newest entries were removed, the new entry still points at the removed head, so the
    gap stays visible as a broken link; if rows were slipped in after the head, the new id goes
    past them (no clash) and they stay outside the chain. No head but entries present means the
    head itself was removed: start from GENESIS, which cannot match, rather than heal it.
    """
    head, newest = conn.exec_driver_sql(_START_SQL, (HEAD_KEY,)).first()
    newest = newest or 0
    head_id, _, head_hash = (head or "").partition(" ")
    if head_hash and head_id.isdigit():
        return max(int(head_id), newest), head_hash
    return newest, GENESIS


def seal_all(execute: Callable[..., Any]) -> int:
    """Chain every unsealed row, oldest first (the migration seals a pre-chain trail)."""
    rows = [dict(zip(COLUMNS.split(", "), r, strict=True))
            for r in execute(f"SELECT {COLUMNS} FROM audit_entry ORDER BY id").fetchall()]
    prev, last = GENESIS, None
    for row in rows:
        digest = entry_hash(row, prev)
        execute("UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row["id"]))
        prev, last = digest, row["id"]
    if last is not None:
        execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (HEAD_KEY, f"{last} {prev}"))
    return len(rows)


@dataclass
class ChainReport:
    ok: bool = True
    entries: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    head_id: int | None = None

    @property
    def first_bad_id(self) -> int | None:
        ids = [p["id"] for p in self.problems if p.get("id") is not None]
        ids += [p["missing"][0] for p in self.problems if p.get("missing")]
        return min(ids) if ids else None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head_id": self.head_id,
                "first_bad_id": self.first_bad_id, "problems": self.problems[:100]}


def _problem(report: ChainReport, entry_id: int | None, kind: str, missing: list[int] | None = None) -> None:
    report.ok = False
    problem: dict[str, Any] = {"id": entry_id, "problem": kind}
    if missing:
        problem["missing"] = missing  # [first, last] ids of the removed entries
    report.problems.append(problem)


def _gap(last_id: int | None, entry_id: int) -> list[int] | None:
    """Ids are given out one by one (``seal``), so a hole before a broken link was removed."""
    first = (last_id or 0) + 1
    return [first, entry_id - 1] if entry_id > first else None


def check_rows(rows: Iterable[tuple[Any, ...]], head: str | None, total: int = 0,
               progress: Progress | None = None) -> ChainReport:
    """Walk the rows in id order; each problem names the entry: edited | unsealed | broken_link."""
    report = ChainReport()
    prev, last_id = GENESIS, None
    names = COLUMNS.split(", ")
    for values in rows:
        row = dict(zip(names, values, strict=True))
        report.entries += 1
        if not row["hash"]:
            _problem(report, row["id"], "unsealed")
        elif row["prev_hash"] != prev:
            # entries before it were removed (in the middle, or the newest ones before new entries)
            _problem(report, row["id"], "broken_link", _gap(last_id, row["id"]))
        elif entry_hash(row, prev) != row["hash"]:
            _problem(report, row["id"], "edited")
        prev, last_id = row["hash"] or "", row["id"]
        if progress and report.entries % 5000 == 0:
            progress(report.entries, total)
    report.head_id = last_id
    _check_head(report, head, last_id, prev)
    if progress:
        progress(report.entries, max(total, report.entries))
    return report


def _check_head(report: ChainReport, head: str | None, last_id: int | None, last_hash: str) -> None:
    head_id, _, head_hash = (head or "").partition(" ")
    if not head_id.isdigit():
        if last_id is not None:
            _problem(report, None, "head_missing")
    elif last_id is None or int(head_id) > last_id:
        # the newest entries are gone and nothing was written since
        _problem(report, int(head_id), "newest_removed", _gap(last_id, int(head_id) + 1))
    elif int(head_id) != last_id or head_hash != last_hash:
        _problem(report, int(head_id), "head_mismatch")


def verify_connection(execute: Callable[..., Any], progress: Progress | None = None) -> ChainReport:
    """Verify through any DB-API style ``execute`` (sqlite3 or SQLAlchemy exec_driver_sql)."""
    total = execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    head_row = execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    rows = execute(f"SELECT {COLUMNS} FROM audit_entry ORDER BY id")
    return check_rows(rows, head_row[0] if head_row else None, total, progress)


def verify(*, session: Session, progress: Progress | None = None) -> ChainReport:
    conn = session.connection()
    return verify_connection(conn.exec_driver_sql, progress)
