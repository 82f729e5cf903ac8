"""The rule table: stable ids in a fixed order, and the evaluation of all of them."""

from __future__ import annotations

from collections.abc import Callable

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
