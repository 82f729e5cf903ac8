"""The rule table: stable ids in a fixed order, and the evaluation of all of them."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any

from migreg_desktop.i18n import N_
from migreg_desktop.rules.base import CaseFacts, Decision, Params, RuleResult, decide
from migreg_desktop.rules.history import no_earlier_support
from migreg_desktop.rules.person import (
    applicant_of_age,
    applicant_of_age_key,
    documents_valid,
    iin_valid,
    iin_valid_key,
    kandas_status,
    resettler_registration,
)
from migreg_desktop.rules.quota import quota_room
from migreg_desktop.rules.territory import (
    intra_oblast_conditions,
    region_designated,
    settlement_listed,
)

Rule = Callable[[CaseFacts, Params], RuleResult]

RULES: tuple[tuple[str, Rule], ...] = (
    ("iin_valid", iin_valid),
    ("documents_valid", documents_valid),
    ("applicant_of_age", applicant_of_age),
    ("region_designated", region_designated),
    ("settlement_listed", settlement_listed),
    ("intra_oblast_conditions", intra_oblast_conditions),
    ("kandas_status", kandas_status),
    ("resettler_registration", resettler_registration),
    ("no_earlier_support", no_earlier_support),
    ("quota_room", quota_room),
)
RULE_IDS = tuple(rule_id for rule_id, _fn in RULES)

RULE_TITLES = {
    "iin_valid": N_("IIN valid and unique"),
    "documents_valid": N_("Documents complete and valid"),
    "applicant_of_age": N_("Applicant of age"),
    "region_designated": N_("Destination region designated"),
    "settlement_listed": N_("Settlement on the list of the year"),
    "intra_oblast_conditions": N_("Intra-oblast conditions"),
    "kandas_status": N_("Kandas status valid"),
    "resettler_registration": N_("Resettler registration"),
    "no_earlier_support": N_("No earlier supported move"),
    "quota_room": N_("Room in the quota"),
}


def evaluate(facts: CaseFacts, params: Params) -> Decision:
    return decide(tuple([fn(facts, params) for _rule_id, fn in RULES]))


# Issue 17 §4 (re-check 100,000 cases in seconds): the facts each rule reads besides its Params
# ("applicant.birth_date": that attribute of the applicant only). Cases equal on them get the very
# same answer, so ``Batch`` judges each distinct combination once per year's Params.
# tests/unit/eligibility/test_batch_check.py records what each rule really reads and fails when a
# name is missing here.
RULE_INPUTS: dict[str, tuple[str, ...]] = {
    "iin_valid": ("applicant.iin", "family", "duplicates"),
    "documents_valid": ("kind", "documents", "applied_on"),
    "applicant_of_age": ("applicant.birth_date", "applied_on", "legal_representative", "representative_basis"),
    "region_designated": ("kind", "destination", "quota_year"),
    "settlement_listed": ("kind", "destination", "list_exists", "listed", "list_fixed_on", "quota_year", "today"),
    "intra_oblast_conditions": ("kind", "origin", "destination", "has_job_offer", "has_business_plan", "housing",
                                "origin_listed", "quota_year"),
    "kandas_status": ("kind", "applicant.citizenship", "applicant.kandas_certificate_no",
                      "applicant.kandas_certificate_date", "today", "applied_on"),
    "resettler_registration": ("kind", "applicant.citizenship", "applicant.employment_status",
                               "applicant.registered_since", "applied_on"),
    "no_earlier_support": ("earlier", "quota_year"),
    "quota_room": ("quota", "kind", "quota_year", "destination", "family_size", "office_code"),
}

# The rules whose inputs differ from case to case (each person's IINs, birth date) but whose answer
# depends on much less: each is ``answer(*key(facts, params))`` (rules/person.py), and ``Batch``
# keys its memo by that key instead of the inputs (every IIN valid: one answer for most cases; an
# age, not a birth date). A key reads nothing but the rule's RULE_INPUTS (tested as above), and
# tests/unit/eligibility/test_batch_check.py checks that cases with equal keys get equal answers.
Key = Callable[[CaseFacts, Params], Hashable]
RULE_KEYS: dict[str, Key] = {
    "iin_valid": iin_valid_key,
    "applicant_of_age": applicant_of_age_key,
}


# The kinds of case a rule governs, for the rules that answer "does not apply" to every other kind
# after reading nothing but ``kind``: ``Batch`` keys those answers by the kind alone (no facts
# compared, no rule called). tests/unit/eligibility/test_batch_check.py checks what they read.
RULE_KINDS: dict[str, frozenset[str]] = {
    "region_designated": frozenset({"kandas", "resettler"}),
    "intra_oblast_conditions": frozenset({"intra_oblast"}),
    "kandas_status": frozenset({"kandas"}),
    "resettler_registration": frozenset({"resettler"}),
}

# How ``Batch`` judges one rule for the cases of a kind: its place in the decision, the key of its
# answer (given the facts; given the facts and Params), its memo and the rule.
_Step = tuple[int, "Callable[[CaseFacts], Hashable] | None", "Key | None", dict[Any, RuleResult], Rule]
_Plan = tuple[list[Any], tuple[_Step, ...]]  # the answers the kind alone decides (None: judged), the steps


class Batch:
    """``evaluate`` for many cases: the same decisions, each rule's answer shared by the cases
    whose inputs (``RULE_INPUTS``, or the key of ``RULE_KEYS``) are equal. Pure like the rules;
    keep one per run (the memo grows with the distinct inputs it sees). Params equal to ones seen
    before (the same reference data read again by the next batch of a re-check) share their memo."""

    def __init__(self) -> None:
        self._memos: dict[int, tuple[Params, dict[str, _Plan], list[dict[Any, RuleResult]]]] = {}

    def _plans(self, params: Params) -> dict[str, _Plan]:
        held = self._memos.get(id(params))
        if held is None or held[0] is not params:  # params kept alive with its memo: its id stays its own
            same = next((m for p, _plans, m in self._memos.values() if p == params), None)
            held = self._memos[id(params)] = (params, {}, same if same is not None else [{} for _ in RULES])
        return held[1]

    def _plan(self, facts: CaseFacts, params: Params) -> _Plan:
        """Per kind of case: the rules that do not govern it answered once, the others in steps."""
        memos = self._memos[id(params)][2]
        fixed_answers: list[Any] = []
        steps: list[_Step] = []
        for i, ((rule_id, fn), memo) in enumerate(zip(RULES, memos, strict=True)):
            kinds = RULE_KINDS.get(rule_id)
            if kinds is not None and facts.kind not in kinds:  # "does not apply": the kind decides
                fixed_answers.append(fn(facts, params))
                continue
            fixed_answers.append(None)
            reduced = RULE_KEYS.get(rule_id)
            steps.append((i, None if reduced else attrgetter(*RULE_INPUTS[rule_id]), reduced, memo, fn))
        return fixed_answers, tuple(steps)

    def evaluate(self, facts: CaseFacts, params: Params) -> Decision:
        plans = self._plans(params)
        plan = plans.get(facts.kind)
        if plan is None:
            plan = plans[facts.kind] = self._plan(facts, params)
        results = plan[0][:]
        for i, inputs, reduced, memo, fn in plan[1]:
            if inputs is not None:
                k = inputs(facts)
            elif reduced is not None:
                k = reduced(facts, params)
            found = memo.get(k)
            if found is None:
                found = memo[k] = fn(facts, params)
            results[i] = found
        return decide(tuple(results))

    def evaluate_many(self, facts: Sequence[CaseFacts], params_of: Callable[[int], Params]) -> list[Decision]:
        """``[self.evaluate(f, params_of(f.quota_year)) for f in facts]``, judged rule by rule over
        the cases of each (year, kind) instead of case by case: the keys read and the answers
        looked up a column at a time (``map``, in C), the rules called only for keys not seen yet,
        and each case's answers put together by ``zip`` (issue 17 §4: about a tenth of the re-check was
        this loop's own bookkeeping). The same memo as ``evaluate``: the same answers, the very
        same objects."""
        groups: dict[tuple[int, str], list[int]] = {}
        for i, group in enumerate(map(_YEAR_KIND, facts)):
            found = groups.get(group)
            if found is None:
                groups[group] = [i]
            else:
                found.append(i)
        out: list[Decision] = [_NONE] * len(facts)
        for (year, kind), at in groups.items():
            cases = [facts[i] for i in at]
            for i, decision in zip(at, self._judge_kind(cases, params_of(year), kind), strict=True):
                out[i] = decision
        return out

    def _judge_kind(self, cases: list[CaseFacts], params: Params, kind: str) -> Iterable[Decision]:
        """The decisions of ``cases``, all of this kind and judged under ``params``."""
        plans = self._plans(params)
        plan = plans.get(kind)
        if plan is None:
            plan = plans[kind] = self._plan(cases[0], params)
        columns: list[Iterable[RuleResult]] = [repeat(answer, len(cases)) for answer in plan[0]]
        for i, inputs, reduced, memo, fn in plan[1]:
            keys = list(map(inputs, cases)) if inputs is not None else \
                [reduced(f, params) for f in cases]  # type: ignore[misc]  # a step has one or the other
            answers: list[Any] = list(map(memo.get, keys))
            for n in [n for n, found in enumerate(answers) if found is None]:  # keys not seen yet
                found = memo.get(keys[n])
                if found is None:
                    found = memo[keys[n]] = fn(cases[n], params)
                answers[n] = found
            columns[i] = answers
        return map(decide, zip(*columns, strict=True))


_YEAR_KIND = attrgetter("quota_year", "kind")
_NONE: Any = None
