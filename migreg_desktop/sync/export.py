"""Export: every record changed since the receiver last acknowledged it, in the next package.

District → oblast: all local changes (cases, persons, family members, documents, status
history, and any registered table). Oblast → district: local changes about that district's
cases (proposals on its records, decisions). Records are streamed from SQLite into the zip;
what was sent is remembered per record (``sync_delivery``) and stays in the outbox until an
acknowledgement says the receiver holds it. Unsent data is never deleted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office_code, role
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Office
from migreg_desktop.refdata import refdata
from migreg_desktop.storage import high_water, records, sync_keys
from migreg_desktop.sync import audit_witness, container, keys, package

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


def raw(session: Session) -> Any:
    """The DB-API connection inside the session's transaction (bulk work without ORM cost)."""
    return session.connection().connection.driver_connection


def pending_where(receiver: str, my_role: str) -> str:
    """Changes the receiver does not hold yet (``c`` = sync_change, ``d`` = sync_delivery)."""
    route = "" if my_role == "district" else " AND c.route = :receiver"
    return f"(d.acked_version IS NULL OR d.acked_version < c.version){route}"


def _join(receiver_param: str = ":receiver") -> str:
    """The delivery of each change (a primary-key lookup: storage/sync_keys.py)."""
    return f" LEFT JOIN sync_delivery d ON d.receiver = {receiver_param} AND {sync_keys.same_key('d', 'c')}"


def check_receiver(receiver: str, *, session: Session) -> tuple[str, str]:
    me = current_office_code(session=session)
    if me is None:
        raise UserError("This database has no office yet. Run 'migreg init --office CODE'.")
    office = session.get(Office, receiver)
    if office is None:
        raise UserError("unknown office code {code}", field="office", code=receiver)
    if receiver == me:
        raise UserError("A package cannot be addressed to our own office.", field="office")
    my_role = role(session=session)
    if my_role == "district" and office.kind != "oblast":
        raise UserError("A career centre sends packages to the oblast office only.", field="office")
    return me, my_role


def next_sequence(receiver: str, *, session: Session) -> tuple[int, int]:
    """Take the next outgoing sequence number (this write also takes the database's write lock).

    Never one handed out before, even after a restore put an older database back: the highest
    sent is also kept outside the database (services/high_water, issue 12 §5)."""
    key = f"{current_office_code(session=session)}>{receiver}"
    sent = high_water.floor(high_water.SEQUENCE, key)
    cur = raw(session).cursor()
    cur.execute("INSERT INTO sync_channel (receiver, last_sequence, last_acked) VALUES (?, ?, 0) "
                "ON CONFLICT (receiver) DO UPDATE SET last_sequence = MAX(last_sequence, ?) + 1",
                (receiver, sent + 1, sent))
    seq, acked = cur.execute("SELECT last_sequence, last_acked FROM sync_channel WHERE receiver = ?",
                             (receiver,)).fetchone()
    high_water.raise_after_commit(session, high_water.SEQUENCE, key, int(seq))
    return int(seq), int(acked)


@dataclass
class Written:
    """A package written next to its final name; ``finish`` renames it after the commit."""

    part: Path
    out: Path
    result: dict[str, Any] = field(default_factory=dict)

    def finish(self) -> dict[str, Any]:
        os.replace(self.part, self.out)
        return self.result

    def discard(self) -> None:
        if self.part.exists():
            self.part.unlink()


def export_data(receiver: str, out: Path, *, session: Session, progress: Progress | None = None,
                cancel: Cancel | None = None) -> Written:
    permissions.require('sync.export', session)
    receiver = receiver.upper()
    me, my_role = check_receiver(receiver, session=session)
    my_keys = keys.load_keys(me)
    _verify, box = keys.partner_keys(receiver, session=session)
    package.clean_work_dir()
    seq, acked = next_sequence(receiver, session=session)
    con = raw(session)
    params = {"receiver": receiver, "me": me}
    where = pending_where(receiver, my_role)
    total = con.execute(f"SELECT count(*) FROM sync_change c{_join()} WHERE {where}", params).fetchone()[0]
    done = [0]
    written = Written(out.with_name(out.name + ".part"), out)
    with package.temp_file(".zip") as inner:
        writer = package.PackageWriter(inner)
        counts: dict[str, int] = {}
        for rt in records.ordered():
            with writer.member(f"records/{rt.name}.jsonl") as member:
                _write_type(con, rt, where, params, member, done, total, progress, cancel)
            counts[rt.name] = member.records
        manifest = writer.finish(package.base_manifest(
            "data", me, receiver, seq, since_ack=acked, counts=counts,
            refdata=refdata.versions(session=session), schema=_schema(con),
            **audit_witness.outgoing(receiver, session=session)))
        header = {k: manifest[k] for k in package.HEADER_KEYS}
        try:
            sha = container.write(written.part, header, inner, my_keys.signing, box)
        except BaseException:
            written.discard()
            raise
    _remember(con, receiver, seq, where, params)
    con.execute("INSERT INTO sync_outbound (receiver, sequence, kind, created_at, file_name, sha256, counts) "
                "VALUES (?, ?, 'data', ?, ?, ?, ?)",
                (receiver, seq, manifest["created_at"], out.name, sha, json.dumps(counts)))
    audit.record("export", "sync_package", f"{receiver}#{seq}", {"counts": [None, counts]}, session=session)
    written.result = {"status": "exported", "to": receiver, "sequence": seq, "counts": counts,
                      "file": str(out), "sha256": sha, "bytes": written.part.stat().st_size}
    return written


def _schema(con: Any) -> list[str]:
    try:
        return sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
    except Exception:  # a database made without Alembic (tests): nothing to report
        return []


