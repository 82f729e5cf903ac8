"""Issue 17 §3: the batches an import's writer thread has already written are rolled back with the
rest when a later record is refused — the whole import stays one transaction, whether its lines
are checked here or in a worker process (migreg_desktop.parallel)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from migreg_desktop import parallel
from migreg_desktop.sync import apply, importer
from tests.unit.sync.kit import add_case


def _checked_by(monkeypatch, workers: int) -> list[int]:
    """Lines checked by ``workers`` processes (0: here) whatever the package's size; the pools made."""
    made: list[int] = []
    real = parallel.workers

    @contextmanager
    def spy(count, *args):  # noqa: ANN001, ANN002, ANN202
        made.append(count)
        with real(count, *args) as pool:
            yield pool

    monkeypatch.setattr(importer, "PARALLEL_FROM", 0)
    monkeypatch.setenv(parallel.ENV, str(workers))
    monkeypatch.setattr(parallel, "workers", spy)
    return made


@pytest.mark.parametrize("workers", [0, 1])
def test_a_bad_record_in_the_last_batch_rolls_back_what_the_writer_thread_wrote(pair, tmp_path, monkeypatch, workers):
    district, oblast = pair
    pools = _checked_by(monkeypatch, workers)
    for n in range(1, 4):
        add_case(district, tmp_path, n)
    con = sqlite3.connect(district.db)
    try:
        with con:  # the person written last travels last (the change log is in id order): a bad name
            con.execute("UPDATE person SET name = char(8238) || name WHERE id = (SELECT max(id) FROM person)")
    finally:
        con.close()
    path = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(path))

    monkeypatch.setattr(apply, "BATCH", 2)  # many batches per member
    written: list[tuple[str, int, str]] = []
    apply_batch, apply_ready = apply._apply_batch, apply._apply_ready

    def spy(ctx, rt, cols, batch, prep, out):  # noqa: ANN001, ANN202
        apply_batch(ctx, rt, cols, batch, prep, out)
        written.append((rt.name, len(batch), threading.current_thread().name))

    def spy_ready(ctx, rt, cols, ready, out, job):  # noqa: ANN001, ANN202  (a first import: sync/fresh.py)
        apply_ready(ctx, rt, cols, ready, out, job)
        written.append((rt.name, ready.count, threading.current_thread().name))

    monkeypatch.setattr(apply, "_apply_batch", spy)
    monkeypatch.setattr(apply, "_apply_ready", spy_ready)
    before = oblast.dump()
    result = oblast.run("import", str(path), "--json")
    assert result.code == 2 and result.json["reason_code"] == "invalid_record", result.out
    # The persons before the bad one were written, on the writer thread, before it was found …
    persons = [n for name, n, thread in written if name == "persons" and thread == "migreg-writer"]
    assert len(persons) >= 2 and sum(persons) >= 4, written
    # … and none of them stayed.
    assert oblast.dump() == before
    assert oblast.ok("case", "list") == []
    assert pools == [workers]


def test_threaded_inline_and_worker_checked_imports_give_the_same_rows(pair, tmp_path, monkeypatch):
    district, oblast = pair
    path = _package(district, tmp_path)
    monkeypatch.setattr(apply, "BATCH", 3)
    fresh = tmp_path / "oblast-before"
    shutil.copytree(oblast.dir, fresh)
    rows = []
    for threaded, workers in ((True, 0), (False, 0), (True, 1)):
        monkeypatch.setattr(apply, "THREADED", threaded)
        _checked_by(monkeypatch, workers)
        shutil.rmtree(oblast.dir)
        shutil.copytree(fresh, oblast.dir)
        res = oblast.ok("import", str(path))
        assert res["status"] == "applied" and res["counts"]["persons"]["applied"] >= 6, res
        rows.append(_rows(oblast.db))
    assert rows[0] == rows[1] == rows[2] and rows[0]["cases"] and rows[0]["case_search"]


def _package(district, tmp_path: Path) -> Path:  # noqa: ANN001
    """Three cases of the district in a package to the oblast."""
    for n in range(1, 4):
        add_case(district, tmp_path, n)
    path = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(path))
    return path


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        tables = {t: "*" for t in ("person", "cases", "family_member", "document", "status_change", "sync_record",
                                   "case_search", "cases_fts_data", "cases_fts_idx")}  # the search words too
        tables["sync_staging"] = "person_id, sender, sequence, iin, name_key, birth_date, match"  # not the clock
        return {t: sorted(con.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr) for t, cols in tables.items()}
    finally:
        con.close()


def test_a_cancel_while_a_worker_checks_leaves_the_database_as_it_was(pair, tmp_path, monkeypatch):
    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import open_existing
    from migreg_desktop.storage.unit_of_work import UnitOfWork
    from migreg_desktop.sync import jobs

    district, oblast = pair
    path = _package(district, tmp_path)
    pools = _checked_by(monkeypatch, 1)
    monkeypatch.setattr(apply, "BATCH", 2)
    before = oblast.dump()
    seen: list[int] = []
    paths.set_data_dir(oblast.dir)
    try:
        engine = open_existing()
        doc = jobs.run_import(UnitOfWork(engine, "test"), path, progress=lambda done, total: seen.append(done),
                              cancel=lambda: len(seen) >= 2)
        engine.dispose()
    finally:
        paths.set_data_dir(None)
    assert doc["status"] == "rejected" and doc["reason_code"] == "cancelled", doc
    assert pools == [1] and len(seen) == 2
    assert oblast.dump() == before


def test_a_big_import_leaves_the_wal_copy_to_a_thread_after_its_commit(pair, tmp_path, monkeypatch):
    """Issue 17 §3/§4: the import's commit does not copy its pages from the WAL into the database
    file; a thread does it right after (storage/checkpoint.py)."""
    from migreg_desktop.storage import checkpoint

    district, oblast = pair
    path = _package(district, tmp_path)
    copied: list[str] = []

    def slow_copy(db_file: str) -> None:
        time.sleep(0.3)
        copied.append(db_file)

    monkeypatch.setattr(checkpoint, "copy_wal", slow_copy)
    monkeypatch.setattr(importer, "PARALLEL_FROM", 0)  # as big as it gets
    monkeypatch.setenv(parallel.ENV, "0")
    res = oblast.ok("import", str(path))
    assert copied  # the command ended once its file was whole, as a process's end waits for it
    checkpoint.wait()
    assert res["status"] == "applied" and [Path(c).resolve() for c in copied] == [oblast.db.resolve()]
