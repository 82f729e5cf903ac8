"""Who moves: IIN, kandas status, resettler's registration."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Any

from migreg_desktop.i18n import N_
from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.rules.base import (
    FAIL,
    NEEDS_CHECK,
    OK,
    CaseFacts,
    DocumentFacts,
    Params,
    RuleResult,
    add_months,
    add_years,
    fixed,
    msg,
    not_applicable,
    short_date,
)

# Issue 14 §10: IINs are governed by the law on identification numbers (Law No. 223-III of
# 12 January 2007 on national registers of identification numbers); Decree No. 1427 (1 December
# 2011, registration of internal migrants, cited in Rules §12) governs registration, so it is cited
# where the registration at the origin is checked.
REF_IIN = N_("Law on national registers of identification numbers")
REF_KANDAS = N_("Rules §2.2, §2.12")
REF_RESETTLER = N_("Rules §12; Gov decree No. 1427 (registration of internal migrants); Social Code ⚠")
REF_DOCUMENTS = N_("voluntary resettlement rules: complete documents, not expired ⚠")
REF_AGE = N_("Civil Code art. 17 (full capacity at 18) ⚠")
CITIZENSHIP = {"citizen": N_("citizen"), "kandas": N_("kandas"), "foreigner": N_("foreigner"),
               "stateless": N_("stateless person")}


def iin_valid(f: CaseFacts, p: Params) -> RuleResult:
    """Law on identification numbers: every IIN valid; the applicant's unique among active cases of this kind."""
    return iin_answer(*iin_valid_key(f, p))


def iin_valid_key(f: CaseFacts, p: Params) -> tuple[Any, ...]:
    """All ``iin_valid``'s answer depends on (its memo key in rules/engine.Batch, issue 17 §4):
    nothing of the people when every IIN is plainly valid and the applicant's is in no other
    active case, so most cases share one answer; else the IINs, the first duplicate and the day
    ``iin_rules.check`` compares birth dates with."""
    applicant = f.applicant.iin
    if not applicant:
        return None, (), None, None
    duplicate = f.duplicates[0] if f.duplicates else None
    today, people = iin_rules.today(), (applicant, *map(_IIN, f.family))
    if iin_rules.all_plainly_valid(people, today):
        return (True, (), None, None) if duplicate is None else (applicant, (), None, duplicate)
    return applicant, people, today, duplicate


_IIN = attrgetter("iin")


def iin_answer(applicant: Any, people: tuple[str | None, ...], today: date | None, duplicate: str | None) -> RuleResult:
    """``iin_valid`` from its key: ``people`` (applicant first) are the IINs to look at one by one."""
    rule = "iin_valid"
    if not applicant:
        return fixed(rule, FAIL, N_("the applicant has no IIN"), REF_IIN)
    worst: tuple[str, str, dict[str, Any]] | None = None
    for n, iin in enumerate(people):
        problem = _one_iin(N_("family member {n}") if n else N_("applicant"), n, iin, today)
        if problem and (worst is None or (problem[0] == FAIL and worst[0] != FAIL)):
            worst = problem
    if worst is not None:
        return RuleResult(rule, worst[0], worst[1], REF_IIN, worst[2])
    if duplicate is not None:
        return RuleResult(rule, FAIL, N_("IIN {iin}: already the applicant of active case {number}"),
                          REF_IIN, {"iin": applicant, "number": duplicate})
    return fixed(rule, OK, N_("IINs are valid; no other active case of this applicant"), REF_IIN)


def _one_iin(who: str, n: int, iin: str | None, today: date | None) -> tuple[str, str, dict[str, Any]] | None:
    person = msg(who, n=n)
    if not iin:
        return NEEDS_CHECK, N_("{who}: no IIN recorded"), {"who": person}
    check = iin_rules.check(iin, today)
    if not check.valid:
        msgid, params = check.errors[0]
        return FAIL, N_("{who}: IIN {iin}: {error}"), {"who": person, "iin": iin, "error": msg(msgid, **params)}
    if check.warnings:
        msgid, params = check.warnings[0]
        return NEEDS_CHECK, N_("{who}: IIN {iin}: {error}"), {"who": person, "iin": iin, "error": msg(msgid, **params)}
    return None


def kandas_status(f: CaseFacts, p: Params) -> RuleResult:
    """Rules §2.2, §2.12: a valid kandas certificate, and not yet a citizen."""
    rule = "kandas_status"
    if f.kind != "kandas":
        return not_applicable(rule, REF_KANDAS)
    a = f.applicant
    if a.citizenship == "citizen":
        return fixed(rule, FAIL, N_("already a citizen of Kazakhstan: kandas status ends with citizenship"), REF_KANDAS)
    if a.citizenship != "kandas":
        return RuleResult(rule, FAIL, N_("no kandas status (citizenship: {value})"), REF_KANDAS,
                          {"value": msg(CITIZENSHIP.get(a.citizenship, a.citizenship))})
    if not a.kandas_certificate_no or a.kandas_certificate_date is None:
        return fixed(rule, NEEDS_CHECK, N_("the kandas certificate (number and date) is not recorded"), REF_KANDAS)
    issued = a.kandas_certificate_date
    if issued > f.today:
        return RuleResult(rule, FAIL, N_("the kandas certificate date {date} is in the future"), REF_KANDAS,
                          {"date": short_date(issued)})
    months = int(p.get("kandas_status_valid_months", 12))
    if add_months(issued, months) < f.applied_on:
        return RuleResult(rule, NEEDS_CHECK,
                          N_("kandas status granted on {date} may have expired ({months} months); check the extension"),
                          REF_KANDAS, {"date": short_date(issued), "months": months})
    return RuleResult(rule, OK, N_("kandas certificate {number} of {date}"), REF_KANDAS,
                      {"number": a.kandas_certificate_no, "date": short_date(issued)})


