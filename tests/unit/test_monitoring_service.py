"""The monitoring service's GROUP BY figures agree with a case-by-case recount on a demo oblast."""

from __future__ import annotations

from collections import Counter

import pytest

from migreg_desktop.storage.db import session_scope


@pytest.fixture
def demo_oblast(data_dir):  # noqa: ANN001, ANN201
    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.refdata.setup import init_database

    engine, _ = init_database("ALM-OBL")
    generate_demo(engine, 400, seed=7)  # the districts' cases, spread over 2024–2026
    yield engine
    engine.dispose()


def test_figures_match_a_recount(demo_oblast):
    from migreg_desktop.department import monitoring

    with session_scope(demo_oblast, actor="tester") as session:
        rows = session.connection().exec_driver_sql(
            "SELECT office_code, kind, status, family_size, destination_kato, substr(created_at, 1, 7) "
            "FROM cases WHERE quota_year = 2025").all()
        doc = monitoring.monitoring(monitoring.make_filter(2025, session=session), session=session)
    assert doc["totals"]["cases"] == len(rows) > 50
    assert doc["totals"]["persons"] == sum(r[3] for r in rows)
    assert {k: v["cases"] for k, v in doc["totals"]["by_kind"].items() if v["cases"]} == Counter(r[1] for r in rows)
    assert {k: v["cases"] for k, v in doc["totals"]["by_status"].items() if v["cases"]} == Counter(r[2] for r in rows)
    by_office = Counter(r[0] for r in rows)
    assert {o["office"]: o["cases"] for o in doc["by_office"] if o["cases"]} == by_office
    assert len(by_office) > 3  # cases of several district offices
    assert {d["kato"]: d["persons"] for d in doc["by_destination"]} == \
        {k: sum(r[3] for r in rows if r[4] == k) for k in {r[4] for r in rows}}
    assert {m["month"]: m["cases"] for m in doc["by_month"] if m["cases"]} == Counter(r[5] for r in rows)
    assert sum(m["cases"] for m in doc["by_month"]) == len(rows)


def test_a_district_database_is_refused(engine):
    from migreg_desktop.department import monitoring
    from migreg_desktop.errors import RuleRefused

    with session_scope(engine, actor="tester") as session, pytest.raises(RuleRefused):
        monitoring.require_oblast(session=session)
