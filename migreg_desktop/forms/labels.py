"""Words printed on forms, in the forms catalog (context "form") so the official wording can be
corrected in resources/i18n/*/LC_MESSAGES/forms.po without touching code (wording not confirmed ⚠).

Call these inside ``i18n.use_language(lang)``: they translate into the current language.
"""

from __future__ import annotations

from ..i18n import pgettext


def kind_label(code: str) -> str:
    return {
        "kandas": pgettext("form", "kandas"),
        "resettler": pgettext("form", "resettler"),
        "intra_oblast": pgettext("form", "intra-oblast resettlement"),
    }.get(code, code)


def status_label(code: str) -> str:
    return {
        "draft": pgettext("form", "draft"),
        "submitted": pgettext("form", "submitted"),
        "forwarded": pgettext("form", "forwarded to the oblast"),
        "included": pgettext("form", "included in the quota"),
        "refused": pgettext("form", "refused"),
        "moved": pgettext("form", "moved"),
        "closed": pgettext("form", "closed"),
        "withdrawn": pgettext("form", "withdrawn"),
    }.get(code, code)


def relation_label(code: str | None) -> str:
    return {
        "spouse": pgettext("form", "spouse"),
        "child": pgettext("form", "child"),
        "parent": pgettext("form", "parent"),
        "sibling": pgettext("form", "brother or sister"),
        "grandchild": pgettext("form", "grandchild"),
        "grandparent": pgettext("form", "grandparent"),
        "other": pgettext("form", "other relative"),
    }.get(code or "", code or "")


def document_label(code: str | None) -> str:
    return {
        "identity_card": pgettext("form", "identity card"),
        "passport": pgettext("form", "passport"),
        "foreign_passport": pgettext("form", "passport of a foreign state"),
        "kandas_certificate": pgettext("form", "kandas certificate"),
        "birth_certificate": pgettext("form", "birth certificate"),
        "marriage_certificate": pgettext("form", "marriage certificate"),
        "address_certificate": pgettext("form", "certificate of permanent registration"),
        "application": pgettext("form", "application"),
        "job_offer": pgettext("form", "job offer from an employer"),
        "business_plan": pgettext("form", "business plan"),
        "jobseeker_certificate": pgettext("form", "certificate of jobseeker registration"),
        "consent": pgettext("form", "consent to the processing of personal data"),
    }.get(code or "", (code or "").replace("_", " "))


def citizenship_label(code: str | None) -> str:
    return {
        "citizen": pgettext("form", "citizen of the Republic of Kazakhstan"),
        "kandas": pgettext("form", "kandas"),
        "foreigner": pgettext("form", "foreign citizen"),
        "stateless": pgettext("form", "stateless person"),
    }.get(code or "", code or "")


def employment_label(code: str | None) -> str:
    return {
        "employed": pgettext("form", "employed"),
        "jobseeker": pgettext("form", "jobseeker"),
        "unemployed": pgettext("form", "unemployed"),
        "self_employed": pgettext("form", "self-employed"),
        "student": pgettext("form", "student"),
        "pensioner": pgettext("form", "pensioner"),
        "other": pgettext("form", "other"),
    }.get(code or "", code or "")


def channel_label(code: str | None) -> str:
    return {
        "in_person": pgettext("form", "in person at the career centre"),
        "egov": pgettext("form", "e-government portal (egov.kz)"),
        "labour_exchange": pgettext("form", "Electronic Labour Exchange"),
        "con": pgettext("form", "State Corporation (PSC)"),
    }.get(code or "", code or "")


def housing_label(code: str | None) -> str:
    return {
        "state_fund": pgettext("form", "housing from the state fund"),
        "rent": pgettext("form", "rented housing"),
        "own": pgettext("form", "own housing"),
        "relatives": pgettext("form", "living with relatives"),
        "none": pgettext("form", "no housing yet"),
    }.get(code or "", code or "")


def sex_label(code: str | None) -> str:
    return {"M": pgettext("form", "male"), "F": pgettext("form", "female")}.get(code or "", code or "")


def yes_no(value: bool) -> str:
    return pgettext("form", "yes") if value else pgettext("form", "no")
