"""Eligibility rules: small pure functions over ``CaseFacts`` and year-versioned ``Params``.

No database and no Qt here: ``services/eligibility.py`` gathers the facts, these modules judge
them. One module per concern; each rule has a stable id (stored in decisions and used in JSON).
Bump ``RULES_VERSION`` whenever a rule's logic changes (parameters live in reference data).
"""

from __future__ import annotations

from migreg_desktop.rules.base import FAIL, NEEDS_CHECK, OK, RULES_VERSION, Decision, RuleResult
from migreg_desktop.rules.engine import RULE_IDS, evaluate

__all__ = ["FAIL", "NEEDS_CHECK", "OK", "RULES_VERSION", "RULE_IDS", "Decision", "RuleResult", "evaluate"]
