"""Issue 12 §3: who signed a package decides which records it may change at the oblast.

Attack: a trusted district (ALM-KNV) sends, signed with its own key, lines that change, delete
and create records of another district (ALM-TLG), with ``owner`` fields that say whatever helps."""

from __future__ import annotations

import uuid

from tests.integration.security.sync_attack_kit import (
    forge_data_package,
    rows,
    two_districts_and_the_oblast,
)
from tests.unit.sync.kit import add_case


def _line(row: dict, owner: str, version: int = 2, deleted: bool = False) -> dict:
    return {"id": row["id"], "version": version, "base_version": version - 1, "owner": owner, "deleted": deleted,
            "data": None if deleted else row}


def test_a_district_cannot_change_delete_or_create_another_districts_records(tmp_path, capsys):
    knv, tlg, oblast = two_districts_and_the_oblast(tmp_path, capsys)
    theirs = add_case(tlg, tmp_path, 1)
    p = tmp_path / "tlg-1.migreg"
    tlg.ok("export", "--to", "ALM-OBL", "--out", str(p))
    assert oblast.ok("import", str(p))["status"] == "applied"
    case = rows(oblast, "cases", "number = ?", (theirs["number"],))[0]
    member = rows(oblast, "family_member", "case_id = id_db(?)", (case["id"],))[0]
    applicant = rows(oblast, "person", "id = id_db(?)", (case["applicant_id"],))[0]
    before = {t: rows(oblast, t) for t in ("cases", "family_member", "person")}

    changed = {**case, "status": "withdrawn", "applicant_name": "Forged"}  # valid values: only ownership says no
    renamed = {**applicant, "surname": "Forged"}
    created_for_tlg = {**case, "id": str(uuid.uuid4()), "number": "ALM-TLG-2026-999999"}
    new_member = {**member, "id": str(uuid.uuid4())}
    own_new = {**case, "id": str(uuid.uuid4()), "number": "ALM-KNV-2026-000001", "office_code": "ALM-KNV",
               "owner_office": "ALM-KNV"}
    lines = {
        "cases": [_line(changed, "ALM-KNV"), _line(changed, "ALM-TLG", version=3),
                  _line(created_for_tlg, "ALM-KNV", version=1), _line(own_new, "ALM-TLG", version=1)],
        "persons": [_line(renamed, "ALM-KNV")],
        "family_members": [_line(member, "ALM-KNV", deleted=True), _line(new_member, "ALM-KNV", version=1)],
    }
    forged = forge_data_package(knv, "ALM-OBL", 1, lines, tmp_path / "knv-1.migreg")
    human = oblast.run("import", str(forged), "--dry-run", lang="ru")
    assert human.code == 0 and "6 записей отклонено" in human.out, human.out
    doc = oblast.ok("import", str(forged))

    assert doc["status"] == "applied", doc
    assert rows(oblast, "cases", "id != id_db(?)", (own_new["id"],)) == before["cases"]  # nothing of TLG's changed
    assert rows(oblast, "family_member") == before["family_member"]  # not deleted, nothing added
    assert rows(oblast, "person") == before["person"]
    # Each refused line is counted and listed with its reason; none sits in a queue to be accepted.
    assert doc["refused"] == 6 and doc["conflicts"] == 0, doc
    assert doc["counts"]["cases"]["refused"] == 3 and doc["counts"]["family_members"]["refused"] == 2
    assert {r["reason_code"] for r in doc["refused_records"]} == {"foreign_owner"}
    assert {r["owner"] for r in doc["refused_records"]} == {"ALM-TLG"}
    assert oblast.ok("conflicts", "list") == []
    # A record created by the signer is the signer's, whatever its ``owner`` field claimed.
    mine = rows(oblast, "cases", "id = id_db(?)", (own_new["id"],))[0]
    assert mine["owner_office"] == "ALM-KNV" and doc["counts"]["cases"]["applied"] == 1
    # TLG's own next change still goes through.
    tlg.ok("case", "status", theirs["number"], "--to", "submitted")
    p2 = tmp_path / "tlg-2.migreg"
    tlg.ok("export", "--to", "ALM-OBL", "--out", str(p2))
    res = oblast.ok("import", str(p2))
    assert res["counts"]["cases"]["applied"] == 1 and res["refused"] == 0
    assert rows(oblast, "cases", "id = id_db(?)", (case["id"],))[0]["status"] == "submitted"


def test_a_new_record_owned_by_the_signer_whatever_its_owner_field_says(pair, tmp_path):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    case = rows(district, "cases")[0]
    persons = {r["id"]: r for r in rows(district, "person")}
    lines = {"persons": [_line(persons[case["applicant_id"]], "ALM-OBL", version=1)],
             "cases": [_line({**case, "owner_office": None}, "ALM-OBL", version=1)]}
    forged = forge_data_package(district, "ALM-OBL", 1, lines, tmp_path / "p.migreg")
    doc = oblast.ok("import", str(forged))
    assert doc["conflicts"] == 0 and doc["counts"]["cases"]["applied"] == 1, doc  # not a "proposal" on ours
    assert rows(oblast, "cases")[0]["owner_office"] == "ALM-KNV"


