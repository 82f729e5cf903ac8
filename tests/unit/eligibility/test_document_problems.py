"""The refusal receipt's list (⚠ 2026 voluntary resettlement rules): every missing or expired paper
at once, where rule documents_valid stops at the first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from migreg_desktop.rules.base import DocumentFacts
from migreg_desktop.rules.person import document_problems

from .facts import facts, params

A = date(2026, 3, 2)
ID_OK = DocumentFacts("identity_card", date(2021, 5, 14), date(2031, 5, 13))
ADDRESS = DocumentFacts("address_certificate", date(2026, 3, 1))


def _problems(f):  # noqa: ANN001, ANN202
    return [(p["doc_type"], p["problem"], p["expired_on"]) for p in document_problems(f, params(2026))]


def test_complete_and_valid_papers_have_no_problem():
    assert _problems(replace(facts("resettler"), documents=(ID_OK, ADDRESS))) == []


def test_expired_identity_and_missing_certificate_are_both_listed():
    expired = replace(ID_OK, expires_on=date(2026, 3, 1))  # the day before the application
    assert _problems(replace(facts("resettler"), documents=(expired,))) == [
        ("identity_card", "expired", date(2026, 3, 1)), ("address_certificate", "missing", None)]


def test_no_identity_document_and_expired_kandas_certificate():
    old = DocumentFacts("kandas_certificate", date(2024, 1, 1), date(2025, 1, 1))
    member = replace(ID_OK, applicant=False)  # a family member's card does not identify the applicant
    assert _problems(replace(facts("kandas"), documents=(member, old))) == [
        ("identity", "missing", None), ("kandas_certificate", "expired", date(2025, 1, 1))]


def test_an_undated_identity_document_is_not_a_ground_for_refusal():
    undated = DocumentFacts("passport")  # "to be checked" by documents_valid, not refused
    assert _problems(replace(facts("resettler"), documents=(undated, ADDRESS))) == []


def test_identity_expiry_reckoned_from_the_issue_date():
    issued = DocumentFacts("identity_card", issued_on=date(2015, 1, 10))  # 10 years ⚠: ended 2025-01-10
    assert _problems(replace(facts("resettler"), documents=(issued, ADDRESS))) == [
        ("identity_card", "expired", date(2025, 1, 10))]
