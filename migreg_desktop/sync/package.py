"""The inner zip of a package: ``manifest.json`` and JSON Lines members (docs/package-format.md).

Members are written and read line by line (zip streams), with a SHA-256, a byte count and a
record count per member kept in the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from pydantic_core import from_json

from migreg_desktop import __version__
from migreg_desktop.i18n import N_
from migreg_desktop.sync import container
from migreg_desktop.sync.container import Rejected

FORMAT_VERSION = 1
KINDS = ("data", "ack", "refdata")
MANIFEST = "manifest.json"
HEADER_KEYS = ("format", "kind", "sender", "receiver", "sequence")
# Limits of the inner zip (docs/package-format.md "Limits"; issue 12 §4). Checked on the zip's
# directory before a byte is inflated, and lines are read with a bounded readline, so any
# package is read within the 300 MB memory target or refused with reason_code "too_large".
MAX_MEMBERS = 256
MAX_MEMBER_BYTES = 2 << 30  # one member, inflated
MAX_EXPANDED_BYTES = 4 << 30  # every member together, inflated
MAX_RATIO = 100  # inflated : compressed, for members over RATIO_FROM (JSON Lines give 5-15)
RATIO_FROM = 1 << 20
MAX_MANIFEST_BYTES = 4 << 20
MAX_LINE = 4 << 20  # one record line
MAX_DATASET_LINE = 32 << 20  # one reference dataset is one line
MAX_BATCH_BYTES = 8 << 20  # lines parsed together
READ_BUFFER = 1 << 20


def work_dir() -> Path:
    """Scratch space for packages being written or read: this process's private temp folder
    (services/privacy, issue 12 §8), removed at exit and swept after a kill."""
    from migreg_desktop.storage import privacy

    return privacy.temp_dir()


def clean_work_dir(max_age_s: float = 3600) -> None:
    """Leftovers of a killed import or export (never needed again): services/privacy.sweep_temp."""
    from migreg_desktop.storage import privacy

    privacy.sweep_temp()


@contextmanager
def temp_file(suffix: str) -> Iterator[Path]:
    from migreg_desktop.storage import privacy

    with privacy.temp_file(suffix) as path:
        yield path


def base_manifest(kind: str, sender: str, receiver: str, sequence: int, **extra: Any) -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "kind": kind, "sender": sender, "receiver": receiver,
            "sequence": sequence, "created_at": _utcnow().isoformat(), "program_version": __version__,
            **extra}


encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
FLUSH_BYTES = 256 << 10  # lines gathered before one zip write (issue 17 §3: a write per line cost 1/4 of an export)
PIPE_DEPTH = 4  # pieces waiting for the writer thread (at most ~1 MB of lines held)


class _Pipe:
    """One writer thread that turns the members' gathered lines into bytes, hashes, compresses
    and writes them, in the order given (issue 17 §3). zlib, hashlib and the file write let go
    of the GIL on large buffers, so they run beside SQLite making the next lines on the
    caller's thread (which lets go of it too while it steps): two cores instead of one. The
    bytes written are those one thread would write: the same pieces, in the same order."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="package-writer")
        self._pending: deque[Future[None]] = deque()

    def put(self, fn: Callable[[list[str]], None], lines: list[str]) -> None:
        self._pending.append(self._pool.submit(fn, lines))
        while len(self._pending) > PIPE_DEPTH:
            self._pending.popleft().result()

    def drain(self) -> None:
        """Wait for every piece (raising the writer's error, if any)."""
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            self._pool.shutdown(cancel_futures=True)


