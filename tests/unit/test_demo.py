from sqlalchemy import text

from migreg_desktop.cases.case_list import CaseFilter, list_cases
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.rules import iin
from migreg_desktop.storage.db import session_scope


def test_demo_cases_are_valid_and_searchable(engine, session):
    assert generate_demo(engine, 300, seed=7) == 300
    rows = session.execute(text("SELECT applicant_iin, family_size, number FROM cases")).all()
    assert len(rows) == 300
    assert all(iin.check(r[0]).valid for r in rows)
    assert {r[1] for r in rows} <= set(range(1, 8))
    members = session.execute(text("SELECT count(*) FROM family_member")).scalar_one()
    assert members == sum(r[1] - 1 for r in rows)
    number = rows[0][2]
    assert list_cases(CaseFilter(search=number), db=session)[0]["number"] == number
    assert len({r[0] for r in rows}) == 300  # one active case per applicant


def test_demo_is_reproducible_in_shape(engine, session):
    generate_demo(engine, 50, seed=3)
    kinds = session.execute(text("SELECT DISTINCT kind FROM cases")).scalars().all()
    assert set(kinds) <= {"kandas", "resettler", "intra_oblast"}


def test_cancel_writes_nothing(engine, session):
    assert generate_demo(engine, 10, cancel=lambda: True) == 0
    assert session.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0


def test_demo_rows_are_in_the_exchange_change_log(engine, session):
    """Triggers are suppressed for the bulk insert; the log is written set-based instead."""
    generate_demo(engine, 40, seed=11)
    logged = dict(session.execute(text("SELECT record_type, count(*) FROM sync_change_view GROUP BY 1")).all())
    assert logged["cases"] == 40
    assert logged["persons"] == session.execute(text("SELECT count(*) FROM person")).scalar_one()
    assert session.execute(text("SELECT count(*) FROM sync_suppress")).scalar_one() == 0


def test_demo_patronymics_are_real_words(engine, session):
    import re

    generate_demo(engine, 300, seed=11)
    rows = session.execute(text("SELECT patronymic, sex FROM person")).all()
    ok = re.compile(r"^\w+(ұлы|қызы|ович|евич|евна|овна)$")
    assert all(ok.match(p) for p, _sex in rows), [p for p, _s in rows if not ok.match(p)][:5]
    assert all(p.endswith(("ұлы", "ич")) == (sex == "M") for p, sex in rows)


def test_included_moved_and_closed_demo_cases_hold_their_quota_places(engine, session):
    """Issue 15: the Quotas page showed 0 % for ~370 included demo cases: the demo wrote no ledger."""
    from migreg_desktop.eligibility import quotas

    with session_scope(engine, actor="oblast") as s:  # a small allotment the demo must respect
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 2, session=s)
    generate_demo(engine, 1500, seed=5)
    held = dict(session.execute(text(
        "SELECT c.status, count(DISTINCT l.case_id) FROM cases c JOIN quota_ledger l ON l.case_id = c.id "
        "GROUP BY c.status")).all())
    placed = dict(session.execute(text(
        "SELECT status, count(*) FROM cases WHERE status IN ('included', 'moved', 'closed') GROUP BY 1")).all())
    assert held == placed and sum(placed.values()) > 50  # each of them, and nobody else
    assert quotas.ledger_problems(session=session) == []  # no allotment over-reserved
    doc = quotas.show(2026, session=session)
    pavlodar = next(q for q in doc["quotas"] if q["region"] == "550000000" and q["kind"] == "resettler")
    assert pavlodar["offices"][0]["slots"] == 2 and pavlodar["offices"][0]["reserved"] <= 2
    assert sum(q["reserved"] for q in doc["quotas"]) > 0
    counted = session.execute(text(
        "SELECT count(*) FROM quota_ledger l JOIN cases c ON c.id = l.case_id JOIN quota_allotment a "
        "ON a.id = l.allotment_id JOIN regional_quota q ON q.id = a.quota_id "
        "WHERE l.persons != CASE q.counting WHEN 'family' THEN c.family_size ELSE 1 END "
        "OR q.year != c.quota_year OR a.office_code != c.office_code")).scalar_one()
    assert counted == 0  # the place counts what the quota counts, in the case's year and office
