"""The rule table: stable ids in a fixed order, and the evaluation of all of them."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from migreg_desktop.i18n import N_
from migreg_desktop.rules.base import CaseFacts, Decision, Params, RuleResult
from migreg_desktop.rules.history import no_earlier_support
from migreg_desktop.rules.person import (
    applicant_of_age,
    documents_valid,
    iin_valid,
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
    return Decision(tuple(fn(facts, params) for _rule_id, fn in RULES))


# Issue 17 §4 (re-check 100,000 cases in seconds): the facts each rule reads besides its Params.
# Cases equal on them get the very same answer, so ``Batch`` judges each distinct combination once
# per year's Params. None: the rule reads something of each person (IINs, birth dates) that cases
# do not share, so it runs for every case. tests/unit/eligibility/test_batch_rules.py records what
# each rule really reads and fails when a name is missing here.
RULE_INPUTS: dict[str, tuple[str, ...] | None] = {
    "iin_valid": None,
    "documents_valid": ("kind", "documents", "applied_on"),
    "applicant_of_age": None,
    "region_designated": ("kind", "destination", "quota_year"),
    "settlement_listed": ("kind", "destination", "list_exists", "listed", "list_fixed_on", "quota_year", "today"),
    "intra_oblast_conditions": ("kind", "origin", "destination", "has_job_offer", "has_business_plan", "housing",
                                "origin_listed", "quota_year"),
    "kandas_status": None,
    "resettler_registration": None,
    "no_earlier_support": ("earlier", "quota_year"),
    "quota_room": ("quota", "kind", "quota_year", "destination", "family_size", "office_code"),
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

_Memo = tuple[dict[Any, RuleResult], dict[str, RuleResult]]  # by RULE_INPUTS, and by kind (RULE_KINDS)


class Batch:
    """``evaluate`` for many cases: the same decisions, each rule's answer shared by the cases
    whose inputs (``RULE_INPUTS``) are equal. Pure like the rules; keep one per run (the memo
    grows with the distinct inputs it sees). Params equal to ones seen before (the same
    reference data read again by the next batch of a re-check) share their memo."""

    def __init__(self) -> None:
        self._keys = tuple((fn, attrgetter(*inputs) if (inputs := RULE_INPUTS[rule_id]) else None,
                            RULE_KINDS.get(rule_id)) for rule_id, fn in RULES)
        self._memos: dict[int, tuple[Params, list[_Memo]]] = {}

    def _memo(self, params: Params) -> list[_Memo]:
        held = self._memos.get(id(params))
        if held is None or held[0] is not params:  # params kept alive with its memo: its id stays its own
            same = next((m for p, m in self._memos.values() if p == params), None)
            held = self._memos[id(params)] = (params, same if same is not None else [({}, {}) for _ in RULES])
        return held[1]

    def evaluate(self, facts: CaseFacts, params: Params) -> Decision:
        results = []
        kind = facts.kind
        for (fn, key, kinds), (memo, by_kind) in zip(self._keys, self._memo(params), strict=True):
            if kinds is not None and kind not in kinds:  # "does not apply": the kind decides
                found = by_kind.get(kind)
                if found is None:
                    found = by_kind[kind] = fn(facts, params)
                results.append(found)
                continue
            if key is None:
                results.append(fn(facts, params))
                continue
            k = key(facts)
            found = memo.get(k)
            if found is None:
                found = memo[k] = fn(facts, params)
            results.append(found)
        return Decision(tuple(results))