class MemberWriter:
    """One JSON Lines member: lines are gathered and written (and hashed) in 256 KB pieces by
    the package's writer thread; the bytes are the same as one write per line."""

    def __init__(self, fh: Any, pipe: _Pipe | None = None) -> None:
        self.fh, self.hash, self.bytes, self.records = fh, hashlib.sha256(), 0, 0
        self._pending: list[str] = []
        self._pending_chars = 0
        self._pipe = pipe

    def line(self, obj: Any) -> None:
        self.text_line(encode(obj))

    def text_line(self, text: str) -> None:
        """A line already encoded as JSON (one object, no newline)."""
        self._pending.append(text)
        self._pending_chars += len(text)
        self.records += 1
        if self._pending_chars >= FLUSH_BYTES:
            self.flush()

    def text_lines(self, lines: list[str]) -> None:
        """Lines already encoded as JSON (a batch of ``text_line``: the same bytes)."""
        self._pending += lines
        self._pending_chars += sum(map(len, lines))
        self.records += len(lines)
        if self._pending_chars >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        lines, self._pending, self._pending_chars = self._pending, [], 0
        if self._pipe is None:
            self._write(lines)
        else:
            self._pipe.put(self._write, lines)

    def _write(self, lines: list[str]) -> None:
        """On the writer thread: the piece's bytes into the member, its hash and its count."""
        lines.append("")  # the last line's newline
        data = "\n".join(lines).encode("utf-8")
        self.fh.write(data)
        self.hash.update(data)
        self.bytes += len(data)


class PackageWriter:
    """Builds the inner zip; ``finish`` adds the manifest with every member's digest."""

    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.members: dict[str, dict[str, Any]] = {}
        self._pipe = _Pipe()

    @contextmanager
    def member(self, name: str) -> Iterator[MemberWriter]:
        with self.zf.open(name, "w", force_zip64=True) as fh:
            writer = MemberWriter(fh, self._pipe)
            try:
                yield writer
                writer.flush()
            finally:  # every piece is in the member before it closes (or the writer's error is raised)
                self._pipe.drain()
        self.members[name] = {"sha256": writer.hash.hexdigest(), "bytes": writer.bytes, "records": writer.records}

    def finish(self, manifest: dict[str, Any]) -> dict[str, Any]:
        self._pipe.close()
        manifest = {**manifest, "members": self.members}
        self.zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        self.zf.close()
        return manifest


def check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose directory promises more than the limits (a zip bomb), before inflating."""
    if len(infos) > MAX_MEMBERS:
        raise Rejected("too_large", N_("The package has {count} members, at most {limit}; nothing was changed."),
                       count=len(infos), limit=MAX_MEMBERS)
    total = 0
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise container.too_large(info.filename, limit)
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Rejected("too_large", N_("{member}: expands {ratio} times, at most {limit} times (a zip bomb?); "
                           "nothing was changed."), member=info.filename,
                           ratio=info.file_size // max(info.compress_size, 1), limit=MAX_RATIO)
        total += info.file_size
    if total > MAX_EXPANDED_BYTES:
        raise Rejected("too_large", N_("The package expands to more than {limit} MB; nothing was changed."),
                       limit=MAX_EXPANDED_BYTES >> 20)


def _parse_batch(blob: bytes) -> Any:
    """One JSON array of lines. pydantic-core's parser (issue 17 §3: 1.5-2.5 times faster than
    ``json``, keys of repeated objects shared); what it refuses is parsed by ``json`` again, so a
    package is accepted or refused, with its message, exactly as ``json`` would (``json`` keeps a
    lone surrogate that the record checks then refuse by name, for one)."""
    try:
        return from_json(blob, cache_strings="keys")
    except ValueError:
        return json.loads(blob)


def parse_lines(name: str, raw: list[bytes]) -> list[dict[str, Any]]:
    """A batch of a member's lines, parsed as one JSON array; each line must be an object."""
    try:
        objs = _parse_batch(b"[" + b",".join(raw) + b"]")
        if len(objs) != len(raw) or not all(type(o) is dict for o in objs):
            raise ValueError("a line is not a JSON object")
    except ValueError as exc:
        raise _not_json_lines(name, exc) from exc
    return objs


def _not_json_lines(name: str, exc: BaseException) -> Rejected:
    return Rejected("bad_schema", N_("{member}: not valid JSON Lines ({error})."), member=name, error=str(exc))


