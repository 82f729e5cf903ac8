"""A re-check compares each case's decision by its digest (eligibility_digest, migration 0830; issue
17 §4): a digest that differs stores the case's decision again, a decision without one (older, a
clerk's own check) is compared by its text and given one, a changed reference datum re-judges and
stores exactly the cases whose answer moved."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from migreg_desktop.eligibility import eligibility
from migreg_desktop.eligibility.decision_text import Encoder
from migreg_desktop.rules import evaluate

from ...conftest import work_session
from .test_batch_check import _one_case_differs, _stored


def _digests(engine: Any) -> dict[str, int]:
    """Each case's latest decision's digest (cases whose latest decision has none are left out)."""
    with engine.connect() as con:
        return dict(con.execute(text(
            "SELECT id_text(d.case_id), g.digest FROM eligibility_decision d JOIN eligibility_digest g ON g.decision_id = d.id "
            "WHERE d.id IN (SELECT max(id) FROM eligibility_decision GROUP BY case_id)")).all())


def _check_all(engine: Any) -> dict[str, int]:
    with work_session(engine) as s:
        return eligibility.check_many(session=s)


def test_every_stored_decision_has_the_digest_of_its_substance(demo):
    first = _check_all(demo)
    digests = _digests(demo)
    assert len(digests) == first["checked"] == first["changed"]
    encode = Encoder()
    with work_session(demo) as s:
        from migreg_desktop.eligibility.eligibility_facts import FactSource

        source = FactSource(s)
        for facts, _version in source.facts():  # the one-case rules, not the batch: the same digest
            assert digests[facts.case_id] == encode.digest(evaluate(facts, source.params(facts.quota_year)))
    assert len(set(digests.values())) > 100  # the cases differ, so do their digests


def test_a_digest_that_differs_stores_the_decision_again(demo):
    _check_all(demo)
    with demo.begin() as con:  # as if the stored answer had been another one
        victim = con.execute(text("SELECT id_text(case_id) FROM eligibility_decision ORDER BY case_id LIMIT 1 OFFSET 7")).scalar_one()
        con.execute(text("UPDATE eligibility_digest SET digest = digest + 1 WHERE decision_id = "
                         "(SELECT max(id) FROM eligibility_decision WHERE case_id = id_db(:c))"), {"c": victim})
    per_case, rows, _logged = _stored(demo)
    counts = _check_all(demo)
    after, rows_after, _ = _stored(demo)
    assert counts["changed"] == 1 == rows_after - rows
    assert {c for c, n in after.items() if n != per_case[c]} == {victim}


def test_decisions_without_a_digest_are_compared_by_text_and_given_one(demo):
    first = _check_all(demo)
    with demo.begin() as con:  # decisions stored before 0830; one written in an older spelling
        con.execute(text("DELETE FROM eligibility_digest"))
        older = con.execute(text("SELECT id, id_text(case_id) AS case_id, results FROM eligibility_decision ORDER BY id LIMIT 1")).one()
        con.execute(text("UPDATE eligibility_decision SET results = :r WHERE id = :i"),
                    {"r": older.results.replace('", "', '","'), "i": older.id})
    with work_session(demo) as s:  # and a clerk's own check, stored as always (no digest)
        manual = eligibility.latest(older.case_id, session=s)
        clerk_case = next(c for c in _digests_free(s) if c != older.case_id)
        eligibility.check_case(clerk_case, session=s)
    per_case, rows, _logged = _stored(demo)
    assert per_case[clerk_case] == 2 and manual is not None
    counts = _check_all(demo)
    after, rows_after, _ = _stored(demo)
    assert counts["changed"] == 1 == rows_after - rows  # only the older spelling, once
    assert {c for c, n in after.items() if n != per_case[c]} == {older.case_id}
    assert len(_digests(demo)) == first["checked"]  # every latest decision has its digest now
    assert _check_all(demo)["changed"] == 0


def test_decisions_without_a_digest_in_the_stored_form_are_compared_without_unpacking(demo, monkeypatch):
    """Imported decisions (and a clerk's own checks) come without a digest: their stored results
    are compared in the stored form, unpacked only when that differs (changed_only._same_text)."""
    from migreg_desktop.eligibility import changed_only

    _check_all(demo)
    with demo.begin() as con:
        con.execute(text("DELETE FROM eligibility_digest"))
        n = con.execute(text("SELECT count(*) FROM eligibility_decision")).scalar_one()
        row = con.execute(text("SELECT id, packed_text(results) AS results FROM eligibility_decision LIMIT 1")).one()
        con.execute(text("UPDATE eligibility_decision SET results = :r WHERE id = :i"),  # stored before 0880: as text
                    {"r": row.results, "i": row.id})
    unpacked: list[Any] = []
    unpack = changed_only.unpack
    monkeypatch.setattr(changed_only, "unpack", lambda value: unpacked.append(value) or unpack(value))
    assert _check_all(demo)["changed"] == 0  # the plain text is the same text: given its digest too
    assert unpacked == [row.results] and len(_digests(demo)) == n


def test_a_decision_written_again_in_place_loses_its_digest_and_is_compared_by_text(demo):
    _check_all(demo)
    with demo.begin() as con:  # an import upserts a decision row by its uid (sync/apply.py) with other results
        row = con.execute(text("SELECT id, id_text(case_id) AS case_id, packed_text(results) AS results "
                               "FROM eligibility_decision ORDER BY id LIMIT 1 OFFSET 3")).one()
        con.execute(text("UPDATE eligibility_decision SET results = packed_db(:r) WHERE id = :i"),
                    {"r": row.results.replace('"result": "', '"result": "x', 1), "i": row.id})
        assert con.execute(text("SELECT count(*) FROM eligibility_digest WHERE decision_id = :i"),
                           {"i": row.id}).scalar_one() == 0
        con.execute(text("UPDATE eligibility_decision SET by_user = 'other' WHERE id <> :i"), {"i": row.id})
    assert len(_digests(demo)) == len(_stored(demo)[0]) - 1  # other columns keep theirs
    per_case, rows, _logged = _stored(demo)
    counts = _check_all(demo)
    after, rows_after, _ = _stored(demo)
    assert counts["changed"] == 1 == rows_after - rows
    assert {c for c, n in after.items() if n != per_case[c]} == {row.case_id}


def _digests_free(session: Any) -> list[str]:
    return [r[0] for r in session.connection().execute(text("SELECT id_text(id) FROM cases ORDER BY number LIMIT 5"))]


def test_a_changed_rule_parameter_stores_exactly_the_cases_whose_answer_moved(demo):
    _check_all(demo)
    with demo.begin() as con:  # intra-oblast moves now need a job offer on paper: only their answers move
        con.execute(text("UPDATE reference_value SET value = json_set(value, '$.intra_oblast', json('[\"job_offer\"]')) "
                         "WHERE dataset = 'rule_parameters' AND key = 'required_documents'"))
        con.execute(text("UPDATE refdata_version SET version = version || '.k' WHERE dataset = 'rule_parameters'"))
    expected = _one_case_differs(demo)
    with demo.connect() as con:
        intra = {r[0] for r in con.execute(text("SELECT id_text(id) FROM cases WHERE kind = 'intra_oblast'"))}
    assert expected and expected <= intra  # some answers moved, no other kind's
    per_case, rows, _logged = _stored(demo)
    counts = _check_all(demo)
    after, rows_after, _ = _stored(demo)
    assert counts["changed"] == len(expected) == rows_after - rows < counts["checked"]
    assert {c for c, n in after.items() if n != per_case[c]} == expected


def _digest_versions(engine: Any) -> dict[int, tuple[Any, ...]]:
    """Each digest's versions (migration 0870) and those on its decision row, by decision id."""
    with engine.connect() as con:
        return {r[0]: (r[1:4], r[4:]) for r in con.execute(text(
            "SELECT g.decision_id, g.case_version, v.rules_version, v.reference_version, "
            "d.case_version, d.rules_version, d.reference_version "
            "FROM eligibility_digest g JOIN eligibility_decision d ON d.id = g.decision_id "
            "JOIN eligibility_versions v ON v.id = g.versions"))}


def test_each_digest_keeps_the_versions_of_its_decision(demo):
    """The re-check reads the versions next to the digest, not on the decision row (migration 0870):
    a new decision's digest and one given later to an older decision carry its row's versions."""
    first = _check_all(demo)
    kept = _digest_versions(demo)
    assert len(kept) == first["changed"] and all(mine == row for mine, row in kept.values())
    with demo.connect() as con:  # one row per pair of versions, however many decisions
        assert con.execute(text("SELECT count(*) FROM eligibility_versions")).scalar_one() == 1
    with demo.begin() as con:  # decisions stored before 0830: compared by text, given their digest
        con.execute(text("DELETE FROM eligibility_digest"))
    assert _check_all(demo)["changed"] == 0
    given = _digest_versions(demo)
    assert given.keys() == kept.keys() and all(mine == row for mine, row in given.values())


def test_a_decision_whose_versions_are_written_again_loses_its_digest(demo):
    """An import upserting a decision row with other versions drops its digest (the trigger of 0870),
    so the re-check never judges by a stale copy: it reads the row and confirms the decision."""
    _check_all(demo)
    with demo.begin() as con:
        row = con.execute(text("SELECT id, id_text(case_id) AS case_id FROM eligibility_decision "
                               "ORDER BY id LIMIT 1 OFFSET 5")).one()
        con.execute(text("UPDATE eligibility_decision SET case_version = case_version + 5 WHERE id = :i"),
                    {"i": row.id})
        assert con.execute(text("SELECT count(*) FROM eligibility_digest WHERE decision_id = :i"),
                           {"i": row.id}).scalar_one() == 0
    with work_session(demo) as s:
        assert eligibility.stale_reason(eligibility.latest(row.case_id, session=s), session=s) == "case_changed"
    per_case, rows, _logged = _stored(demo)
    assert _check_all(demo)["changed"] == 0 and _stored(demo)[1] == rows  # the same answer: confirmed
    with work_session(demo) as s:
        assert eligibility.stale_reason(eligibility.latest(row.case_id, session=s), session=s) is None
    assert _digest_versions(demo)[row.id][0] == _digest_versions(demo)[row.id][1]  # given back, with the new versions
