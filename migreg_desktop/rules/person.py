"""Who moves: IIN, kandas status, resettler's registration."""

from __future__ import annotations

from ..i18n import N_
from ..services import iin as iin_rules
from .base import (
    FAIL,
    NEEDS_CHECK,
    NOT_APPLICABLE,
    OK,
    CaseFacts,
    Params,
    RuleResult,
    add_months,
    add_years,
    msg,
    short_date,
)

REF_IIN = N_("Gov decree No. 1427; IIN law")
REF_KANDAS = N_("Rules §2.2, §2.12")
REF_RESETTLER = N_("Social Code; employment rules ⚠")
CITIZENSHIP = {"citizen": N_("citizen"), "kandas": N_("kandas"), "foreigner": N_("foreigner"),
               "stateless": N_("stateless person")}


def iin_valid(f: CaseFacts, p: Params) -> RuleResult:
    """Gov decree 1427: every IIN valid; the applicant's unique among active cases of this kind."""
    rule = "iin_valid"
    if not f.applicant.iin:
        return RuleResult(rule, FAIL, N_("the applicant has no IIN"), REF_IIN)
    worst: tuple[str, str, dict] | None = None
    people = [(N_("applicant"), 0, f.applicant.iin)] + [
        (N_("family member {n}"), n, m.iin) for n, m in enumerate(f.family, start=1)]
    for who, n, iin in people:
        problem = _one_iin(who, n, iin)
        if problem and (worst is None or (problem[0] == FAIL and worst[0] != FAIL)):
            worst = problem
    if worst is not None:
        return RuleResult(rule, worst[0], worst[1], REF_IIN, worst[2])
    if f.duplicates:
        return RuleResult(rule, FAIL, N_("IIN {iin}: already the applicant of active case {number}"),
                          REF_IIN, {"iin": f.applicant.iin, "number": f.duplicates[0]})
    return RuleResult(rule, OK, N_("IINs are valid; no other active case of this applicant"), REF_IIN)


def _one_iin(who: str, n: int, iin: str | None) -> tuple[str, str, dict] | None:
    person = msg(who, n=n)
    if not iin:
        return NEEDS_CHECK, N_("{who}: no IIN recorded"), {"who": person}
    check = iin_rules.check(iin)
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
        return RuleResult(rule, OK, NOT_APPLICABLE, REF_KANDAS, applies=False)
    a = f.applicant
    if a.citizenship == "citizen":
        return RuleResult(rule, FAIL, N_("already a citizen of Kazakhstan: kandas status ends with citizenship"), REF_KANDAS)
    if a.citizenship != "kandas":
        return RuleResult(rule, FAIL, N_("no kandas status (citizenship: {value})"), REF_KANDAS,
                          {"value": msg(CITIZENSHIP.get(a.citizenship, a.citizenship))})
    if not a.kandas_certificate_no or a.kandas_certificate_date is None:
        return RuleResult(rule, NEEDS_CHECK, N_("the kandas certificate (number and date) is not recorded"), REF_KANDAS)
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
    """Social Code ⚠ (2026 conditions): a citizen registered as jobseeker, ≥ N years at the origin."""
    rule = "resettler_registration"
    if f.kind != "resettler":
        return RuleResult(rule, OK, NOT_APPLICABLE, REF_RESETTLER, applies=False)
    a = f.applicant
    if a.citizenship not in p.get("resettler_citizenships", ["citizen"]):
        return RuleResult(rule, FAIL, N_("only citizens of Kazakhstan resettle with support (citizenship: {value})"),
                          REF_RESETTLER, {"value": msg(CITIZENSHIP.get(a.citizenship, a.citizenship))})
    if a.employment_status not in p.get("jobseeker_statuses", ["jobseeker", "unemployed"]):
        return RuleResult(rule, FAIL, N_("not registered with a career centre as a jobseeker or unemployed"), REF_RESETTLER)
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
