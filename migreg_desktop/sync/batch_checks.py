"""The checks of a batch of package lines, pure Python over the lines, no database (issue 12
item 2, issue 17 §3): the package format of each line (``validate``), its values through the same
documents as typed input (``check_values``), and what the writer needs worked out beforehand
(``prepare``). A big import runs them in worker processes (``check_lines``, ``migreg_desktop.parallel``):
they hold Python's interpreter lock, which the writer's statements need too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from migreg_desktop import ids
from migreg_desktop.cases import record_batch
from migreg_desktop.errors import ValidationError
from migreg_desktop.i18n import N_
from migreg_desktop.safe_text import printable
from migreg_desktop.storage import records, sync_keys
from migreg_desktop.sync import fresh, package
from migreg_desktop.sync.container import Rejected

_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")
_SCALARS = frozenset((str, int, float, bool, type(None)))


def validate(rt: records.RecordType, line: dict[str, Any], cols: set[str] | frozenset[str]) -> None:
    """Schema of one record line (docs/package-format.md); any fault rejects the package."""
    rid, data, version = line.get("id"), line.get("data"), line.get("version")
    ok = (type(rid) is str and _UUID.match(rid) is not None and type(version) is int and version >= 1
          and type(line.get("base_version")) is int and type(line.get("deleted")) is bool
          and isinstance(line.get("owner"), str | None))
    if ok and not line["deleted"]:
        ok = (type(data) is dict and data.keys() <= cols and data.get(rt.key) == rid
              and _SCALARS.issuperset(map(type, data.values())))
    if not ok:
        raise Rejected("bad_schema", N_("{member}: record {id} does not follow the package format."),
                       member=rt.name, id=str(rid)[:40])


def _plainly_valid(rt: records.RecordType, batch: list[dict[str, Any]], cols: set[str] | frozenset[str]) -> bool:
    """True only when ``validate`` would pass every line of the batch, decided by a few passes
    in C over the whole batch instead of one call per line (issue 17 §3); False: ask
    ``validate`` line by line (tests/unit/sync/test_batch_fast_paths.py holds the two together)."""
    def column(name: str) -> list[Any]:
        return list(map(dict.get, batch, repeat(name)))

    if not batch:
        return True
    rids, versions, deleted = column("id"), column("version"), column("deleted")
    if not (set(map(type, rids)) == {str} and all(map(_UUID.match, rids))
            and set(map(type, versions)) == {int} and min(versions) >= 1
            and set(map(type, column("base_version"))) == {int} and set(map(type, deleted)) == {bool}
            and {str, type(None)}.issuperset(map(type, column("owner")))):
        return False
    live = [i for i, d in enumerate(deleted) if not d] if any(deleted) else None
    datas: list[Any] = column("data") if live is None else [batch[i].get("data") for i in live]
    return (set(map(type, datas)) <= {dict}
            and cols.issuperset(chain.from_iterable(datas))
            and list(map(dict.get, datas, repeat(rt.key))) == (rids if live is None else [rids[i] for i in live])
            and _SCALARS.issuperset(map(type, chain.from_iterable(map(dict.values, datas)))))


def check_values(rt: records.RecordType, line: dict[str, Any], kato_known: Callable[[str], bool],
                 memo: dict[tuple[Any, ...], dict[str, Any]] | None = None) -> None:
    """Statuses, kinds, KATO codes, years, IINs and texts of a record pass the same documents as
    typed input (services/record_checks); the normalised values (NFC, ASCII IIN digits) are what
    is written. Any fault rejects the package: nothing is applied."""
    if line["deleted"]:
        return
    # pydantic's models: a worker process imports them only when a line needs them (issue 17 §3)
    from migreg_desktop.cases import record_checks

    try:
        line["data"].update(record_checks.check_record(rt.name, line["data"], kato_known=kato_known, memo=memo))
    except ValidationError as exc:
        raise Rejected("invalid_record", N_("{member}: record {id} is not valid: {problem}"),
                       member=rt.name, id=line["id"][:40], problem=printable(exc.messages()[0])) from None



@dataclass
class Prepared:
    """What the import's thread works out of a checked batch before handing it to the writer: pure
    Python over the lines, no database (issue 17 §3: the writer's own Python holds the interpreter
    lock the checks of the next batch need, so it does little more than run statements)."""
    keys: dict[str, Any]  # record id -> its key in the sync bookkeeping (sync_keys.keyer)
    claimed: dict[str, str]  # record id -> the owner its row names for itself
    by_case: dict[Any, list[str]]  # the stored id of a case named by rows without an owner -> their ids


def prepare(rt: records.RecordType, batch: list[dict[str, Any]], id_keys: bool | None = None) -> Prepared:
    """``id_keys``: whether the type's keys are stored as ids (``shapes``; asked of the models when None)."""
    rids = [line["id"] for line in batch]
    if id_keys is None:
        id_keys = sync_keys.keyer(rt) is ids.to_db
    stored = ids.to_db_all(rids) if id_keys else rids
    claimed, by_case = _claims(rt, batch)
    return Prepared(dict(zip(rids, stored, strict=True)), claimed,
                    dict(zip(ids.to_db_all(list(by_case)), by_case.values(), strict=True)))



