"""Reference packages carry the oblast's database: quotas, district allotments, settlement list."""

from __future__ import annotations

from tests.unit.sync.kit import add_case


def _allotment(doc, region, kind, office):
    for q in doc["quotas"]:
        if q["region"] == region and q["kind"] == kind:
            return q, next((o for o in q["offices"] if o["office"] == office), None)
    return None, None


def test_allotment_travels_to_the_district(pair, tmp_path):
    district, oblast = pair
    case = add_case(district, tmp_path, 1)
    year, region = "2026", "550000000"
    oblast.ok("quota", "set", "--year", year, "--region", region, "--kind", "resettler", "--limit", "40")
    oblast.ok("quota", "allot", "--year", year, "--region", region, "--kind", "resettler",
              "--office", "ALM-KNV", "--slots", "5")
    entries = oblast.ok("settlements", "list", "--year", year)
    out = tmp_path / "ref.migreg"
    versions = oblast.ok("refdata", "export", "--out", str(out))["versions"]
    assert {"quotas", "quota_allotments", "settlement_list"} <= set(versions)
    # Before the package the district has no allotment: it cannot reserve.
    assert district.run("quota", "reserve", case["number"], "--json").code == 2
    res = district.ok("import", str(out))
    assert res["status"] == "applied" and res["counts"]["versions"]["quota_allotments"] == versions["quota_allotments"]
    quota, mine = _allotment(district.ok("quota", "show", "--year", year), region, "resettler", "ALM-KNV")
    assert quota["limit"] == 40 and quota["source"] == "local" and mine["slots"] == 5
    status = district.ok("refdata", "status")["versions"]
    assert status["quota_allotments"] == versions["quota_allotments"]
    assert district.ok("settlements", "list", "--year", year)["count"] == entries["count"]
    reserved = district.ok("quota", "reserve", case["number"])
    assert reserved["office"] == "ALM-KNV" and reserved["slots"] == 5
    assert district.ok("import", str(out))["status"] == "already_imported"
    # A newer package with a changed allotment keeps the district's reservation.
    oblast.ok("quota", "allot", "--year", year, "--region", region, "--kind", "resettler",
              "--office", "ALM-KNV", "--slots", "7")
    out2 = tmp_path / "ref2.migreg"
    oblast.ok("refdata", "export", "--out", str(out2))
    assert district.ok("import", str(out2))["status"] == "applied"
    _, mine = _allotment(district.ok("quota", "show", "--year", year), region, "resettler", "ALM-KNV")
    assert mine["slots"] == 7 and mine["reserved"] == reserved["persons"]
    assert district.ok("refdata", "status")["versions"]["quota_allotments"].endswith(".2")


def _rows(office, sql, *args):
    import sqlite3

    from migreg_desktop import ids

    con = sqlite3.connect(office.db)
    ids.register_sql(con)  # id_db(): ids are stored as 16 bytes (issue 17 §1)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_decisions_and_ledger_travel_to_the_oblast(pair, tmp_path):
    district, oblast = pair
    case = add_case(district, tmp_path, 2)
    oblast.ok("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "resettler", "--limit", "40")
    oblast.ok("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "resettler",
              "--office", "ALM-KNV", "--slots", "5")
    ref = tmp_path / "ref.migreg"
    oblast.ok("refdata", "export", "--out", str(ref))
    district.ok("import", str(ref))
    district.run("check", case["number"], "--json")  # eligible or not, the decision is stored
    reserved = district.ok("quota", "reserve", case["number"])
    decisions = _rows(district, "SELECT uid, verdict FROM eligibility_decision WHERE case_id = id_db(?) ORDER BY uid", case["id"])
    ledger = _rows(district, "SELECT uid, entry, persons FROM quota_ledger WHERE case_id = id_db(?)", case["id"])
    assert decisions and all(d[0] for d in decisions) and ledger == [(ledger[0][0], "reserve", reserved["persons"])]

    p1 = tmp_path / "p1.migreg"
    exp = district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    assert exp["counts"]["decisions"] == len(decisions) and exp["counts"]["quota_ledger"] == 1
    res = oblast.ok("import", str(p1))
    assert res["status"] == "applied" and res["counts"]["quota_ledger"]["applied"] == 1
    assert _rows(oblast, "SELECT uid, verdict FROM eligibility_decision WHERE case_id = id_db(?) ORDER BY uid",
                 case["id"]) == decisions
    at_oblast = _rows(oblast, "SELECT l.uid, l.entry, l.persons, a.office_code FROM quota_ledger l "
                              "JOIN quota_allotment a ON a.id = l.allotment_id WHERE l.case_id = id_db(?)", case["id"])
    assert at_oblast == [(*ledger[0], "ALM-KNV")]  # counted against the oblast's own allotment row
    history = oblast.ok("check", case["number"], "--history")
    assert history  # the oblast sees the district's decisions
    _, mine = _allotment(oblast.ok("quota", "show", "--year", "2026"), "550000000", "resettler", "ALM-KNV")
    assert mine["reserved"] == reserved["persons"]
    before = oblast.dump()
    assert oblast.ok("import", str(p1))["status"] == "already_imported"
    assert oblast.dump() == before
    assert len(_rows(oblast, "SELECT uid FROM quota_ledger")) == 1
