"""Import: verify (format, receiver, sender, signature, sequence, hashes, schema), then apply in
ONE transaction. A rejected package, a replay and a held package leave the database untouched;
held packages wait as files in ``<data dir>/inbox/held`` until the missing one arrives.
"""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from migreg_desktop import parallel, paths, safe_text
from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office_code, role
from migreg_desktop.changes import record as record_change
from migreg_desktop.i18n import N_
from migreg_desktop.storage import bulk_write, checkpoint, records
from migreg_desktop.storage.reader import page_cache
from migreg_desktop.sync import (
    acks,
    apply,
    audit_witness,
    batch_checks,
    container,
    keys,
    package,
    refpack,
    staging,
)
from migreg_desktop.sync.container import Rejected
from migreg_desktop.sync.export import raw
from migreg_desktop.sync.package import result

if TYPE_CHECKING:
    from concurrent.futures import Executor

Progress = Callable[[int, int], None]
IMPORT_CACHE_KIB = -96_000  # SQLite page cache while applying (KiB); the peak RSS target is 300 MB
WORKER_IMPORT_CACHE_KIB = -16_000  # … beside a worker process (~110 MB) and its resource tracker (~12 MB)
Cancel = Callable[[], bool]
# A package of this many records has its lines checked in worker processes (issue 17 §3): below it,
# starting one (~1 s) would cost more than it saves.
PARALLEL_FROM = 20_000


def held_dir() -> Path:
    path = paths.data_dir() / "inbox" / "held"
    paths.make_private_dir(path)
    return path


def check_header(header: dict[str, Any], *, session: Session) -> str:
    """Envelope checks before any cryptography; returns our office code."""
    fmt, kind = header.get("format"), header.get("kind")
    if not isinstance(fmt, int) or kind not in package.KINDS:
        raise Rejected("bad_schema", N_("The package envelope is not valid."))
    if fmt > package.FORMAT_VERSION:
        raise Rejected("newer_format", N_("The package was made by a newer program (format {format}; this program "
                       "reads format {ours}). Install the newer version, then import again."),
                       format=fmt, ours=package.FORMAT_VERSION)
    me = current_office_code(session=session) or ""
    receiver, sender = header.get("receiver"), header.get("sender")
    if kind != "refdata" and receiver != me:
        raise Rejected("wrong_receiver", N_("This package is addressed to office {receiver}; this database is "
                       "office {me}. Nothing was changed."), receiver=str(receiver), me=me)
    if not isinstance(sender, str) or sender == me:
        raise Rejected("bad_schema", N_("The package envelope is not valid."))
    if kind != "refdata" and (not isinstance(header.get("sequence"), int) or header["sequence"] < 1):
        raise Rejected("bad_schema", N_("The package envelope is not valid."))
    if keys.partner(sender, session=session) is None:
        raise Rejected("untrusted_sender", N_("Office {sender} is not trusted here: its public key was never "
                       "registered ('migreg keys trust FILE --office {sender}')."), sender=sender)
    return me


def last_sequence(sender: str, *, session: Session) -> int:
    row = raw(session).execute("SELECT MAX(sequence) FROM sync_inbound WHERE sender = ?", (sender,)).fetchone()
    return int(row[0] or 0)


def import_package(path: Path, *, session: Session, dry_run: bool = False, progress: Progress | None = None,
                   cancel: Cancel | None = None, accept_gap: bool = False) -> dict[str, Any]:
    """Verify and apply one package file. Never commits (a dry run's caller rolls back).

    The file is read once into a private copy; everything below reads that copy (issue 12 §4)."""
    permissions.require("sync.import", session)
    if accept_gap:
        permissions.require("sync.accept_gap", session)
    with package.temp_file(".migreg") as copy:
        header: dict[str, Any] = {}
        try:
            sha = container.read_once(path, copy, cancel)
            header, head = container.read_header(copy, path.name)
            return _import_copy(path, copy, {**header, "file_sha256": sha}, head, session=session,
                                dry_run=dry_run, progress=progress, cancel=cancel, accept_gap=accept_gap)
        except Rejected as exc:
            exc.header = header  # for the answer: never read the untrusted path again
            raise


