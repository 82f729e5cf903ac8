"""Words printed on forms, in the forms catalog (context "form") so the official wording can be
corrected in resources/i18n/*/LC_MESSAGES/forms.po without touching code (wording not confirmed ⚠).

Each takes the translator of the form's language (``i18n.translator(lang)``), never the window's.
"""

from __future__ import annotations

from migreg_desktop.i18n import Translator


def kind_label(code: str, t: Translator) -> str:
    return {
        "kandas": t.pgettext("form", "kandas"),
        "resettler": t.pgettext("form", "resettler"),
        "intra_oblast": t.pgettext("form", "intra-oblast resettlement"),
    }.get(code, code)


def status_label(code: str, t: Translator) -> str:
    return {
        "draft": t.pgettext("form", "draft"),
        "submitted": t.pgettext("form", "submitted"),
        "forwarded": t.pgettext("form", "forwarded to the oblast"),
        "included": t.pgettext("form", "included in the quota"),
        "refused": t.pgettext("form", "refused"),
        "moved": t.pgettext("form", "moved"),
        "closed": t.pgettext("form", "closed"),
        "withdrawn": t.pgettext("form", "withdrawn"),
    }.get(code, code)


def relation_label(code: str | None, t: Translator) -> str:
    return {
        "spouse": t.pgettext("form", "spouse"),
        "child": t.pgettext("form", "child"),
        "parent": t.pgettext("form", "parent"),
        "sibling": t.pgettext("form", "brother or sister"),
        "grandchild": t.pgettext("form", "grandchild"),
        "grandparent": t.pgettext("form", "grandparent"),
        "other": t.pgettext("form", "other relative"),
    }.get(code or "", code or "")


def document_label(code: str | None, t: Translator) -> str:
    return {
        "identity_card": t.pgettext("form", "identity card"),
        "passport": t.pgettext("form", "passport"),
        "foreign_passport": t.pgettext("form", "passport of a foreign state"),
        "kandas_certificate": t.pgettext("form", "kandas certificate"),
        "birth_certificate": t.pgettext("form", "birth certificate"),
        "marriage_certificate": t.pgettext("form", "marriage certificate"),
        "address_certificate": t.pgettext("form", "certificate of permanent registration"),
        "application": t.pgettext("form", "application"),
        "job_offer": t.pgettext("form", "job offer from an employer"),
        "business_plan": t.pgettext("form", "business plan"),
        "jobseeker_certificate": t.pgettext("form", "certificate of jobseeker registration"),
        "consent": t.pgettext("form", "consent to the processing of personal data"),
    }.get(code or "", (code or "").replace("_", " "))


def citizenship_label(code: str | None, t: Translator) -> str:
    return {
        "citizen": t.pgettext("form", "citizen of the Republic of Kazakhstan"),
        "kandas": t.pgettext("form", "kandas"),
        "foreigner": t.pgettext("form", "foreign citizen"),
        "stateless": t.pgettext("form", "stateless person"),
    }.get(code or "", code or "")


def employment_label(code: str | None, t: Translator) -> str:
    return {
        "employed": t.pgettext("form", "employed"),
        "jobseeker": t.pgettext("form", "jobseeker"),
        "unemployed": t.pgettext("form", "unemployed"),
        "self_employed": t.pgettext("form", "self-employed"),
        "student": t.pgettext("form", "student"),
        "pensioner": t.pgettext("form", "pensioner"),
        "other": t.pgettext("form", "other"),
    }.get(code or "", code or "")


def channel_label(code: str | None, t: Translator) -> str:
    return {
        "in_person": t.pgettext("form", "in person at the career centre"),
        "egov": t.pgettext("form", "e-government portal (egov.kz)"),
        "labour_exchange": t.pgettext("form", "Electronic Labour Exchange"),
        "con": t.pgettext("form", "State Corporation (PSC)"),
    }.get(code or "", code or "")


def housing_label(code: str | None, t: Translator) -> str:
    return {
        "state_fund": t.pgettext("form", "housing from the state fund"),
        "rent": t.pgettext("form", "rented housing"),
        "own": t.pgettext("form", "own housing"),
        "relatives": t.pgettext("form", "living with relatives"),
        "none": t.pgettext("form", "no housing yet"),
    }.get(code or "", code or "")


def sex_label(code: str | None, t: Translator) -> str:
    return {"M": t.pgettext("form", "male"), "F": t.pgettext("form", "female")}.get(code or "", code or "")


def yes_no(value: bool, t: Translator) -> str:
    return t.pgettext("form", "yes") if value else t.pgettext("form", "no")
