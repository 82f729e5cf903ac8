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