def _import_copy(path: Path, copy: Path, header: dict[str, Any], head: bytes, *, session: Session,
                 dry_run: bool, progress: Progress | None, cancel: Cancel | None,
                 accept_gap: bool) -> dict[str, Any]:
    me = check_header(header, session=session)
    verify_key, _box = keys.partner_keys(header["sender"], session=session)
    try:
        container.verify(copy, verify_key, cancel)
    except Rejected as exc:
        exc.params["sender"] = header["sender"]
        raise
    if header["kind"] == "refdata":
        return _with_payload(copy, header, head, None, lambda r: refpack.apply(r, header, session=session,
                                                                                 dry_run=dry_run))
    seq, sender = header["sequence"], header["sender"]
    last = last_sequence(sender, session=session)
    if seq <= last:
        return result("already_imported", header, reason=f"package {seq} from {sender} was imported before")
    if seq > last + 1 and not accept_gap:  # an admin may override a gap (a package lost for good)
        dest = held_dir() / f"{sender}-{seq:06d}.migreg"
        if not dry_run and path.resolve() != dest.resolve():
            shutil.copyfile(copy, dest)  # the verified bytes, not whatever the path holds now
        return result("held", header, reason=f"package {last + 1} from {sender} is missing; this one waits for it")
    box = keys.load_keys(me).box
    return _with_payload(copy, header, head, box, lambda r: _apply(r, header, me, session, progress, cancel))


def _with_payload(path: Path, header: dict[str, Any], head: bytes, box: Any, fn: Callable[[Any], dict[str, Any]],
                  cancel: Cancel | None = None) -> dict[str, Any]:
    with package.temp_file(".zip") as inner:
        container.extract(path, header, head, box, inner, cancel)
        reader = package.PackageReader(inner, header)
        try:
            return fn(reader)
        finally:
            reader.close()


def _apply(reader: package.PackageReader, header: dict[str, Any], me: str, session: Session,
           progress: Progress | None, cancel: Cancel | None) -> dict[str, Any]:
    con = raw(session)
    con.execute("INSERT OR IGNORE INTO sync_suppress (flag) VALUES (1)")  # our triggers stay quiet
    con.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit: order within the package is free
    refused: list[dict[str, Any]] = []
    if header["kind"] == "ack":
        counts, conflicts = acks.apply_ack(reader, header, con=con), 0
    else:
        counts, conflicts, refused = _apply_data(reader, header, me, session, progress, cancel)
    con.execute("DELETE FROM sync_suppress")
    con.execute("INSERT INTO sync_inbound (sender, sequence, kind, sha256, created_at, imported_at, imported_by, "
                "counts, conflicts) VALUES (?, ?, ?, ?, ?, datetime('now'), ?, ?, ?)",
                (header["sender"], header["sequence"], header["kind"], header["file_sha256"],
                 str(reader.manifest.get("created_at", "")), audit.actor(session), json.dumps(counts), conflicts))
    warnings = audit_witness.check(reader.manifest, header, session=session)
    n_refused = sum(c.get("refused", 0) for c in counts.values() if isinstance(c, dict))
    changes: dict[str, Any] = {"counts": [None, counts]}
    if refused:
        changes["refused"] = [None, refused]
    audit.record("import", "sync_package", f"{header['sender']}#{header['sequence']}", changes, session=session)
    record_change(session, "cases_reset", None)
    extra: dict[str, Any] = {"refused": n_refused, "refused_records": refused} if header["kind"] == "data" else {}
    return result("applied", header, counts=counts, conflicts=conflicts, warnings=warnings,
                  audit_rewound=any(w["code"] == audit_witness.CODE for w in warnings), **extra)


