"""The bulk check's fast paths give exactly the slow paths' answers (issue 17 §4): a batch judging
a part's cases rule by rule (``Batch.evaluate_many``) and a case's IINs checked in one pass
(``iin.all_plainly_valid``)."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from typing import Any

from migreg_desktop.rules import evaluate, iin
from migreg_desktop.rules.base import CaseFacts, Params
from migreg_desktop.rules.engine import Batch

from . import facts as F
from .test_batch_check import _people_facts, _varied_facts


def _by_year(made: list[tuple[CaseFacts, Params]]) -> tuple[list[CaseFacts], dict[int, Params]]:
    """The facts spread over three quota years, each year judged under its own Params (the
    designated regions differ), in a shuffled order: kinds and years mixed in one part."""
    rng = random.Random(13)
    base = F.params()
    years = {2025: dataclasses.replace(base, year=2025, designated={k: frozenset() for k in base.designated}),
             2026: base, 2027: dataclasses.replace(base, year=2027, values={**base.values, "min_applicant_age": 21})}
    cases = [dataclasses.replace(f, quota_year=rng.choice(sorted(years))) for f, _p in made]
    rng.shuffle(cases)
    return cases, years


def test_evaluate_many_gives_each_case_what_evaluate_gives(demo):
    cases, years = _by_year(_people_facts(seed=5) + _varied_facts(demo))
    judge = Batch()
    many = judge.evaluate_many(cases, years.__getitem__)
    assert many == [evaluate(f, years[f.quota_year]) for f in cases]  # in the order given
    assert [d.verdict for d in many] == [evaluate(f, years[f.quota_year]).verdict for f in cases]
    assert {f.kind for f in cases} == {"kandas", "resettler", "intra_oblast"} and len({d.verdict for d in many}) == 3
    again = judge.evaluate_many(cases[::-1], years.__getitem__)  # answers from the memo: the same objects
    assert all(a.results == b.results and all(x is y for x, y in zip(a.results, b.results, strict=True))
               for a, b in zip(again, many[::-1], strict=True))
    # one by one through the same memo, as the one-case path judges
    assert [judge.evaluate(f, years[f.quota_year]) for f in cases] == many


def test_evaluate_many_of_nothing_and_of_one():
    judge = Batch()
    one = F.facts("intra_oblast")
    assert judge.evaluate_many([], F.params) == []
    assert judge.evaluate_many([one], lambda _year: F.params()) == [evaluate(one, F.params())]


def _iins(rng: random.Random) -> list[Any]:
    made = [iin.make(date(rng.randint(1850, 2030), rng.randint(1, 12), rng.randint(1, 28)), rng.choice("MF"),
                     rng.randint(0, 9999)) for _ in range(400)]
    made += ["".join(rng.choice("0123456789") for _ in range(12)) for _ in range(100)]
    return made + ["870203022318", "8702034223１8", "87020342231", "8702 03422318", "", None, "abcdefghijkl",
                   "8702034223188"]


def test_a_case_s_iins_are_plainly_valid_together_exactly_when_each_is_alone():
    rng = random.Random(17)
    pool = _iins(rng)
    together = 0
    for today in (date.today(), date(2000, 1, 1)):
        for size in range(5):
            for _ in range(300):
                people = tuple(rng.choice(pool) for _ in range(size))
                alone = [iin.check(p or "", today) for p in people]
                want = all(c.valid and not c.warnings and p == c.iin for p, c in zip(people, alone, strict=True))
                assert iin.all_plainly_valid(people, today) == want, people
                assert iin.all_plainly_valid(people, today) == all(iin.plainly_valid(p, today) for p in people)
                together += want and size > 1
    assert together > 100  # both answers were compared for whole families many times


def test_a_worker_process_starts_without_sqlmodel():
    """A worker (spawn) imports bulk_check for its job: without SQLModel, SQLAlchemy and the table
    classes (about a second of a 100,000-case re-check's worker, issue 17 §4)."""
    import subprocess
    import sys

    heavy = ("sqlmodel", "sqlalchemy", "migreg_desktop.models")
    found = subprocess.run(
        [sys.executable, "-c", "import sys, migreg_desktop.eligibility.bulk_check as b; "
         "assert callable(b.judge_job) and callable(b.setup); "
         f"print(','.join(m for m in {heavy!r} if m in sys.modules))"],
        capture_output=True, text=True, check=True)
    assert found.stdout.strip() == ""


def test_latest_decisions_read_what_the_plain_join_reads(demo):
    """changed_only.latest_decisions looks a decision row up by a key that is NULL where its
    digest and versions suffice: the same rows as the plain join, for every mix of digest,
    versions and confirmation."""
    from sqlalchemy import text

    from migreg_desktop.eligibility import changed_only, eligibility
    from migreg_desktop.ids import to_db

    from ...conftest import work_session

    with work_session(demo) as s:
        eligibility.check_many(session=s)
    with demo.begin() as con:
        con.execute(text("DELETE FROM eligibility_digest WHERE decision_id % 5 = 0"))  # stored before 0830
        con.execute(text("UPDATE eligibility_digest SET versions = NULL WHERE decision_id % 5 = 1"))
        con.execute(text("UPDATE eligibility_digest SET case_version = NULL WHERE decision_id % 5 = 2"))
        con.execute(text("INSERT INTO eligibility_confirmed (case_id, decision_id, case_version, rules_version, "
                         "reference_version, checked_at) SELECT case_id, id, case_version + 1, 'r', 'x', checked_at "
                         "FROM eligibility_decision WHERE id % 3 = 0"))
    plain = changed_only._LATEST_SQL.format(where="").replace(
        "d.id = CASE WHEN g.case_version IS NULL OR v.id IS NULL THEN m.id END",
        "d.id = m.id AND (g.case_version IS NULL OR v.id IS NULL)")
    assert plain != changed_only._LATEST_SQL.format(where="")
    with work_session(demo) as s:
        con = s.connection().connection.driver_connection
        want = {r[0]: r[1:] for r in con.execute(plain).fetchall()}
        got = changed_only.latest_decisions(s)
    assert {to_db(k): v for k, v in got.items()} == want
    read = [v for v in want.values() if v[1] is not None]  # the decision row was read for these …
    assert len(want) >= 300 and len(read) >= 60 and len(want) - len(read) >= 100  # … and not for these
