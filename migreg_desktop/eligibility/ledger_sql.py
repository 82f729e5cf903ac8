"""The quota ledger's net, as SQL: without the table classes, so that a worker process judging
cases (eligibility/bulk_check.py) starts without importing SQLModel (issue 17 §4)."""

from __future__ import annotations


def ledger_net(row: str = "") -> str:
    """SQL for the net persons of ledger entries (reserve − release), the one place it is written:
    an allotment's reserved places, a case's held places. ``row``: the ledger's alias, if any."""
    p = f"{row}." if row else ""
    return f"sum(CASE {p}entry WHEN 'reserve' THEN {p}persons ELSE -{p}persons END)"
