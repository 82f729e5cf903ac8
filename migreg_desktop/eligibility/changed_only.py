"""A re-check that changes nothing stores nothing (issue 17): the writer of automatic decisions.

Decisions are append-only and each row travels in sync packages; `check --all` over 100,000 cases
used to append 100,000 rows (~425 MB, every backup and the oblast's change log) even when no
answer moved. Now a bulk or automatic re-check stores a case's new decision only when its
**substance** differs from the case's latest stored one: the verdict, ``eligible`` and the rule
results (rule, result, applies, msgid, params, reference). The results are compared as the exact
text the writer produces (``eligibility.results_json`` and the bulk encoder spell a decision one
way: keys in ``RuleResult.to_store`` order, ``ensure_ascii=False``; tests/unit/eligibility
compare both), so no stored JSON is parsed; a row written by an older spelling only counts as
changed once.

When the substance is the same but the versions it was judged under moved on (the case's
version, the rules, the reference data), the latest decision is *confirmed*: one row per case in
``eligibility_confirmed`` (migration 0810), updated in place, local to this office (no sync
log). ``stale_reason`` reads the confirmed versions, so the decision stays current for the
quota reservation, the sheets and the panel. Nothing at all is written when even the versions
are the same (a second `check --all` of an unchanged database).

A clerk's own check (the window's "Check again", `migreg check CASE`) is not routed here: it is
an explicit, audited act and always stores its row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from migreg_desktop.ids import from_db, to_db, uuid7_many
from migreg_desktop.storage.bulk_log import insert_logged

INSERT_COLUMNS = ("uid", "case_id", "checked_at", "checked_on", "verdict", "eligible", "results", "rules_version",
                  "reference_version", "case_version", "trigger", "by_user")
# case_id is bound in its stored form (ids.to_db in Python: cheaper than a SQL function per row)
INSERT_SQL = (f"INSERT INTO eligibility_decision ({', '.join(INSERT_COLUMNS)}) "
              f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})")
# positions in a pending row (INSERT_COLUMNS without the uid, given at the flush)
_AT = {name: i for i, name in enumerate(INSERT_COLUMNS[1:])}
_CASE, _VERDICT, _ELIGIBLE, _RESULTS = _AT["case_id"], _AT["verdict"], _AT["eligible"], _AT["results"]
_VERSIONS = (_AT["case_version"], _AT["rules_version"], _AT["reference_version"])

# The latest decision of each case with the versions it was last confirmed under. json_each: one
# bound parameter for a batch of ids (SQLite limits the bound variables of one statement).
_LATEST_SQL = (
    "SELECT d.case_id, d.id, d.verdict, d.eligible, d.results, "
    "COALESCE(k.case_version, d.case_version), COALESCE(k.rules_version, d.rules_version), "
    "COALESCE(k.reference_version, d.reference_version) "
    "FROM eligibility_decision d LEFT JOIN eligibility_confirmed k ON k.case_id = d.case_id AND k.decision_id = d.id "
    "WHERE d.id IN (SELECT max(id) FROM eligibility_decision "
    "WHERE case_id IN (SELECT id_db(value) FROM json_each(?)) GROUP BY case_id)")
_CONFIRM_SQL = ("INSERT OR REPLACE INTO eligibility_confirmed "
                "(case_id, decision_id, case_version, rules_version, reference_version, checked_at) "
                "VALUES (id_db(?), ?, ?, ?, ?, ?)")
_CONFIRMED_SQL = ("SELECT case_version, rules_version, reference_version FROM eligibility_confirmed "
                  "WHERE case_id = id_db(?) AND decision_id = ?")


def store_changed(session: Session, pending: list[tuple[Any, ...]]) -> int:
    """Store the pending rows whose substance differs from their case's latest decision, confirm
    the others whose versions moved on; empties ``pending``; returns the rows stored."""
    if not pending:
        return 0
    latest = _latest(session, [p[_CASE] for p in pending])
    changed, confirmed = [], []
    for p in pending:
        old = latest.get(p[_CASE])
        if old is None or (old[1], bool(old[2]), old[3]) != (p[_VERDICT], bool(p[_ELIGIBLE]), p[_RESULTS]):
            changed.append(p)
        elif old[4:] != tuple(p[i] for i in _VERSIONS):
            confirmed.append((p[_CASE], old[0], *(p[i] for i in _VERSIONS), p[_AT["checked_at"]]))
    _insert(session, changed)
    if confirmed:
        session.connection().exec_driver_sql(_CONFIRM_SQL, confirmed)
    pending.clear()
    return len(changed)


def _latest(session: Session, case_ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    rows = session.connection().exec_driver_sql(_LATEST_SQL, (json.dumps(list(case_ids)),))
    return {str(from_db(r[0])): tuple(r[1:]) for r in rows}  # stored id → text (ids.py, issue 17 §1)


def _insert(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """One executemany of plain tuples on the session's DB-API connection (no per-row ORM or Core
    parameter processing), the sync log written set-based (storage/bulk_log.py)."""
    if rows:
        params = [(uid, to_db(row[0]), *row[1:]) for uid, row in zip(uuid7_many(len(rows)), rows, strict=True)]
        insert_logged(session.connection().connection.driver_connection, "eligibility_decision", INSERT_SQL, params)


def confirmed_versions(session: Session, case_id: str, decision_id: int | None) -> tuple[int, str, str] | None:
    """(case version, rules version, reference version) a later re-check confirmed this decision
    under, or None."""
    if decision_id is None:
        return None
    row = session.connection().exec_driver_sql(_CONFIRMED_SQL, (case_id, decision_id)).first()
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))