class PackageReader:
    """Reads the inner zip of a verified package; checks the manifest against the header."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        try:
            self.zf = zipfile.ZipFile(path)
            check_sizes(self.zf.infolist())
            self.manifest = json.loads(self.zf.read(MANIFEST).decode("utf-8"))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
            raise Rejected("bad_schema", N_("The package content is not readable: {error}"), error=str(exc)) from exc
        self._check(header)

    def _readline(self, fh: Any, name: str, limit: int) -> bytes:
        raw: bytes = fh.readline(limit + 1)
        if len(raw) > limit:
            raise Rejected("too_large", N_("{member}: a line is longer than {limit} MB; nothing was changed."),
                           member=name, limit=limit >> 20)
        return raw

    def _check(self, header: dict[str, Any]) -> None:
        m = self.manifest
        if not isinstance(m, dict) or not isinstance(m.get("members"), dict):
            raise Rejected("bad_schema", N_("The package manifest is not valid."))
        for key in HEADER_KEYS:
            if m.get(key) != header.get(key):
                raise Rejected("bad_schema", N_("The manifest and the envelope disagree on {key}."), key=key)
        names = set(self.zf.namelist()) - {MANIFEST}
        if names != set(m["members"]):
            raise Rejected("bad_schema", N_("The package members do not match its manifest."))

    def has(self, name: str) -> bool:
        return name in self.manifest["members"]

    def records(self, name: str) -> int:
        return int(self.manifest["members"].get(name, {}).get("records", 0))

    def lines(self, name: str, limit: int = MAX_LINE) -> Iterator[dict[str, Any]]:
        """Parsed lines of a member; its SHA-256 and count are checked when it is exhausted."""
        info = self.manifest["members"][name]
        h, n = hashlib.sha256(), 0
        try:
            with self.zf.open(name) as member:
                # ZipFile.open(name) in read mode is a ZipExtFile (typeshed says only IO[bytes]).
                fh = io.BufferedReader(cast(zipfile.ZipExtFile, member), READ_BUFFER)  # C readline with a limit: fast and bounded
                while raw := self._readline(fh, name, limit):
                    h.update(raw)
                    n += 1
                    obj = json.loads(raw)
                    if not isinstance(obj, dict):
                        raise ValueError("a line is not a JSON object")
                    yield obj
        except (ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _not_json_lines(name, exc) from exc
        if h.hexdigest() != info.get("sha256") or n != info.get("records"):
            raise Rejected("bad_hash", N_("{member}: the content does not match the manifest's SHA-256."),
                           member=name)

    def batches(self, name: str, size: int) -> Iterator[list[dict[str, Any]]]:
        """Like ``lines`` in lists of ``size``, parsed as one JSON array each (fewer calls)."""
        for raw in self.raw_batches(name, size):
            yield parse_lines(name, raw)

    def raw_batches(self, name: str, size: int) -> Iterator[list[bytes]]:
        """A member's lines unparsed, ``size`` at a time (``parse_lines`` parses a batch, maybe in
        another process); its SHA-256 and count are checked when it is exhausted."""
        info = self.manifest["members"][name]
        h, n = hashlib.sha256(), 0
        try:
            with self.zf.open(name) as member:
                # ZipFile.open(name) in read mode is a ZipExtFile (typeshed says only IO[bytes]).
                fh = io.BufferedReader(cast(zipfile.ZipExtFile, member), READ_BUFFER)  # C readline with a limit: fast and bounded
                while raw := self._batch(fh, name, size):
                    h.update(b"".join(raw))
                    n += len(raw)
                    yield raw
        except (ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _not_json_lines(name, exc) from exc
        if h.hexdigest() != info.get("sha256") or n != info.get("records"):
            raise Rejected("bad_hash", N_("{member}: the content does not match the manifest's SHA-256."),
                           member=name)

    def _batch(self, fh: Any, name: str, size: int) -> list[bytes]:
        out: list[bytes] = []
        budget = MAX_BATCH_BYTES
        while len(out) < size and budget > 0 and (raw := self._readline(fh, name, MAX_LINE)):
            out.append(raw)
            budget -= len(raw)
        return out

    def close(self) -> None:
        self.zf.close()


def result(status: str, header: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An import's answer: the same keys for every status (the CLI's `sync import --json`)."""
    header = header or {}
    doc: dict[str, Any] = {"status": status, "kind": header.get("kind"), "sender": header.get("sender"),
           "sequence": header.get("sequence"), "counts": {}, "conflicts": 0, "reason": None}
    doc.update(extra)
    return doc


def _utcnow() -> datetime:
    from migreg_desktop.models.base import utcnow  # not on an import worker's path (issue 17 §3)

    return utcnow()
