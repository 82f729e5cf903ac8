"""Issue 17 §3: a first import's batches are made ready to write in the worker (sync/fresh.py).
They must give exactly the rows, counts and refusals of the long way (sync/apply._apply_batch)."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from typing import Any

import pytest

from migreg_desktop.sync import apply, batch_checks, fresh
from tests.integration.security.sync_attack_kit import (
    forge_data_package,
    rows,
    two_districts_and_the_oblast,
)
from tests.integration.sync.test_sync_writer_thread import _checked_by, _rows
from tests.unit.sync.kit import add_case, bulk_cases


def _spy_ready(monkeypatch) -> list[int]:  # noqa: ANN001
    made: list[int] = []
    real = apply._apply_ready

    def spy(ctx, rt, cols, ready, out, job):  # noqa: ANN001, ANN202
        made.append(ready.count)
        real(ctx, rt, cols, ready, out, job)

    monkeypatch.setattr(apply, "_apply_ready", spy)
    return made


@pytest.mark.parametrize("workers", [0, 1])
def test_a_first_import_made_ready_gives_the_rows_and_counts_of_the_long_way(pair, tmp_path, monkeypatch, workers):
    district, oblast = pair
    for n in range(1, 3):
        add_case(district, tmp_path, n)
    bulk_cases(district.db, "ALM-KNV", 40)
    path = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(path))
    monkeypatch.setattr(apply, "BATCH", 7)  # many batches per member, a short one at the end
    _checked_by(monkeypatch, workers)
    before = tmp_path / "oblast-before"
    shutil.copytree(oblast.dir, before)
    found = []
    for made_ready in (True, False):
        if not made_ready:
            monkeypatch.setattr(apply.Context, "fresh", lambda self, rt: None)
        ready = _spy_ready(monkeypatch)
        shutil.rmtree(oblast.dir)
        shutil.copytree(before, oblast.dir)
        doc = oblast.ok("import", str(path))
        assert doc["status"] == "applied" and doc["counts"]["cases"]["applied"] == 42, doc
        assert (sum(ready) == sum(c["applied"] for c in doc["counts"].values())) is made_ready, ready
        found.append((doc["counts"], doc["refused"], _rows(oblast.db)))
    assert found[0] == found[1]
    assert found[0][2]["sync_staging"] and found[0][2]["case_search"]


def test_rows_hanging_on_a_case_of_another_office_are_refused_on_a_first_import_too(tmp_path, capsys, monkeypatch):
    """Attack: the oblast holds another district's case but no family member yet; a district sends,
    signed with its own key, family members on that case. The batch is made ready in the worker,
    which cannot know the case's owner: the writer finds it and takes the long way, which refuses."""
    knv, tlg, oblast = two_districts_and_the_oblast(tmp_path, capsys)
    add_case(tlg, tmp_path, 1)
    p = tmp_path / "tlg-1.migreg"
    tlg.ok("export", "--to", "ALM-OBL", "--out", str(p))
    assert oblast.ok("import", str(p))["status"] == "applied"
    members = rows(oblast, "family_member")
    con = sqlite3.connect(oblast.db)
    try:
        with con:  # the family members gone, as if the case had come without them
            con.execute("INSERT INTO sync_suppress (flag) VALUES (1)")
            con.execute("DELETE FROM family_member")
            con.execute("DELETE FROM sync_record WHERE kind = 3")
            con.execute("DELETE FROM sync_suppress")
    finally:
        con.close()
    forged = [{**m, "id": str(uuid.uuid4())} for m in members]
    lines = {"family_members": [{"id": m["id"], "version": 1, "base_version": 0, "owner": "ALM-KNV",
                                 "deleted": False, "data": m} for m in forged]}
    package = forge_data_package(knv, "ALM-OBL", 1, lines, tmp_path / "knv-1.migreg")
    ready = _spy_ready(monkeypatch)
    doc = oblast.ok("import", str(package))
    assert ready == [len(forged)]  # made ready, then refused by the writer's look at the case
    assert doc["status"] == "applied" and doc["refused"] == len(forged) >= 1, doc
    assert doc["counts"]["family_members"] == {"applied": 0, "unchanged": 0, "conflicts": 0, "deleted": 0,
                                               "refused": len(forged)}
    assert {r["reason_code"] for r in doc["refused_records"]} == {"foreign_owner"}
    assert {r["owner"] for r in doc["refused_records"]} == {"ALM-TLG"}
    assert rows(oblast, "family_member") == []


def _batch(n: int, **data: Any) -> list[dict[str, Any]]:
    return [{"id": str(uuid.uuid4()), "version": 1, "base_version": 0, "owner": None, "deleted": False,
             "data": {"id": "", "surname": "Ахметов", "name": "Ерлан", "owner_office": None, **data}}
            for _ in range(n)]


def test_only_a_batch_the_long_way_would_apply_whole_is_made_ready():
    person = next(rt for rt in apply.records.ordered() if rt.name == "persons")
    first = fresh.Fresh("ALM-KNV", 4)

    def made(batch: list[dict[str, Any]]) -> fresh.Ready | None:
        for line in batch:
            if line["data"] is not None:
                line["data"]["id"] = line["id"]
        prep = batch_checks.prepare(person, batch, id_keys=True)
        return fresh.ready(person, batch, prep.keys, prep.claimed, list(prep.by_case), (frozenset({"id"}), frozenset()), first)

    plain = made(_batch(3))
    assert plain is not None and plain.count == 3 and len(plain.recs) == 3
    (order, stored), = plain.groups
    assert order[-1] == "id" and {row[order.index("owner_office")] for row in stored} == {"ALM-KNV"}
    assert {r[2:] for r in plain.recs} == {("ALM-KNV", 1, 4, "applied")} and len(plain.touched) == 3
    assert made(_batch(2, owner_office="ALM-KNV")) is not None  # names the signer: still ready
    assert made(_batch(2, owner_office="ALM-TLG")) is None  # names another office: the long way
    deleted = _batch(2)
    deleted[1].update(deleted=True, data=None)
    assert made(deleted) is None
