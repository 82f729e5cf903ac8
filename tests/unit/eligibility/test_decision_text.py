"""The bulk encoder spells a decision's results exactly as ``results_json`` does, and the fast fact
records are the constructors' (issue 17 §4)."""

from __future__ import annotations

from migreg_desktop.eligibility.decision_text import Encoder, results_json
from migreg_desktop.rules import Decision, RuleResult, evaluate
from migreg_desktop.rules.base import fixed, msg

from . import facts as F


def test_encoder_spells_every_answer_as_results_json():
    odd = Decision((
        RuleResult("a", "ok", "plain", "Rules §2.7"),  # no params
        RuleResult("b", "fail", "{who}: «{x}»", "Правила ⚠", {"who": msg("family member {n}", n=2), "x": "Әлия \"q\"\n"}),
        RuleResult("c", "needs_check", "m", "r", {"n": 1.5, "l": [1, None, True], "d": {"kk": "Қ", "ru": "Р"}}, applies=False),
        RuleResult("d", "ok", "m", "r", None),  # type: ignore[arg-type]  # a reader may store null
        fixed("iin_valid", "ok", "IINs are valid; no other active case of this applicant", "Law"),
    ))
    decisions = [odd, odd] + [evaluate(F.facts(kind), F.params()) for kind in ("kandas", "resettler", "intra_oblast")]
    encode = Encoder()
    for d in decisions:
        assert encode(d) == results_json(d)
    encode.clear()  # after a flush the shared answers are encoded again, the same
    assert [encode(d) for d in decisions] == [results_json(d) for d in decisions]


def test_fast_person_records_are_the_constructors_records():
    from datetime import date

    from migreg_desktop.eligibility.eligibility_facts import _person
    from migreg_desktop.rules.base import PersonFacts

    row = ("870203422318", None, "2020-01-02", "jobseeker", "K-1", "2021-03-04", "1987-02-03")
    made = _person(row)
    assert made == PersonFacts(iin="870203422318", citizenship="citizen", registered_since=date(2020, 1, 2),
                               employment_status="jobseeker", kandas_certificate_no="K-1",
                               kandas_certificate_date=date(2021, 3, 4), birth_date=date(1987, 2, 3))
    assert vars(made).keys() == vars(PersonFacts()).keys() and hash(made) == hash(PersonFacts(**vars(made)))