def resettler_registration(f: CaseFacts, p: Params) -> RuleResult:
    """Rules §12, Gov decree No. 1427 (registration), Social Code ⚠ (2026 conditions): a citizen
    registered as jobseeker, with permanent registration ≥ N years at the origin."""
    rule = "resettler_registration"
    if f.kind != "resettler":
        return not_applicable(rule, REF_RESETTLER)
    a = f.applicant
    if a.citizenship not in p.get("resettler_citizenships", ["citizen"]):
        return RuleResult(rule, FAIL, N_("only citizens of Kazakhstan resettle with support (citizenship: {value})"),
                          REF_RESETTLER, {"value": msg(CITIZENSHIP.get(a.citizenship, a.citizenship))})
    if a.employment_status not in p.get("jobseeker_statuses", ["jobseeker", "unemployed"]):
        return fixed(rule, FAIL, N_("not registered with a career centre as a jobseeker or unemployed"), REF_RESETTLER)
    years = int(p.get("min_registration_years", 1))
    if a.registered_since is None:
        return RuleResult(rule, NEEDS_CHECK, N_("the date of permanent registration at the origin is not recorded"),
                          REF_RESETTLER)
    params = {"date": short_date(a.registered_since), "years": years, "applied": short_date(f.applied_on)}
    if add_years(a.registered_since, years) > f.applied_on:
        return RuleResult(rule, FAIL, N_("permanent registration since {date}: less than {years} year(s) before the application of {applied}"),
                          REF_RESETTLER, params)
    return RuleResult(rule, OK, N_("jobseeker; permanent registration since {date} (at least {years} year(s))"),
                      REF_RESETTLER, params)


DOC_LABELS = {
    "identity_card": N_("identity card"), "passport": N_("passport"),
    "foreign_passport": N_("passport of a foreign state"), "residence_permit": N_("residence permit"),
    "kandas_certificate": N_("kandas certificate"), "birth_certificate": N_("birth certificate"),
    "marriage_certificate": N_("marriage certificate"), "address_certificate": N_("certificate of permanent registration"),
    "application": N_("application"), "job_offer": N_("job offer from an employer"), "business_plan": N_("business plan"),
    "jobseeker_certificate": N_("certificate of jobseeker registration"),
}


def _doc(code: str) -> dict[str, Any] | str:
    return msg(DOC_LABELS[code]) if code in DOC_LABELS else code.replace("_", " ")


def _per_kind(p: Params, key: str, kind: str, default: list[str]) -> list[str]:
    value = p.get(key)
    if isinstance(value, dict):
        return list(value.get(kind, default))
    return list(default)


def documents_valid(f: CaseFacts, p: Params) -> RuleResult:
    """⚠ Voluntary resettlement rules (2026): the applicant's identity document is present and not
    expired on the application date; the other papers of the kind (a parameter list) are present and
    not expired. A refusal at acceptance gets a refusal receipt listing them."""
    rule = "documents_valid"
    identity = _per_kind(p, "identity_documents", f.kind, ["identity_card", "passport"])
    mine = [d for d in f.documents if d.applicant]
    ids = [d for d in mine if d.doc_type in identity]
    applied = short_date(f.applied_on)
    if not ids:
        return RuleResult(rule, FAIL, N_("no identity document of the applicant recorded ({types})"), REF_DOCUMENTS,
                          {"types": [_doc(t) for t in identity], "missing": identity})
    valid_years = p.get("identity_valid_years") or {}

    def expiry(d: DocumentFacts) -> date | None:  # ⚠ from the issue date when none was typed
        if d.expires_on is None and d.issued_on is not None and d.doc_type in valid_years:
            return add_years(d.issued_on, int(valid_years[d.doc_type]))
        return d.expires_on

    dated = [(expiry(d), d) for d in ids]
    if not any(e is not None and e >= f.applied_on for e, _d in dated):
        unknown = next((d for e, d in dated if e is None), None)
        if unknown is not None:
            return RuleResult(rule, NEEDS_CHECK, N_("the {doc}: no expiry date recorded"), REF_DOCUMENTS,
                              {"doc": _doc(unknown.doc_type)})
        last, doc = max(((e, d) for e, d in dated if e is not None), key=lambda pair: pair[0])
        return RuleResult(rule, FAIL, N_("the {doc} expired on {date}, before the application of {applied}"),
                          REF_DOCUMENTS, {"doc": _doc(doc.doc_type), "date": short_date(last),
                                          "applied": applied, "expired": [doc.doc_type]})
    required = _per_kind(p, "required_documents", f.kind, [])
    present = {d.doc_type for d in f.documents}
    missing = [t for t in required if t not in present]
    expired = sorted({d.doc_type for d in f.documents
                      if d.doc_type in required and d.expires_on is not None and d.expires_on < f.applied_on})
    if missing:
        return RuleResult(rule, FAIL, N_("documents missing: {docs}"), REF_DOCUMENTS,
                          {"docs": [_doc(t) for t in missing], "missing": missing})
    if expired:
        return RuleResult(rule, FAIL, N_("documents expired before the application of {applied}: {docs}"),
                          REF_DOCUMENTS, {"docs": [_doc(t) for t in expired], "applied": applied, "expired": expired})
    return RuleResult(rule, OK, N_("identity document valid on {applied}; required documents present"),
                      REF_DOCUMENTS, {"applied": applied})


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def applicant_of_age(f: CaseFacts, p: Params) -> RuleResult:
    """Civil Code art. 17 ⚠: an applicant acts alone from 18 (on the application date); a younger
    applicant applies through a legal representative recorded with the case."""
    return age_answer(*applicant_of_age_key(f, p))


