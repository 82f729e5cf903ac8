"""District → oblast → ack → district, end to end through the CLI with two data dirs."""

from __future__ import annotations

from migreg_desktop.cases import cases
from migreg_desktop.storage.db import session_scope
from tests.unit.sync.kit import add_case


def test_export_import_ack_and_next_export_carries_only_whats_new(pair, tmp_path):
    district, oblast = pair
    a = add_case(district, tmp_path, 1)
    add_case(district, tmp_path, 2, "kandas")
    box = district.ok("outbox")["receivers"][0]
    assert box["office"] == "ALM-OBL" and box["unsent"]["cases"] == 2 and box["awaiting_ack"] == {}

    p1 = tmp_path / "p1.migreg"
    exp = district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    assert exp["sequence"] == 1 and exp["counts"]["cases"] == 2 and exp["counts"]["persons"] == 6
    box = district.ok("outbox")["receivers"][0]
    assert box["unsent"] == {} and box["awaiting_ack"]["cases"] == 2  # sent, never deleted, not yet delivered

    dry = oblast.ok("import", str(p1), "--dry-run")
    assert dry["status"] == "applied" and dry["dry_run"] and dry["counts"]["cases"]["applied"] == 2
    assert oblast.ok("case", "list", "--office", "ALM-KNV") == []
    res = oblast.ok("import", str(p1))
    assert res["status"] == "applied" and res["sequence"] == 1 and res["conflicts"] == 0
    assert set(res) >= {"status", "sequence", "counts", "conflicts", "reason"}
    listed = oblast.ok("case", "list", "--office", "ALM-KNV")
    assert {r["number"] for r in listed} == {a["number"], listed[0]["number"]} and len(listed) == 2
    assert oblast.ok("case", "list", "--search", "kurmangazy")[0]["number"] == a["number"]  # kk/ru/Latin search
    # A family member's name (not the applicant's): the search words are built once the family is in
    assert a["number"] in {r["number"] for r in oblast.ok("case", "list", "--search", "Нұрсұлтан")}
    shown = oblast.ok("case", "show", a["number"])
    assert shown["applicant"]["surname"] == "Құрманғазы" and len(shown["family"]) == 3

    ack = tmp_path / "a1.migreg"
    assert oblast.ok("ack", "--to", "ALM-KNV", "--out", str(ack))["acknowledges"] == [1]
    assert oblast.run("ack", "--to", "ALM-KNV", "--out", str(tmp_path / "a2.migreg")).code == 1  # nothing new
    got = district.ok("import", str(ack))
    assert got["status"] == "applied" and got["counts"]["acknowledged_packages"] == [1]
    assert got["counts"]["accepted_records"] == 19 + exp["counts"].get("decisions", 0)  # each case add checks it
    box = district.ok("outbox")["receivers"][0]
    assert box["pending"] == 0 and box["last_acknowledged"] == 1 and box["packages"][0]["acknowledged"]

    district.ok("case", "status", a["number"], "--to", "submitted")
    p2 = tmp_path / "p2.migreg"
    exp2 = district.ok("export", "--to", "ALM-OBL", "--out", str(p2))
    assert exp2["sequence"] == 2
    assert exp2["counts"] == {"persons": 0, "cases": 1, "family_members": 0, "documents": 0, "status_changes": 1,
                              "decisions": exp2["counts"]["decisions"], "quota_ledger": 0}  # a change re-checks
    res2 = oblast.ok("import", str(p2))
    assert res2["counts"]["cases"]["applied"] == 1
    assert oblast.ok("case", "show", a["number"])["status"] == "submitted"


