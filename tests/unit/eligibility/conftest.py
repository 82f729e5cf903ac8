from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from migreg_desktop.cases import cases
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.eligibility import quotas

from ...conftest import example_case, work_session


@pytest.fixture
def add_case(work):  # noqa: ANN001, ANN201
    """Register an example case (optionally changed) through the unit of work (so it is checked)."""
    def add(kind: str = "resettler", **changes):  # noqa: ANN003, ANN202
        data = example_case(kind)
        applicant = changes.pop("applicant", None)
        if applicant:
            data["applicant"].update(applicant)
        data.update(changes)
        with work.session() as s:
            return cases.register_case(data, session=s, confirm_warnings=True).id
    return add


# Each line makes some demo cases break one rule in its own way (the demo data is too tidy).
_VARIETY = (
    # a wrong check digit, no IIN, a century-0 IIN (warning only) for applicants and family members
    "UPDATE person SET iin = substr(iin, 1, 11) || ((CAST(substr(iin, 12, 1) AS INTEGER) + 1) % 10) "
    "WHERE id IN (SELECT applicant_id FROM cases ORDER BY number LIMIT 6)",
    "UPDATE person SET iin = NULL WHERE id IN (SELECT person_id FROM family_member ORDER BY id LIMIT 5)",
    "UPDATE person SET iin = '870203022318' WHERE id IN (SELECT person_id FROM family_member ORDER BY id DESC LIMIT 1)",
    # the same applicant IIN in two active cases of one kind
    "UPDATE cases SET applicant_iin = (SELECT c2.applicant_iin FROM cases c2 WHERE c2.kind = cases.kind "
    "AND c2.id <> cases.id AND c2.status NOT IN ('refused', 'closed', 'withdrawn') ORDER BY c2.number LIMIT 1) "
    "WHERE id IN (SELECT id FROM cases WHERE status NOT IN ('refused', 'closed', 'withdrawn') ORDER BY number DESC LIMIT 8)",
    # a withdrawn case whose applicant has an active case of the same kind (the only active one)
    "UPDATE cases SET status = 'withdrawn', applicant_iin = (SELECT c2.applicant_iin FROM cases c2 "
    "WHERE c2.kind = cases.kind AND c2.status NOT IN ('refused', 'closed', 'withdrawn') AND c2.applicant_iin IS NOT NULL "
    "ORDER BY c2.number LIMIT 1 OFFSET 40) WHERE id IN (SELECT id FROM cases ORDER BY number LIMIT 2 OFFSET 170)",
    "UPDATE person SET iin = (SELECT c.applicant_iin FROM cases c WHERE c.applicant_id = person.id) "
    "WHERE id IN (SELECT applicant_id FROM cases ORDER BY number LIMIT 2 OFFSET 170)",
    # minors, some with a legal representative, one without the paper that makes them one
    "UPDATE person SET birth_date = '2014-05-06' WHERE id IN (SELECT applicant_id FROM cases ORDER BY number LIMIT 20 OFFSET 10)",
    "UPDATE cases SET legal_representative = 'Әлия Құрманғазы', representative_basis = "
    "CASE WHEN rowid % 2 = 0 THEN 'birth certificate' END WHERE id IN (SELECT id FROM cases ORDER BY number LIMIT 8 OFFSET 10)",
    # papers missing or expired, dates not recorded
    "DELETE FROM document WHERE case_id IN (SELECT id FROM cases ORDER BY number LIMIT 10 OFFSET 40)",
    "UPDATE document SET expires_on = '2020-01-01' WHERE case_id IN (SELECT id FROM cases ORDER BY number LIMIT 10 OFFSET 60)",
    "UPDATE person SET birth_date = NULL, registered_since = NULL, kandas_certificate_date = NULL "
    "WHERE id IN (SELECT applicant_id FROM cases ORDER BY number LIMIT 10 OFFSET 80)",
    # an earlier supported move of the same people
    "UPDATE cases SET status = 'moved' WHERE id IN (SELECT id FROM cases ORDER BY number LIMIT 10 OFFSET 100)",
    "UPDATE cases SET applicant_iin = (SELECT p.iin FROM cases c2 JOIN person p ON p.id = c2.applicant_id "
    "WHERE p.iin IS NOT NULL ORDER BY c2.number DESC LIMIT 1) "
    "WHERE id IN (SELECT id FROM cases WHERE status = 'moved' ORDER BY number LIMIT 2)",
    "UPDATE cases SET has_job_offer = 0, has_business_plan = 0, housing = NULL "
    "WHERE id IN (SELECT id FROM cases ORDER BY number LIMIT 30 OFFSET 120)",
)


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Path:
    """The varied 300-case database, made once per test process (not once per module: five modules
    read it); each test works on a copy."""
    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import init_database

    paths.set_data_dir(tmp_path_factory.mktemp("batch-demo"))
    try:
        shutil.copyfile(_template_db, paths.db_path())  # as every test's database starts (tests/conftest.py)
        engine, _ = init_database("ALM-KNV")
        generate_demo(engine, 300, seed=17)
        with engine.begin() as con:
            for sql in _VARIETY:
                con.execute(text(sql))
        with work_session(engine) as s:  # allotments, so the quota rule has room, no room and held places
            for i, q in enumerate(quotas.show(2026, session=s)["quotas"]):
                slots = min(q["limit"], q.get("reserved", 0) + i % 4)  # some just full, some with room
                quotas.allot(2026, q["region"], q["kind"], "ALM-KNV", slots, session=s)
        with engine.connect() as con:
            con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole database in one file
        engine.dispose()
        return paths.db_path()
    finally:
        paths.set_data_dir(None)


@pytest.fixture
def demo(_demo_file: Path) -> Iterator[Any]:
    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import open_existing

    paths.db_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_demo_file, paths.db_path())
    engine = open_existing()
    yield engine
    engine.dispose()
