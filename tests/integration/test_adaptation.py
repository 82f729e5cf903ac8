"""Adaptation and training of kandases (issue 16 §5, Rules §9–10): `adaptation add|list|remove`
on a kandas case only, audited; monitoring's ``adaptation`` rows by office, measure, age group
(youth 14–34 apart) and outcome, and its sheet in the workbook."""

from __future__ import annotations

from datetime import date

import pytest

from migreg_desktop.storage.db import session_scope
from tests.conftest import example_case


def _iin(born: date, sex: str, serial: int) -> str:
    from migreg_desktop.rules.iin import make

    while not (iin := make(born, sex, serial)):
        serial += 1
    return iin


@pytest.fixture
def oblast(data_dir):  # noqa: ANN001, ANN201
    """The oblast's database with a kandas case of ALM-TLG (applicant 1978, spouse 1980, a son
    born 2005) and a resettler case; returns their numbers and the son's IIN."""
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.refdata.setup import init_database

    engine, _ = init_database("ALM-OBL")
    son = _iin(date(2005, 4, 2), "M", 700)
    out = {"son": son}
    with session_scope(engine, actor="tester") as session:
        data = example_case("kandas")
        data["family"].append({"iin": son, "surname": "Оралбаев", "name": "Ерлан", "birth_date": "2005-04-02",
                               "sex": "M", "citizenship": "kandas", "relation": "child",
                               "kandas_certificate_no": "KD-2025-004514", "kandas_certificate_date": "2025-09-01"})
        case = register_case(data, session=session, confirm_warnings=True)
        case.office_code = "ALM-TLG"
        session.add(case)
        out["kandas"] = case.number
        out["resettler"] = register_case(example_case("resettler"), session=session, confirm_warnings=True).number
    engine.dispose()
    return out


def test_add_list_remove(cli, oblast):
    case = oblast["kandas"]
    result = cli("adaptation", "add", case, "--kind", "language_course", "--from", "2026-02-01", "--to",
                 "2026-05-31", "--outcome", "completed", "--json")
    assert result.code == 0, result.err
    first = result.json
    assert first["case"] == case and first["applicant"] and first["kind"] == "language_course"
    result = cli("adaptation", "add", case, "--kind", "vocational_training", "--from", "2026-03-01",
                 "--person", oblast["son"], "--json")
    assert result.code == 0 and result.json["outcome"] == "ongoing" and not result.json["applicant"]
    rows = cli("adaptation", "list", case, "--json").json
    assert [r["kind"] for r in rows] == ["language_course", "vocational_training"]
    assert rows[1]["person_iin"] == oblast["son"]
    assert cli("adaptation", "remove", case, first["id"], "--json").code == 0
    assert [r["kind"] for r in cli("adaptation", "list", case, "--json").json] == ["vocational_training"]
    assert cli("adaptation", "remove", case, first["id"]).code == 2  # gone

    from sqlmodel import select

    from migreg_desktop.models import AuditEntry
    from migreg_desktop.refdata.setup import open_existing

    engine = open_existing()
    with session_scope(engine, actor="t") as session:
        actions = [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.entity == "adaptation_measure"))]
    engine.dispose()
    assert sorted(actions) == ["create", "create", "delete"]


def test_only_kandas_cases(cli, oblast):
    result = cli("adaptation", "add", oblast["resettler"], "--kind", "job_placement", "--from", "2026-02-01", "--json")
    assert result.code == 1 and "§9" in result.json["error"]["message"]


@pytest.mark.parametrize("args", [
    ("--kind", "job_placement", "--from", "2026-13-01"),
    ("--kind", "job_placement", "--from", "2026-03-01", "--to", "2026-02-01"),
    ("--kind", "job_placement", "--from", "2099-03-01"),
    ("--kind", "juggling", "--from", "2026-03-01"),
    ("--kind", "job_placement", "--from", "2026-03-01", "--person", "000000000000"),
])
def test_bad_input(cli, oblast, args):
    assert cli("adaptation", "add", oblast["kandas"], *args, "--json").code == 2
    assert cli("adaptation", "list", oblast["kandas"], "--json").json == []


def test_monitoring_counts_by_office_age_group_and_outcome(cli, oblast, tmp_path):
    case = oblast["kandas"]
    for args in (("--kind", "language_course", "--from", "2026-02-01", "--outcome", "completed"),
                 ("--kind", "job_placement", "--from", "2026-06-01", "--outcome", "employed"),
                 ("--kind", "language_course", "--from", "2026-02-01", "--outcome", "completed",
                  "--person", oblast["son"])):
        assert cli("adaptation", "add", case, *args).code == 0
    doc = cli("monitoring", "--year", "2026", "--json").json
    rows = doc["adaptation"]
    assert {"office": "ALM-TLG", "kind": "language_course", "age_group": "youth_14_34", "outcome": "completed",
            "measures": 1, "persons": 1} in rows
    assert {"office": "ALM-TLG", "kind": "language_course", "age_group": "35_plus", "outcome": "completed",
            "measures": 1, "persons": 1} in rows
    assert sum(r["measures"] for r in rows) == 3
    period = cli("monitoring", "--year", "2026", "--from", "2026-05-01", "--json").json["adaptation"]
    assert [r["kind"] for r in period] == ["job_placement"]
    assert cli("monitoring", "--year", "2025", "--json").json["adaptation"] == []

    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    assert cli("monitoring", "--year", "2026", "--xlsx", str(out), lang="ru").code == 0
    ws = load_workbook(out)["Адаптация"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "молодёжь 14–34" in values and "языковые курсы" in values


def test_a_district_is_refused(cli):
    assert cli("init", "--office", "ALM-KNV").code == 0
    result = cli("adaptation", "list", "ALM-KNV-2026-000001", "--json")
    assert result.code == 1 and "ALM-OBL" in result.json["error"]["message"]
