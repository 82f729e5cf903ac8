"""Rule parameters are reference data: a newer dataset changes decisions and their version."""

from __future__ import annotations

import json

import pytest

from migreg_desktop.eligibility import eligibility
from migreg_desktop.errors import UserError
from migreg_desktop.paths import resource
from migreg_desktop.refdata import refdata
from migreg_desktop.refdata.refvalues import value
from migreg_desktop.storage.db import session_scope

from ...conftest import count_rows


def _dataset(name: str) -> dict:
    return json.loads(resource("refdata", f"{name}.json").read_text(encoding="utf-8"))


def test_shipped_values_loaded(session):
    assert value("mci", 2026, "mci", session=session) == 4325
    assert value("rule_parameters", 2026, "min_registration_years", session=session) == 1
    assert "550000000" in value("designated_regions", 2026, "resettler", session=session)
    assert "190000000" not in value("designated_regions", 2026, "kandas", session=session)


def test_newer_parameters_change_the_decision_and_its_version(engine, add_case):
    cid = add_case("resettler")  # registered since 2019
    data = _dataset("rule_parameters")
    data["version"] = "2026.4"  # the shipped file is 2026.3 since issue 14 (official texts)
    data["years"]["2026"]["min_registration_years"] = 10
    with session_scope(engine) as s:
        assert refdata.apply_dataset(data, session=s)
    with session_scope(engine) as s:
        row = eligibility.check_case(cid, session=s)
    results = {r["rule"]: r["result"] for r in json.loads(row.results)}
    assert results["resettler_registration"] == "fail"
    assert "rule_parameters=2026.4" in row.reference_version


@pytest.mark.parametrize(("name", "change"), [
    ("designated_regions", lambda d: d["years"]["2026"]["kandas"].append("191000000")),
    ("mci", lambda d: d["years"].update({"2027": -5})),
    ("rule_parameters", lambda d: d["years"]["2026"].update({"min_registration_years": -1})),
    ("support_measures", lambda d: d["years"].update({"2027": "free money"})),
    ("settlement_list", lambda d: d["entries"].append(dict(d["entries"][0]))),
    ("mci", lambda d: d["years"].update({"20x6": 4000})),
])
def test_broken_dataset_is_refused_and_nothing_changes(engine, name, change):
    data = _dataset(name)
    data["version"] = "2099.1"
    change(data)
    tables = ("reference_value", "settlement_list_entry", "refdata_version")
    before = count_rows(engine, *tables)
    with pytest.raises(UserError), session_scope(engine) as s:
        refdata.apply_dataset(data, session=s)
    assert count_rows(engine, *tables) == before