def _apply_data(reader: package.PackageReader, header: dict[str, Any], me: str, session: Session,
                progress: Progress | None, cancel: Cancel | None) -> tuple[dict[str, Any], int, list[dict[str, Any]]]:
    con = raw(session)
    known = {f"records/{rt.name}.jsonl" for rt in records.ordered()}
    unknown = [m for m in reader.manifest["members"] if m not in known]
    if unknown:
        raise Rejected("bad_schema", N_("The package holds records this program does not know ({member}); "
                       "install the newer version."), member=", ".join(unknown))
    total = sum(reader.records(m) for m in known)
    if total >= PARALLEL_FROM:  # hundreds of MB of pages: copied from the WAL after the commit, in a thread
        checkpoint.later(session)
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if cancel and cancel():
            raise Rejected("cancelled", N_("Cancelled; nothing was changed."))
        if progress:
            progress(done[0], total)

    staging.prepare(con)
    ctx = apply.Context(con, me, header["sender"], header["sequence"], tick)
    suspects, oblast = [0], role(session=session) == "oblast"
    ctx.survey()
    workers = parallel.spare_cores() if total >= PARALLEL_FROM else 0
    # Index pages stay hot during a big import; beside a worker process (~110 MB of its own) the
    # page cache is smaller, and the processes together stay under 300 MB.
    cache = IMPORT_CACHE_KIB if not workers else WORKER_IMPORT_CACHE_KIB
    # The program's own objects (modules, models, the window) are left out of the garbage
    # collector's full passes while the import makes and drops a million rows: ~5 s of CPU
    # walked them again and again (issue 17 §3). Whatever the import makes is collected as usual.
    gc.freeze()
    try:
        # One writer thread for all members (storage/bulk_write): this thread reads and checks
        # while it writes, and it may still be writing a member (or building its indexes again)
        # while the next one is checked. It is done (or stopped) when the block ends.
        # The lines are checked in worker processes when there are many (migreg_desktop.parallel):
        # the checks and the writer's Python share one interpreter lock here.
        ctx.init = setup = partial(batch_checks.setup, ctx.kato, batch_checks.shapes())
        with page_cache(con, cache), parallel.workers(workers, setup) as pool:
            after = _after_members(con, header, oblast, suspects, pool)
            with bulk_write.writer(apply.THREADED) as submit:
                for rt in records.ordered():
                    member = f"records/{rt.name}.jsonl"
                    if reader.has(member):
                        # Each result comes with its job (its raw lines): the writer may check a
                        # batch made ready again (sync/fresh.py).
                        first = ctx.fresh(rt)
                        jobs = ((rt.name, raw, first) for raw in reader.raw_batches(member, apply.BATCH))
                        checked = parallel.paired(batch_checks.check_lines, jobs, pool, ahead=2, init=setup)
                        apply.apply_member(ctx, rt, reader.records(member), batch_checks.accepted(checked), submit)
                    for job in after.get(rt.name, ()):
                        submit(job)
    finally:
        gc.unfreeze()
        safe_text.forget()  # the names checked stay in memory no longer than the import
    counts: dict[str, Any] = {name: o.as_dict() for name, o in ctx.outcomes.items()}
    if suspects[0]:
        counts["duplicates_suspected"] = suspects[0]
    return counts, sum(o.conflicts for o in ctx.outcomes.values()), ctx.refused


def _after_members(con: Any, header: dict[str, Any], oblast: bool, suspects: list[int],
                   pool: Executor | None) -> dict[str, list[Callable[[], None]]]:
    """Writer jobs to run once a type's member is written (or found absent), while the next members
    are checked (issue 17 §3: ~9 s on one core when they ran after all members): the oblast stages
    the persons once the persons are in, and the search words are built once the last type they
    are made of is in (sync/staging.py). No later member changes what they read."""
    def stage() -> None:
        suspects[0] = staging.stage_persons(con, header["sender"], header["sequence"])

    def reindex() -> None:
        staging.reindex_cases(con, pool)  # the worker works out the words between its checks

    read = [rt.name for rt in records.ordered() if rt.searched or rt.table == "person"]
    persons = next(rt.name for rt in records.ordered() if rt.table == "person")
    jobs: dict[str, list[Callable[[], None]]] = {persons: [stage] if oblast else []}
    jobs.setdefault(read[-1], []).append(reindex)
    return jobs


def held_files(sender: str | None = None) -> list[Path]:
    pattern = f"{sender}-*.migreg" if sender else "*.migreg"
    return sorted(held_dir().glob(pattern))
