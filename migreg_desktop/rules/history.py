"""Earlier cases of the same people."""

from __future__ import annotations

from migreg_desktop.i18n import N_
from migreg_desktop.rules.base import FAIL, OK, CaseFacts, Params, RuleResult, fixed

REF_EARLIER = N_("employment rules ⚠")


def no_earlier_support(f: CaseFacts, p: Params) -> RuleResult:
    """⚠ A person who already moved with relocation support does not get it twice."""
    rule = "no_earlier_support"
    if not p.get("earlier_support_blocks", True):
        return RuleResult(rule, OK, N_("earlier support does not block a new case in {year}"), REF_EARLIER,
                          {"year": f.quota_year})
    supported = set(p.get("supported_statuses", ["moved", "closed"]))
    for earlier in f.earlier:
        if earlier.status in supported:
            return RuleResult(rule, FAIL, N_("IIN {iin} already moved with support in case {number}"), REF_EARLIER,
                              {"iin": earlier.iin, "number": earlier.number})
    return fixed(rule, OK, N_("no earlier supported move of these people"), REF_EARLIER)
