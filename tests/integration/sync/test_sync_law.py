"""Issue 14 across offices: the oblast's ratings of economic potential travel in its reference
package and decide intra-oblast cases at the district; the kandas fields travel with the person."""

from __future__ import annotations

import json

from migreg_desktop.paths import resource
from tests.unit.sync.kit import add_case, case_doc


def _results(office, number):  # noqa: ANN001, ANN202
    doc = office.run("check", number, "--json").json
    return {r["rule"]: r["result"] for r in doc["rules"]}


def test_potential_ratings_travel_in_the_reference_package(pair, tmp_path):
    district, oblast = pair
    case = add_case(district, tmp_path, 3, "intra_oblast")  # from Нарынқол, rated low in the sample
    assert _results(district, case["number"])["intra_oblast_conditions"] == "ok"
    rated = json.loads(resource("refdata", "settlement_potential.json").read_text(encoding="utf-8"))
    rated.update(version="2026.7", sample=False, source="the oblast's assessment (test)")
    rated["years"]["2026"]["195830100"] = "medium"
    dataset = tmp_path / "potential.json"
    dataset.write_text(json.dumps(rated, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ref.migreg"
    versions = oblast.ok("refdata", "export", "--out", str(out), "--dataset", str(dataset))["versions"]
    assert versions["settlement_potential"] == "2026.7"
    assert district.ok("import", str(out))["status"] == "applied"
    assert district.ok("refdata", "status")["versions"]["settlement_potential"] == "2026.7"
    assert _results(district, case["number"])["intra_oblast_conditions"] == "fail"


def test_kandas_fields_travel_with_the_person(pair, tmp_path):
    district, oblast = pair
    doc = case_doc(4, "kandas")
    doc["applicant"].update(origin_country="Моңғолия / Монголия", former_citizenship="MN", nationality="қазақ")
    path = tmp_path / "kandas.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    case = district.ok("case", "add", "--file", str(path), "--confirm")
    shown = district.ok("case", "show", case["number"])["applicant"]
    assert (shown["origin_country"], shown["former_citizenship"], shown["nationality"]) == \
        ("Моңғолия / Монголия", "MN", "қазақ")
    package = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(package))
    assert oblast.ok("import", str(package))["status"] == "applied"
    there = oblast.ok("case", "show", case["number"])["applicant"]
    assert (there["origin_country"], there["former_citizenship"], there["nationality"]) == \
        ("Моңғолия / Монголия", "MN", "қазақ")