def type_sql(rt: records.RecordType, where: str) -> str:
    """The pending records of one type with their rows (plan: docs/sync.md "Storage"). The row
    is joined on the log's key as stored (storage/sync_keys.py: no conversion per row)."""
    select = ", ".join(_column_sql(rt, c) for c in rt.columns())
    # The record's text id once per row (x.rid): the line's id and its data's key both use it.
    # "LIMIT -1" (no limit) keeps SQLite from flattening x into the outer join, which would
    # make the text twice per row (one id_text call into Python each: ~1 s at 100,000 cases).
    return (f"SELECT x.rid, x.version, x.deleted, x.owner, x.base, t.{rt.key} IS NULL, {select} FROM ("
            f"SELECT c.key, id_text(c.key) AS rid, c.version, c.deleted, COALESCE(c.owner, :me) AS owner, "
            f"COALESCE(r.version, d.acked_version, 0) AS base FROM sync_change c{_join()}"
            f" LEFT JOIN sync_record r ON {sync_keys.same_key('r', 'c')}"
            f" WHERE c.kind = {rt.code} AND {where} LIMIT -1) x"
            f" LEFT JOIN {rt.table} t ON {sync_keys.row_sql(rt, 'x', 't')}")


def _column_sql(rt: records.RecordType, column: str) -> str:
    """A column as the package carries it: the record's own key is ``x.rid`` (its text, made
    once from the change log's key), another id column its text (``id_text``: ids are stored
    as 16 bytes, issue 17 §1), a local integer id its portable form."""
    if column in rt.portable:
        return rt.portable[column][0]
    return "x.rid" if column == rt.key else rt.read_sql(column, "t")


# json_object takes at most 127 arguments (SQLITE_MAX_FUNCTION_ARG), two per column; SQLite prints
# a REAL with 15 digits where Python keeps 17: such a table is written by Python.
_SQL_JSON_COLUMNS = 60


def sql_json(rt: records.RecordType) -> bool:
    """Whether SQLite writes this type's lines (issue 17 §3: 3-4 times cheaper than Python)."""
    table = rt.sql_table()
    return (len(rt.columns()) <= _SQL_JSON_COLUMNS
            and not any(getattr(c.type, "python_type", None) is float for c in table.columns
                        if _python_type_known(c)))


def _python_type_known(column: Any) -> bool:
    try:
        column.type.python_type  # noqa: B018
    except NotImplementedError:
        return False
    return True


def line_sql(rt: records.RecordType, where: str) -> str:
    """The same query giving each record's JSON line, made by SQLite's json_object: the same
    keys, order and values as ``python_batches`` writes (tests/unit/sync/test_lean_log.py)."""
    gone = f"(x.deleted OR t.{rt.key} IS NULL)"
    data = ", ".join(f"'{c}', " + _column_sql(rt, c) for c in rt.columns())
    line = (f"json_object('id', x.rid, 'version', x.version, 'base_version', x.base, 'owner', x.owner, "
            f"'deleted', json(CASE WHEN {gone} THEN 'true' ELSE 'false' END), "
            f"'data', CASE WHEN {gone} THEN NULL ELSE json_object({data}) END)")
    sql = type_sql(rt, where)
    return f"SELECT {line} FROM" + sql[sql.index(" FROM (") + len(" FROM"):]


BATCH = 2000  # lines fetched, written and counted together (progress and cancel are looked at per batch)


def _python_line(cols: list[str], row: tuple[Any, ...]) -> str:
    gone = bool(row[2]) or bool(row[5])
    return package.encode({"id": row[0], "version": row[1], "base_version": row[4], "owner": row[3],
                           "deleted": gone, "data": None if gone else dict(zip(cols, row[6:], strict=True))})


def python_batches(con: Any, rt: records.RecordType, where: str, params: dict[str, Any]) -> Iterator[list[str]]:
    cols, cur = rt.columns(), con.execute(type_sql(rt, where), params)
    while rows := cur.fetchmany(BATCH):
        yield [_python_line(cols, row) for row in rows]


def sql_batches(con: Any, rt: records.RecordType, where: str, params: dict[str, Any]) -> Iterator[list[str]]:
    """The lines SQLite made, a batch at a time (no Python step per line: issue 17 §3)."""
    cur = con.execute(line_sql(rt, where), params)
    while rows := cur.fetchmany(BATCH):
        yield [text for (text,) in rows]


def _write_type(con: Any, rt: records.RecordType, where: str, params: dict[str, Any],
                member: package.MemberWriter, done: list[int], total: int,
                progress: Progress | None, cancel: Cancel | None) -> None:
    batches = sql_batches if sql_json(rt) else python_batches
    for lines in batches(con, rt, where, params):
        member.text_lines(lines)
        done[0] += len(lines)
        if cancel and cancel():
            raise container.Rejected("cancelled", N_("Cancelled; nothing was changed."))
        if progress:
            progress(done[0], total)
    if progress:
        progress(done[0], total)


def _remember(con: Any, receiver: str, seq: int, where: str, params: dict[str, Any]) -> None:
    """Every record just written is 'sent in package seq at its version' (set-based)."""
    con.execute(
        f"INSERT INTO sync_delivery (receiver, {sync_keys.COLUMNS}, sent_version, sent_sequence, acked_version) "
        f"SELECT :receiver, c.kind, c.key, c.version, :seq, 0 FROM sync_change c{_join()} "
        f"WHERE {where} AND true ON CONFLICT (receiver, {sync_keys.COLUMNS}) DO UPDATE SET "
        "sent_version = excluded.sent_version, sent_sequence = excluded.sent_sequence",
        {**params, "seq": seq})
