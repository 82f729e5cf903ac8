"""The package's writer thread (issue 17 §3): the members it writes hold the bytes one thread
writes (same lines, same order, same digests), its errors reach the caller, and it ends with the
package."""

from __future__ import annotations

import hashlib
import threading
import zipfile
from pathlib import Path

import pytest

from migreg_desktop.sync import package

MEMBERS = {f"records/{name}.jsonl": [f'{{"id":"{name}-{i}","n":{i},"t":"Қайрат ✓ {i * 7919 % 997}"}}'
                                     for i in range(n)]
           for name, n in (("persons", 9000), ("cases", 1), ("empty", 0), ("documents", 4000))}


def _one_thread(path: Path) -> dict[str, dict[str, object]]:
    """The members written on the caller's thread, line by line, as before the writer thread."""
    out = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, lines in MEMBERS.items():
            with zf.open(name, "w", force_zip64=True) as fh:
                m = package.MemberWriter(fh)
                for line in lines:
                    m.text_line(line)
                m.flush()
            out[name] = {"sha256": m.hash.hexdigest(), "bytes": m.bytes, "records": m.records}
    return out


def test_the_writer_thread_writes_what_one_thread_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "FLUSH_BYTES", 4096)  # many pieces in flight at once
    before = threading.active_count()
    w = package.PackageWriter(tmp_path / "threaded.zip")
    for name, lines in MEMBERS.items():
        with w.member(name) as m:
            for i in range(0, len(lines), 700):  # batches, as the export gives them
                m.text_lines(lines[i:i + 700])
    manifest = w.finish(package.base_manifest("data", "A", "B", 1))
    assert threading.active_count() == before  # the writer thread ended with the package

    assert manifest["members"] == _one_thread(tmp_path / "single.zip")
    with zipfile.ZipFile(tmp_path / "threaded.zip") as a, zipfile.ZipFile(tmp_path / "single.zip") as b:
        assert a.namelist() == [*MEMBERS, package.MANIFEST]  # the members in their order
        for name, lines in MEMBERS.items():
            data = a.read(name)
            assert data == b.read(name) == "".join(f"{line}\n" for line in lines).encode("utf-8")
            assert hashlib.sha256(data).hexdigest() == manifest["members"][name]["sha256"]
            # deflate's output does not depend on how the input was cut into pieces
            assert a.getinfo(name).compress_size == b.getinfo(name).compress_size


def test_an_error_of_the_writer_thread_reaches_the_caller(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "FLUSH_BYTES", 1024)
    written = []

    def failing(self: package.MemberWriter, lines: list[str]) -> None:
        if written:
            raise OSError("disk full")
        written.append(len(lines))

    monkeypatch.setattr(package.MemberWriter, "_write", failing)
    w = package.PackageWriter(tmp_path / "p.zip")
    with pytest.raises(OSError, match="disk full"), w.member("records/persons.jsonl") as m:
        for line in MEMBERS["records/persons.jsonl"]:
            m.text_line(line)
    assert written  # the first piece went through, the second's error was raised here
