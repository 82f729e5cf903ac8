"""The bulk encoder spells a decision's results exactly as ``results_json`` does, and the fast fact
records are the constructors' (issue 17 §4)."""

from __future__ import annotations

import dataclasses

import pytest

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
    # the answers keep their text: another encoder, and the same answers rebuilt, spell them alike
    assert [Encoder()(d) for d in decisions] == [results_json(d) for d in decisions]
    copies = [Decision(tuple(dataclasses.replace(r) for r in d.results)) for d in decisions]
    assert [encode(d) for d in copies] == [results_json(d) for d in decisions]
    assert [encode.digest(d) for d in copies] == [encode.digest(d) for d in decisions]


def test_fast_person_records_are_the_constructors_records():
    from datetime import date

    from migreg_desktop.eligibility.eligibility_facts import _person
    from migreg_desktop.rules.base import PersonFacts

    row = ("870203422318", None, "2020-01-02", "jobseeker", "K-1", "2021-03-04", "1987-02-03")
    made = _person(("a case id", *row), 1)  # the person's columns from the second on
    assert made == PersonFacts(iin="870203422318", citizenship="citizen", registered_since=date(2020, 1, 2),
                               employment_status="jobseeker", kandas_certificate_no="K-1",
                               kandas_certificate_date=date(2021, 3, 4), birth_date=date(1987, 2, 3))
    assert vars(made).keys() == vars(PersonFacts()).keys() and hash(made) == hash(PersonFacts(**vars(made)))


def test_the_digest_of_a_decision_is_the_one_every_earlier_version_stored():
    """Stored digests are compared with new ones (eligibility_digest, migration 0830): the digest of
    the example decisions must never change, however it is computed (issue 17 §4)."""
    encode = Encoder()
    made = {kind: evaluate(F.facts(kind), F.params()) for kind in ("kandas", "resettler", "intra_oblast")}
    want = {"kandas": -2860946691010755985, "resettler": -7827297501525995248, "intra_oblast": 8084431437765107752}
    assert {kind: encode.digest(d) for kind, d in made.items()} == want
    fresh = {kind: evaluate(F.facts(kind), F.params()) for kind in made}  # answers not encoded yet
    assert {kind: Encoder().digest(d) for kind, d in fresh.items()} == want


def test_the_fact_source_builds_the_constructors_records(demo):
    """FactSource builds its facts without the dataclass constructors (issue 17 §4): every field
    set, nothing else, equal to the records the constructors make of the same values."""
    import dataclasses

    from migreg_desktop.eligibility.eligibility_facts import FactSource
    from migreg_desktop.rules.base import CaseFacts, PersonFacts

    from ...conftest import work_session

    def rebuilt(obj):  # noqa: ANN001, ANN202
        assert vars(obj).keys() == {f.name for f in dataclasses.fields(obj)}
        return type(obj)(**vars(obj))

    with work_session(demo) as s:
        made = [f for f, _v in FactSource(s).facts()]
    assert len(made) >= 300 and sum(bool(f.family) for f in made) > 100 and sum(bool(f.documents) for f in made) > 100
    for f in made:
        assert type(f) is CaseFacts and rebuilt(f) == f and hash(rebuilt(f.applicant)) == hash(f.applicant)
        assert all(type(m) is PersonFacts and rebuilt(m) == m for m in f.family)
        assert all(rebuilt(d) == d for d in f.documents)


def test_decide_makes_the_constructors_decision():
    from migreg_desktop.rules.base import decide

    answers = [RuleResult("a", r, "m", "x") for r in ("ok", "needs_check", "fail")]
    for results in [(), tuple(answers[:1]), tuple(answers[:2]), tuple(answers), tuple(reversed(answers))]:
        made, want = decide(results), Decision(results)
        assert made == want and made.verdict == want.verdict and vars(made) == vars(want)
    assert [decide(tuple(answers[:n])).verdict for n in (1, 2, 3)] == ["eligible", "needs_check", "not_eligible"]
    assert decide((answers[1], answers[0], answers[1])).verdict == "needs_check"
    odd = (answers[0], RuleResult("b", "maybe", "m", "x"))  # a result no rule gives: refused by both
    with pytest.raises(KeyError):
        Decision(odd)
    with pytest.raises(KeyError):
        decide(odd)
