"""Whose paper it is (``DocumentFacts.applicant``: no person, or the case's applicant) is told in
Python from the case rows, not by joining every paper to its case (issue 17 §4): the same answer as
that join, for the applicant's papers, a family member's, papers of nobody in particular, in the
bulk read and the read of some cases."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import text

from migreg_desktop.eligibility.eligibility_facts import FactSource

from ...conftest import work_session

_JOINED = ("SELECT id_text(d.case_id), d.doc_type, d.issued_on, d.expires_on, "
           "(d.person_id IS NULL OR d.person_id = c.applicant_id) FROM document d JOIN cases c ON c.id = d.case_id")


def _papers(facts: Any) -> Counter[tuple[Any, ...]]:
    return Counter((f.case_id, d.doc_type, d.issued_on and d.issued_on.isoformat(),
                    d.expires_on and d.expires_on.isoformat(), d.applicant) for f in facts for d in f.documents)


def test_whose_paper_is_the_joins_answer(demo):
    with demo.begin() as con:
        con.execute(text("UPDATE document SET person_id = NULL WHERE rowid % 5 = 0"))
        con.execute(text("UPDATE document SET person_id = (SELECT fm.person_id FROM family_member fm "
                         "WHERE fm.case_id = document.case_id LIMIT 1) WHERE rowid % 5 = 1 "
                         "AND EXISTS (SELECT 1 FROM family_member fm WHERE fm.case_id = document.case_id)"))
        con.execute(text("UPDATE document SET person_id = (SELECT applicant_id FROM cases c "
                         "WHERE c.id = document.case_id) WHERE rowid % 5 = 2"))
        joined = Counter(tuple(r) for r in con.execute(text(_JOINED)).all())
    assert {r[-1] for r in joined} == {0, 1}  # papers of both sides
    with work_session(demo) as s:
        every = _papers(f for f, _v in FactSource(s).facts())
        some = sorted({r[0] for r in joined})[::3]
        chosen = _papers(f for f, _v in FactSource(s).facts(some))
    assert every == joined
    assert chosen == Counter({k: n for k, n in joined.items() if k[0] in set(some)})
