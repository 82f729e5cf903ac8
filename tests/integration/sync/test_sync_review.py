"""Conflict queue, oblast staging/duplicates, reference packages."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from migreg_desktop import paths
from migreg_desktop.cases import cases
from migreg_desktop.models import Person
from migreg_desktop.refdata import refdata
from migreg_desktop.storage import bulk_indexes
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import refpack
from tests.unit.sync.kit import add_case, case_doc, setup_office, trust_each_other


def _edit_phone(office, number: str, phone: str) -> None:  # noqa: ANN001
    paths.set_data_dir(office.dir)
    eng = office.engine()
    # Only the person row: the case editor also rewrites every document row (new ids), which
    # would turn each document into a proposal of its own.
    with session_scope(eng, actor="clerk") as s:
        person = s.get(Person, cases.get_case(number, session=s).applicant_id)
        person.phone, person.version = phone, person.version + 1
        s.add(person)
    eng.dispose()


def _send(src, dst, tmp_path, name):  # noqa: ANN001
    p = tmp_path / f"{name}.migreg"
    src.ok("export", "--to", dst.code, "--out", str(p))
    return dst.ok("import", str(p))


def test_oblast_edit_of_a_district_case_is_a_proposal_accepted_field_by_field(pair, tmp_path):
    district, oblast = pair
    a = add_case(district, tmp_path, 1)
    _send(district, oblast, tmp_path, "p1")
    _edit_phone(oblast, a["number"], "+7 777 123 4567")
    res = _send(oblast, district, tmp_path, "o1")
    assert res["status"] == "applied" and res["conflicts"] == 1
    assert district.ok("case", "show", a["number"])["applicant"]["phone"] != "+7 777 123 4567"  # not overwritten
    queue = district.ok("conflicts", "list")
    assert len(queue) == 1 and queue[0]["record_type"] == "persons" and queue[0]["case_number"] == a["number"]
    shown = district.ok("conflicts", "show", str(queue[0]["id"]))
    assert shown["differences"] == [{"field": "phone", "local": "+7 701 000 0001", "incoming": "+7 777 123 4567"}]
    assert district.ok("conflicts", "accept", str(queue[0]["id"]))["status"] == "accepted"
    assert district.ok("case", "show", a["number"])["applicant"]["phone"] == "+7 777 123 4567"
    assert district.run("conflicts", "accept", str(queue[0]["id"]), "--json").code == 2  # resolved already
    # The owner's new version goes back; the oblast's own edit is now the owner's: no conflict there.
    back = _send(district, oblast, tmp_path, "p2")
    assert back["conflicts"] == 0 and back["counts"]["persons"]["applied"] == 1
    assert oblast.ok("outbox", "--to", "ALM-KNV")["receivers"][0]["unsent"] == {}


def test_district_update_over_a_local_oblast_edit_goes_to_the_queue_and_can_be_rejected(pair, tmp_path):
    district, oblast = pair
    a = add_case(district, tmp_path, 1)
    _send(district, oblast, tmp_path, "p1")
    _edit_phone(oblast, a["number"], "+7 777 000 0000")
    _edit_phone(district, a["number"], "+7 701 555 5555")
    res = _send(district, oblast, tmp_path, "p2")
    assert res["conflicts"] == 1
    assert oblast.ok("case", "show", a["number"])["applicant"]["phone"] == "+7 777 000 0000"
    cid = oblast.ok("conflicts", "list")[0]["id"]
    assert oblast.ok("conflicts", "reject", str(cid))["status"] == "rejected"
    assert oblast.ok("conflicts", "list") == [] and len(oblast.ok("conflicts", "list", "--status", "all")) == 1
    # The same version sent again (no ack yet) is not queued twice.
    again = _send(district, oblast, tmp_path, "p3")
    assert again["conflicts"] == 0 and oblast.ok("conflicts", "list") == []


# Staging walked row by row, and with its indexes set aside and built again before the
# matching (storage/bulk_indexes: both packages here stage at least as many persons as it holds).
@pytest.mark.parametrize("bulk_min", [10**9, 1], ids=["indexes-walked", "indexes-rebuilt"])
def test_oblast_stages_persons_and_queues_suspected_duplicates(pair, tmp_path, capsys, monkeypatch, bulk_min):
    monkeypatch.setattr(bulk_indexes, "BULK_MIN", bulk_min)
    district, oblast = pair
    other = setup_office(tmp_path, "ALM-TLG", capsys)
    trust_each_other(other, oblast, tmp_path)
    add_case(district, tmp_path, 1)
    # The same family registered again in Talgar: the head under another IIN (two IINs: two
    # people, no match), the spouse with the same IIN, the children without IINs. Expected: an
    # IIN match (spouse) and folded-name + birth-date matches (children).
    first, doc = case_doc(1), case_doc(7)
    doc["kind"] = "intra_oblast"
    doc["applicant"]["surname"] = "Kurmangazy"
    doc["family"][0]["iin"] = first["family"][0]["iin"]
    for m in doc["family"][1:]:
        m["iin"] = None
    f = tmp_path / "tlg.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    other.ok("case", "add", "--file", str(f), "--confirm")
    _send(district, oblast, tmp_path, "k1")
    res = _send(other, oblast, tmp_path, "t1")
    assert res["counts"].get("duplicates_suspected", 0) >= 2
    dups = oblast.ok("duplicates", "list")
    kinds = {d["match"] for d in dups}
    assert kinds == {"iin", "name_birth"}
    assert all(d["person"]["owner"] != d["other"]["owner"] for d in dups)
    assert oblast.ok("duplicates", "resolve", str(dups[0]["id"]), "--as", "different")["status"] == "different"
    assert len(oblast.ok("duplicates", "list")) == len(dups) - 1
    for d in dups[1:]:
        oblast.ok("duplicates", "resolve", str(d["id"]), "--as", "same")
    con = sqlite3.connect(oblast.db)
    try:  # staging remembers the review: no person stays a suspect once its pairs are decided
        matches = dict(con.execute("SELECT match, count(*) FROM sync_staging GROUP BY match").fetchall())
    finally:
        con.close()
    assert "suspect" not in matches and matches.get("same", 0) >= 2 and "new" in matches
    offices = {r["office"] for r in oblast.ok("case", "list")}
    assert offices == {"ALM-KNV", "ALM-TLG"}  # the oblast's list shows every district


def test_reference_package_from_the_oblast(pair, tmp_path):
    district, oblast = pair
    data = json.loads((paths.resource("refdata", "territories.json")).read_text(encoding="utf-8"))
    data["version"] = "2026.2"
    data["territories"][0]["name_ru"] = "Абайская область (2026.2)"
    newer = tmp_path / "territories-2026.2.json"
    newer.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert district.run("refdata", "export", "--out", str(tmp_path / "x.migreg"), "--json").code == 2  # oblast only
    out = tmp_path / "ref.migreg"
    versions = oblast.ok("refdata", "export", "--out", str(out), "--dataset", str(newer))["versions"]
    assert versions["territories"] == "2026.2" and len(versions) >= 1  # and every other shipped dataset
    dry = district.ok("import", str(out), "--dry-run")
    assert dry["status"] == "applied" and district.ok("refdata", "status")["versions"]["territories"] == "2026.1"
    res = district.ok("import", str(out))
    loaded = res["counts"]["versions"]  # and the oblast's quotas, allotments and settlement list
    assert res["status"] == "applied" and loaded["territories"] == "2026.2"
    assert set(loaded) == {"territories", "quotas", "quota_allotments", "settlement_list"}
    status = district.ok("refdata", "status")
    assert status["versions"]["territories"] == "2026.2" and status["stale"] is False
    assert district.ok("import", str(out))["status"] == "already_imported"
    flipped = tmp_path / "ref-bad.migreg"
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 1
    flipped.write_bytes(bytes(raw))
    assert district.run("import", str(flipped), "--json").json["reason_code"] == "bad_signature"


def test_reference_age_warning(engine):
    with session_scope(engine) as s:
        refdata.versions(session=s)
        since = date.fromisoformat(refpack.status(30, session=s)["since"])  # oldest dataset published
        old = refpack.status(30, session=s, today=since + timedelta(days=47))
        fresh = refpack.status(30, session=s, today=since)
    assert old["stale"] is True and old["age_days"] == 47 and fresh["stale"] is False
