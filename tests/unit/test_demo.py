from sqlalchemy import text

from migreg_desktop.cases.case_list import CaseFilter, list_cases
from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.rules import iin


def test_demo_cases_are_valid_and_searchable(engine, session):
    assert generate_demo(engine, 300, seed=7) == 300
    rows = session.execute(text("SELECT applicant_iin, family_size, number FROM cases")).all()
    assert len(rows) == 300
    assert all(iin.check(r[0]).valid for r in rows)
    assert {r[1] for r in rows} <= set(range(1, 8))
    members = session.execute(text("SELECT count(*) FROM family_member")).scalar_one()
    assert members == sum(r[1] - 1 for r in rows)
    number = rows[0][2]
    assert list_cases(CaseFilter(search=number), session=session)[0]["number"] == number
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
