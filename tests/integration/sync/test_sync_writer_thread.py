"""Issue 17 §3: the batches an import's writer thread has already written are rolled back with the
rest when a later record is refused — the whole import stays one transaction."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

from migreg_desktop.sync import apply
from tests.unit.sync.kit import add_case


def test_a_bad_record_in_the_last_batch_rolls_back_what_the_writer_thread_wrote(pair, tmp_path, monkeypatch):
    district, oblast = pair
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
    apply_batch = apply._apply_batch

    def spy(ctx, rt, cols, batch, out, *prepared):  # noqa: ANN001, ANN002, ANN202
        apply_batch(ctx, rt, cols, batch, out, *prepared)
        written.append((rt.name, len(batch), threading.current_thread().name))

    monkeypatch.setattr(apply, "_apply_batch", spy)
    before = oblast.dump()
    result = oblast.run("import", str(path), "--json")
    assert result.code == 2 and result.json["reason_code"] == "invalid_record", result.out
    # The persons before the bad one were written, on the writer thread, before it was found …
    persons = [n for name, n, thread in written if name == "persons" and thread == "migreg-writer"]
    assert len(persons) >= 2 and sum(persons) >= 4, written
    # … and none of them stayed.
    assert oblast.dump() == before
    assert oblast.ok("case", "list") == []


def test_the_threaded_and_the_inline_import_give_the_same_rows(pair, tmp_path, monkeypatch):
    district, oblast = pair
    for n in range(1, 4):
        add_case(district, tmp_path, n)
    path = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(path))
    monkeypatch.setattr(apply, "BATCH", 3)
    fresh = tmp_path / "oblast-before"
    shutil.copytree(oblast.dir, fresh)
    rows = []
    for threaded in (True, False):
        monkeypatch.setattr(apply, "THREADED", threaded)
        shutil.rmtree(oblast.dir)
        shutil.copytree(fresh, oblast.dir)
        res = oblast.ok("import", str(path))
        assert res["status"] == "applied" and res["counts"]["persons"]["applied"] >= 6, res
        rows.append(_rows(oblast.db))
    assert rows[0] == rows[1] and rows[0]["cases"]


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        tables = {t: "*" for t in ("person", "cases", "family_member", "document", "status_change", "sync_record")}
        tables["sync_staging"] = "person_id, sender, sequence, iin, name_key, birth_date, match"  # not the clock
        return {t: sorted(con.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr) for t, cols in tables.items()}
    finally:
        con.close()
