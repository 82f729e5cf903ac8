"""The papers a case lacks or that expired before its application (⚠ 2026 voluntary resettlement
rules: incomplete or expired documents are refused at acceptance, and the applicant is given a
refusal receipt listing them: forms/refusal.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from migreg_desktop.cases.cases import get_case
from migreg_desktop.eligibility.eligibility_facts import FactSource
from migreg_desktop.rules.person import REF_DOCUMENTS, document_problems


def refused_documents(case_ref: str, *, session: Session, today: date | None = None) -> dict[str, Any]:
    """{"case", "kind", "applied_on", "problems": [{"doc_type", "problem", "expired_on"}],
    "reference"} — read with the same facts and parameters as the ``documents_valid`` rule."""
    case = get_case(case_ref, session=session)
    source = FactSource(session, today=today)
    facts, _version = next(source.facts([case.id]))
    problems = document_problems(facts, source.params(facts.quota_year))
    return {"case": case.number, "kind": case.kind, "applied_on": facts.applied_on, "problems": problems,
            "reference": REF_DOCUMENTS}
