"""The import's thread prepares a batch (batch_checks.prepare) and the writer reads the owners of the
cases its rows hang on in one row (apply._data_owners): the same owners as row by row, for a case
id stored as 16 bytes and for one kept as text (issue 17 §3)."""

from __future__ import annotations

import sqlite3
import uuid

from migreg_desktop import ids
from migreg_desktop.storage import records
from migreg_desktop.sync import apply, batch_checks


def _line(rid: str, data: dict | None) -> dict:
    return {"id": rid, "version": 1, "base_version": 0, "deleted": data is None, "owner": None, "data": data}


def test_owners_of_blob_and_text_case_ids_and_of_rows_naming_their_own():
    rt = records.get("family_members")
    assert rt is not None and rt.case_column == "case_id"
    blob_case = "41424344-4546-4748-494a-4b4c4d4e4f50"  # its 16 bytes spell "ABCDEFGHIJKLMNOP"
    text_case, missing_case = "legacy-case-7", str(uuid.uuid4())
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE cases (id PRIMARY KEY, owner_office TEXT, office_code TEXT)")
    con.executemany("INSERT INTO cases VALUES (?, ?, ?)", [(ids.to_db(blob_case), None, "ALM-KNV"),
                                                           (text_case, "ALM-TLD", "ALM-KNV")])
    # A text id whose UTF-8 bytes are the blob case's 16 bytes: two cases, two owners.
    twin = "ABCDEFGHIJKLMNOP"
    assert ids.to_db(blob_case) == twin.encode() and ids.to_db(twin) == twin
    con.execute("INSERT INTO cases VALUES (?, ?, ?)", (twin, "ALM-TWN", "ALM-KNV"))
    rows = {str(uuid.uuid4()): {"case_id": blob_case}, str(uuid.uuid4()): {"case_id": text_case},
            str(uuid.uuid4()): {"case_id": blob_case}, str(uuid.uuid4()): {"case_id": missing_case},
            str(uuid.uuid4()): {"case_id": twin}, str(uuid.uuid4()): {"case_id": text_case, "owner_office": "ALM-X"},
            str(uuid.uuid4()): None}
    batch = [_line(rid, None if data is None else {"id": rid, **data}) for rid, data in rows.items()]
    prep = batch_checks.prepare(rt, batch)
    assert prep.keys == {rid: ids.to_db(rid) for rid in rows}
    ctx = apply.Context(con, "ALM-OBL", "ALM-KNV", 1, lambda n: None)
    owners = apply._data_owners(ctx, prep)
    expected = {}
    for rid, data in rows.items():
        if data is None:
            continue
        if "owner_office" in data:
            expected[rid] = data["owner_office"]
        elif data["case_id"] == blob_case:
            expected[rid] = "ALM-KNV"
        elif data["case_id"] == text_case:
            expected[rid] = "ALM-TLD"
        elif data["case_id"] == twin:
            expected[rid] = "ALM-TWN"
    assert owners == expected
    assert apply._data_owners(ctx, prep) == expected  # the prepared claims are left as they were