def applicant_of_age_key(f: CaseFacts, p: Params) -> tuple[Any, ...]:
    """All ``applicant_of_age``'s answer depends on (its memo key in rules/engine.Batch, issue 17 §4):
    the age, not the birth date (100,000 applicants have ~37,000 ages on their application days,
    and almost as many birth dates as applicants); the representative of a minor only."""
    adult = int(p.get("min_applicant_age", 18))
    born = f.applicant.birth_date
    if born is None:
        return None, adult, None, None, None
    age = age_on(born, f.applied_on)
    if age >= adult:
        return age, adult, f.applied_on, None, None
    name = f.legal_representative or None
    return age, adult, f.applied_on, name, (f.representative_basis or None) if name else None


def age_answer(age: int | None, adult: int, applied_on: date | None, name: str | None, basis: str | None) -> RuleResult:
    """``applicant_of_age`` from its key."""
    rule = "applicant_of_age"
    if age is None:
        return fixed(rule, NEEDS_CHECK, N_("the applicant's date of birth is not recorded"), REF_AGE)
    params = {"age": age, "adult": adult, "applied": short_date(applied_on)}
    if age >= adult:
        return RuleResult(rule, OK, N_("the applicant is {age} on {applied} (at least {adult})"), REF_AGE, params)
    if name:
        if not basis:
            return RuleResult(rule, NEEDS_CHECK,
                              N_("the applicant is {age}: legal representative {name} recorded without the paper that makes them one"),
                              REF_AGE, {**params, "name": name})
        return RuleResult(rule, OK, N_("the applicant is {age}: applies through legal representative {name} ({basis})"),
                          REF_AGE, {**params, "name": name, "basis": basis})
    return RuleResult(rule, FAIL, N_("the applicant is {age} on {applied}, under {adult}, and no legal representative is recorded"),
                      REF_AGE, params)


def document_problems(f: CaseFacts, p: Params) -> list[dict[str, Any]]:
    """Every paper the refusal receipt lists (⚠ 2026 voluntary resettlement rules: documents
    incomplete or expired): ``{"doc_type", "problem": "missing" | "expired", "expired_on"}``. Unlike
    ``documents_valid`` (one reason), the applicant is told all of them at once. ``doc_type``
    ``identity`` stands for "an identity document" when the applicant recorded none."""
    identity = _per_kind(p, "identity_documents", f.kind, ["identity_card", "passport"])
    valid_years = p.get("identity_valid_years") or {}
    out: list[dict[str, Any]] = []
    ids = [d for d in f.documents if d.applicant and d.doc_type in identity]

    def expiry(d: DocumentFacts) -> date | None:
        if d.expires_on is None and d.issued_on is not None and d.doc_type in valid_years:
            return add_years(d.issued_on, int(valid_years[d.doc_type]))
        return d.expires_on

    if not ids:
        out.append({"doc_type": "identity", "problem": "missing", "expired_on": None})
    else:
        dated = [(e, d) for d in ids if (e := expiry(d)) is not None]
        if len(dated) == len(ids) and all(e < f.applied_on for e, _d in dated):  # none valid, none undated
            last, doc = max(dated, key=lambda pair: pair[0])
            out.append({"doc_type": doc.doc_type, "problem": "expired", "expired_on": last})
    present = {d.doc_type for d in f.documents}
    for t in _per_kind(p, "required_documents", f.kind, []):
        if t not in present:
            out.append({"doc_type": t, "problem": "missing", "expired_on": None})
            continue
        ends = [d.expires_on for d in f.documents if d.doc_type == t and d.expires_on is not None]
        if ends and len(ends) == sum(d.doc_type == t for d in f.documents) and max(ends) < f.applied_on:
            out.append({"doc_type": t, "problem": "expired", "expired_on": max(ends)})
    return out