def test_edits_and_deletions_travel(pair, tmp_path):
    district, oblast = pair
    a = add_case(district, tmp_path, 1)
    p1 = tmp_path / "p1.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    oblast.ok("import", str(p1))
    oblast.ok("ack", "--to", "ALM-KNV", "--out", str(tmp_path / "a1.migreg"))
    district.ok("import", str(tmp_path / "a1.migreg"))
    # The clerk drops a family member and a document, and fixes a phone number.
    eng = district.engine()
    with session_scope(eng, actor="clerk") as s:
        doc = cases.case_dict(cases.get_case(a["number"], session=s), session=s)
        data = {k: doc[k] for k in cases.CASE_FIELDS}
        data["applicant"] = {**doc["applicant"], "phone": "+7 701 999 9999"}
        data["family"] = doc["family"][:2]
        data["documents"] = doc["documents"][:1]
        cases.update_case(doc["id"], data, session=s, confirm_warnings=True)
    eng.dispose()
    p2 = tmp_path / "p2.migreg"
    counts = district.ok("export", "--to", "ALM-OBL", "--out", str(p2))["counts"]
    # one member and two documents removed, the applicant's phone changed
    assert counts == {"persons": 1, "cases": 1, "family_members": 1, "documents": 2, "status_changes": 0,
                      "decisions": counts["decisions"], "quota_ledger": 0}  # an edit re-checks the case
    res = oblast.ok("import", str(p2))
    assert res["status"] == "applied" and res["conflicts"] == 0
    shown = oblast.ok("case", "show", a["number"])
    assert shown["applicant"]["phone"] == "+7 701 999 9999"
    assert len(shown["family"]) == 2 and len(shown["documents"]) == 1
    assert shown == district.ok("case", "show", a["number"])


def test_gap_is_held_then_released_when_the_missing_package_arrives(pair, tmp_path):
    district, oblast = pair
    add_case(district, tmp_path, 1)
    p1, p2 = tmp_path / "p1.migreg", tmp_path / "p2.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    add_case(district, tmp_path, 2)
    district.ok("export", "--to", "ALM-OBL", "--out", str(p2))
    before = oblast.dump()
    held = oblast.run("import", str(p2), "--json")
    assert held.code == 0 and held.json["status"] == "held" and "1" in held.json["reason"]
    assert oblast.dump() == before  # held: the database is unchanged, the file waits in inbox/held
    res = oblast.ok("import", str(p1))
    assert res["status"] == "applied" and [r["sequence"] for r in res["released"]] == [2]
    assert len(oblast.ok("case", "list", "--office", "ALM-KNV")) == 2
    assert oblast.ok("import", str(p2))["status"] == "already_imported"


def test_human_output_in_russian_and_kazakh(pair, tmp_path):
    district, oblast = pair
    add_case(district, tmp_path, 1)
    p1 = tmp_path / "p1.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    r = oblast.run("import", str(p1), lang="ru")
    assert r.code == 0 and "Применён" in r.out
    r = oblast.run("import", str(p1), lang="kk")
    assert r.code == 0 and "бұрын" in r.out.lower()


def _decisions(office) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    """uid → (results as stored, as read back) of an office's decisions."""
    import sqlite3

    from migreg_desktop.packed_text import unpack

    con = sqlite3.connect(office.db)
    try:
        return {uid: (stored, unpack(stored)) for uid, stored in con.execute("SELECT uid, results FROM eligibility_decision")}
    finally:
        con.close()


def test_decisions_travel_as_their_text_and_are_stored_packed_on_both_sides(pair, tmp_path):
    """Issue 17 §1/§4: a package carries a decision's results text (``packed_text`` at export);
    the receiver stores it packed again, on a first import (made ready in the worker, sync/fresh.py)
    as on a later one (the long way)."""
    import json

    from migreg_desktop.packed_text import LEAD

    district, oblast = pair
    add_case(district, tmp_path, 1)
    for n, out in ((1, "p1.migreg"), (2, "p2.migreg")):
        if n == 2:
            add_case(district, tmp_path, 2, "kandas")  # its decision into a table that holds one
        district.ok("export", "--to", "ALM-OBL", "--out", str(tmp_path / out))
        assert oblast.ok("import", str(tmp_path / out))["status"] == "applied"
        sent, got = _decisions(district), _decisions(oblast)
        assert sent and {uid: text for uid, (_s, text) in got.items()} == {uid: text for uid, (_s, text) in sent.items()}
        for stored, text in got.values():
            assert stored.startswith(LEAD) and len(stored) * 3 < len(text) and json.loads(text)
    assert len(got) >= 2