def _claims(rt: records.RecordType, batch: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The owner each incoming row names for itself (its ``owner_office``, a case's office), and
    the rows naming neither, by the case they hang on (text id -> record ids)."""
    owners: dict[str, str] = {}
    by_case: dict[str, list[str]] = {}
    own_case = rt.case_column == rt.key
    case_column = None if own_case else rt.case_column
    for line in batch:
        data = line["data"]
        if not data:
            continue
        if owner := data.get("owner_office"):
            owners[line["id"]] = owner
        elif own_case and (owner := data.get("office_code")):
            owners[line["id"]] = owner
        elif case_column and (case_id := data.get(case_column)):
            by_case.setdefault(case_id, []).append(line["id"])
    return owners, by_case


def check_batch(rt: records.RecordType, batch: list[dict[str, Any]], colset: set[str] | frozenset[str],
                kato_known: Callable[[str], bool], memo: dict[tuple[Any, ...], dict[str, Any]]) -> None:
    """Every check of every line, in the lines' order: the first line at fault is named,
    whichever check finds it (``Rejected``; the lines' values normalised in place)."""
    if not _plainly_valid(rt, batch, colset):
        for line in batch:
            validate(rt, line, colset)
            check_values(rt, line, kato_known, memo)
        return
    # Every line follows the format: only the lines whose values the columns' rules do not plainly
    # pass go through the record's model (record_batch: usually none of them).
    for i in _unplain_lines(rt, batch, kato_known):
        check_values(rt, batch[i], kato_known, memo)


def _unplain_lines(rt: records.RecordType, batch: list[dict[str, Any]], kato_known: Callable[[str], bool]) -> list[int]:
    if not any(map(itemgetter("deleted"), batch)):
        return record_batch.unplain_rows(rt.name, list(map(itemgetter("data"), batch)), kato_known)
    live = [i for i, line in enumerate(batch) if not line["deleted"]]
    return [live[j] for j in record_batch.unplain_rows(rt.name, [batch[i]["data"] for i in live], kato_known)]


# ---- in a worker process (migreg_desktop.parallel) ------------------------------------------

# This process's share of one import: the KATO codes the database knows, read before the import
# began, each record type's shape (``shapes``) and one memo per record type (record_checks.REPEATING).
# A worker imports neither the models nor SQLAlchemy (issue 17 §3: ~0.8 s and ~40 MB less).
_import: dict[str, Any] = {}
Refusal = tuple[str, str, dict[str, Any]]  # a Rejected's reason code, message id and params
# A batch's lines and what ``prepare`` found; or no lines and the batch ready to write (sync/fresh.py)
Checked = tuple[list[dict[str, Any]], Prepared | fresh.Ready | None, Refusal | None]
# A record type's columns; whether its keys are stored as ids; its id columns and its packed
# columns, written as such
Shape = tuple[frozenset[str], bool, frozenset[str], frozenset[str]]
Job = tuple[str, list[bytes], fresh.Fresh | None]  # a record type, its raw lines, a first import's facts


def shapes() -> dict[str, Shape]:
    """What the checks need of the models, read here (in the importing process) for the workers."""
    return {rt.name: (frozenset(rt.columns()), sync_keys.keyer(rt) is ids.to_db,
                      rt.id_columns() - rt.portable.keys(), rt.packed_columns()) for rt in records.ordered()}


def setup(kato: frozenset[str], shape: dict[str, Shape]) -> None:
    """The worker's initializer (and this process's, when the lines are checked here)."""
    # Every key replaced at once, never cleared first: the writer thread may check a batch again
    # here (check_again) while a broken pool makes this thread set the process up.
    _import.update(kato=kato.__contains__, shapes=shape, memos={})


def check_lines(job: Job) -> Checked:
    """One batch of raw lines of a record type: parsed, checked and prepared, or the refusal of
    its first line at fault (a value: the caller raises it in the clerk's language). With a first
    import's facts, a batch that can be is made ready to write (sync/fresh.py)."""
    name, raw, first = job
    rt = records.get(name)
    assert rt is not None  # the importer refuses members of unknown types before any line is read
    columns, id_keys, id_columns, packed = _import["shapes"][name]
    try:
        batch = package.parse_lines(f"records/{name}.jsonl", raw)
        check_batch(rt, batch, columns, _import["kato"], _import["memos"].setdefault(name, {}))
    except Rejected as exc:
        return [], None, (exc.reason_code, exc.msgid, exc.params)
    prep = prepare(rt, batch, id_keys)
    made = first and fresh.ready(rt, batch, prep.keys, prep.claimed, list(prep.by_case), (id_columns, packed), first)
    return ([], made, None) if made else (batch, prep, None)


def check_again(job: Job, init: Callable[[], None]) -> tuple[list[dict[str, Any]], Prepared]:
    """``job``'s lines checked and prepared here, not made ready (the writer's long way for a batch
    a worker made ready: ``apply._apply_ready``). ``init`` sets this process up if it is not yet."""
    if not _import:
        init()
    batch, prep, refusal = check_lines((job[0], job[1], None))
    if refusal is not None:  # the same lines passed once: not expected, but never written unchecked
        code, msgid, params = refusal
        raise Rejected(code, msgid, **params)
    assert isinstance(prep, Prepared)
    return batch, prep


def accepted(results: Iterator[tuple[Job, Checked]]
             ) -> Iterator[tuple[list[dict[str, Any]], Prepared | fresh.Ready, Job]]:
    """The checked batches in order, each with its job, up to the first refusal, which is raised here."""
    for job, (batch, prep, refusal) in results:
        if refusal is not None:
            code, msgid, params = refusal
            raise Rejected(code, msgid, **params)
        assert prep is not None
        yield batch, prep, job
