"""Issue 12 item 2: records in a partner's package pass the same validation as typed input.

The malicious packages are genuine: the district's rows are edited in its database behind the
program's back, then exported and signed with the district's real key, so every envelope,
signature and schema check passes and only the validation of the records can stop them.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.unit.sync.kit import add_case

ATTACKS = {
    "status": "UPDATE cases SET status = 'bogus_status'",
    "kind": "UPDATE cases SET kind = 'alien'",
    "quota_year": "UPDATE cases SET quota_year = 999999",
    "iin": "UPDATE person SET iin = '123' WHERE id = (SELECT applicant_id FROM cases)",
    "surname": "UPDATE person SET surname = char(0) WHERE id = (SELECT applicant_id FROM cases)",
    "relation": "UPDATE family_member SET relation = 'boss' WHERE position = 0",
    "destination_kato": "UPDATE cases SET destination_kato = NULL, origin_kato = '000000000'",
    "to_status": "UPDATE status_change SET to_status = 'bogus_status'",
    "family_size": "UPDATE cases SET family_size = 999999",  # counts against the quota
    "bidi_name": "UPDATE person SET name = char(8238) || name",
    "long_notes": "UPDATE cases SET notes = printf('%.5000c', 'x')",
}


def forged_package(district, tmp_path, sql: str):  # noqa: ANN001, ANN201
    add_case(district, tmp_path, 1)
    con = sqlite3.connect(district.db)
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        with con:
            con.execute(sql)  # the sync triggers log it like any local edit
    finally:
        con.close()
    path = tmp_path / "forged.migreg"
    assert district.ok("export", "--to", "ALM-OBL", "--out", str(path))["sequence"] == 1
    return path


@pytest.mark.parametrize("field", list(ATTACKS))
def test_an_invalid_imported_record_rejects_the_package_and_applies_nothing(pair, tmp_path, field):
    district, oblast = pair
    path = forged_package(district, tmp_path, ATTACKS[field])
    before = oblast.dump()
    result = oblast.run("import", str(path), "--json")
    assert result.code == 2, (result.out, result.err)
    doc = result.json
    assert doc["status"] == "rejected" and doc["reason_code"] == "invalid_record", doc
    assert doc["reason"] and "\x00" not in result.out + result.err
    assert oblast.dump() == before
    assert oblast.ok("case", "list") == []
    assert oblast.ok("outbox") is not None  # the database still answers


def test_the_reason_names_the_record_and_the_field(pair, tmp_path):
    district, oblast = pair
    path = forged_package(district, tmp_path, ATTACKS["kind"])
    doc = oblast.run("import", str(path), "--json").json
    assert "cases" in doc["reason"] and "alien" in doc["reason"] and "Kind" in doc["reason"]
