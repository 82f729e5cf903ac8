"""Checking a case: evaluate every rule, store the decision with the case (history kept).

A decision = rule results + verdict + rules version + reference-data version + date. Manual
checks are always stored; automatic and bulk re-checks (`check --all`, the case or reference data
changed) are stored only when the verdict or a rule result differs from the latest decision, so
the history shows real changes (eligibility/changed_only.py; issue 17).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office_code
from migreg_desktop.cases.cases import get_case
from migreg_desktop.eligibility import bulk_check
from migreg_desktop.eligibility.bulk_check import Terms, judge_part, no_collection
from migreg_desktop.eligibility.changed_only import (
    confirmed_versions,
    latest_decisions,
    store_changed,
    write,
)
from migreg_desktop.eligibility.decision_text import Encoder, results_json
from migreg_desktop.eligibility.eligibility_facts import FactSource
from migreg_desktop.errors import Cancelled
from migreg_desktop.i18n import current_language
from migreg_desktop.ids import from_db
from migreg_desktop.models.base import utcnow
from migreg_desktop.models.eligibility import EligibilityDecision
from migreg_desktop.refdata.refdata import reference_version
from migreg_desktop.rules import RULES_VERSION, Decision, RuleResult, evaluate
from migreg_desktop.rules.engine import RULE_TITLES, Batch

Progress = Callable[[int, int], None]


def check_case(case_ref: str, *, session: Session, trigger: str = "manual", today: date | None = None,
               store: bool = True) -> EligibilityDecision:
    if trigger == "manual":  # the clerk's check; automatic re-checks are the system's
        permissions.require("case.check", session)
    case = get_case(case_ref, session=session)
    source = FactSource(session, today=today)
    facts, version = next(source.facts([case.id]))
    decision = evaluate(facts, source.params(facts.quota_year))
    row = _row(case.id, version, decision, facts.today, reference_version(session=session), trigger,
               audit.actor(session))
    if store and trigger == "manual":  # the clerk's explicit, audited act: always stored
        previous = latest(case.id, session=session)
        session.add(row)
        session.flush()
        _audit_check(case.id, previous, row, session=session)  # a change to the case (issue 7 §2)
    elif store:  # the system's re-check: stored only if its substance differs (issue 17)
        session.flush()
        store_changed(session, [(_insert_params(case.id, version, decision, facts.today, row.reference_version,
                                                trigger, row.by_user, row.checked_at.strftime(_STAMP)), decision)],
                      Encoder())
    return row


def _audit_check(case_id: str, previous: EligibilityDecision | None, row: EligibilityDecision, *,
                 session: Session) -> None:
    audit.record("check", "case", case_id, {
        "verdict": [previous.verdict if previous else None, row.verdict], "rules_version": [None, row.rules_version],
    }, session=session)  # the reference-data versions stay on the decision row (long, not for reading)


def _row(case_id: str, version: int, decision: Decision, today: date, ref: str, trigger: str,
         user: str) -> EligibilityDecision:
    return EligibilityDecision(
        case_id=case_id, checked_at=utcnow(), checked_on=today.isoformat(), verdict=decision.verdict,
        eligible=decision.eligible, results=results_json(decision),
        rules_version=RULES_VERSION, reference_version=ref, case_version=version, trigger=trigger, by_user=user)


def latest(case_id: str, *, session: Session) -> EligibilityDecision | None:
    return session.exec(select(EligibilityDecision).where(EligibilityDecision.case_id == case_id)
                        .order_by(col(EligibilityDecision.id).desc()).limit(1)).first()


def stale_reason(row: EligibilityDecision | None, *, session: Session, case: Any = None) -> str | None:
    """Why a stored decision no longer speaks for the case: ``missing``, ``case_changed``,
    ``reference_changed`` or ``rules_changed``; None when it is current."""
    if row is None:
        return "missing"
    if case is None:
        from migreg_desktop.models import Case

        case = session.get(Case, row.case_id)
    # a later re-check that found the same substance confirmed it under newer versions (issue 17)
    case_version, rules_version, ref = confirmed_versions(session, row.case_id, row.id) or \
        (row.case_version, row.rules_version, row.reference_version)
    if case is not None and case_version != case.version:
        return "case_changed"
    if rules_version != RULES_VERSION:
        return "rules_changed"
    if ref != reference_version(session=session):
        return "reference_changed"
    return None


def effective_decision(case_ref: str, *, session: Session) -> EligibilityDecision:
    """The latest stored decision when it is current, else a fresh evaluation (not stored):
    the one answer the support calculation, the sheets and the panels read."""
    case = get_case(case_ref, session=session)
    row = latest(case.id, session=session)
    if row is not None and stale_reason(row, session=session, case=case) is None:
        return row
    return check_case(case.id, session=session, store=False)


def history(case_ref: str, *, session: Session) -> list[EligibilityDecision]:
    case = get_case(case_ref, session=session)
    return list(session.exec(select(EligibilityDecision).where(EligibilityDecision.case_id == case.id)
                             .order_by(col(EligibilityDecision.id))).all())


def results_of(row: EligibilityDecision) -> list[RuleResult]:
    return [RuleResult.from_store(d) for d in json.loads(row.results)]


def decision_doc(row: EligibilityDecision, number: str, lang: str | None = None) -> dict[str, Any]:
    """The `check --json` document; reasons in the clerk's language, plus all three."""
    lang = lang or current_language()
    rules = [{"rule": r.rule, "result": r.result, "reason": r.reason(lang), "reference": r.reference_text(lang),
              "applies": r.applies, "reasons": {code: r.reason(code) for code in ("kk", "ru", "en")}}
             for r in results_of(row)]
    return {"case": number, "case_id": row.case_id, "eligible": row.eligible, "verdict": row.verdict,
            "rules": rules, "rules_version": row.rules_version, "reference_version": row.reference_version,
            "checked_at": row.checked_at.isoformat(), "checked_on": row.checked_on, "trigger": row.trigger}


def rule_title(rule: str, lang: str | None = None) -> str:
    from migreg_desktop.i18n import tr

    return tr(RULE_TITLES.get(rule, rule), lang or current_language())


# ---- many cases at once ------------------------------------------------------------------

def check_many(*, session: Session, case_ids: Iterable[str] | None = None, trigger: str = "bulk",
               today: date | None = None, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None, batch: int = 5000,
               judge: Run | None = None) -> dict[str, int]:
    """Check many cases (all when ``case_ids`` is None); store a decision for each case whose
    verdict or rule results differ from its latest one (``changed``; a case never checked counts).
    ``judge``: a ``Run`` kept over several calls (its answers and facts shared with theirs)."""
    if trigger == "bulk":  # `check --all`; re-checks after new reference data are the system's
        permissions.require("case.check", session)
    counts = _judge(session, None if case_ids is None else list(case_ids), trigger, today=today,
                    progress=progress, cancelled=cancelled, batch=batch, judge=judge)
    # One entry for the whole run (not one per case): `check --all` over 100,000 cases stays cheap.
    bulk_check.record_run(session, trigger, counts)
    return counts


def _judge(session: Session, ids: list[str] | None, trigger: str, *, today: date | None = None,
           progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
           batch: int = 5000, judge: Run | None = None) -> dict[str, int]:
    """Judge the cases in parts; each part's changed decisions stored in bulk (issue 17 §4). A big
    check shares its parts with worker processes when it safely can (eligibility/bulk_check.py)."""
    run = judge or Run()
    with no_collection():
        total = len(ids) if ids is not None else _count_cases(session)
        workers = bulk_check.pool_size(session, total)  # takes the write lock before anything is read
        with bulk_check.started(workers) as pool:  # their start runs beside the reading here
            source = run.source = FactSource(session, today=today, previous=run.source, whole=workers[0] > 0)
            terms = Terms(source.today, utcnow().strftime(_STAMP), audit.actor(session), trigger,
                          reference_version(session=session), source.office, whole=workers[0] > 0, every=ids is None)
            run.shared = None
            if workers[0]:
                run.shared = bulk_check.Shared()
                return bulk_check.judge_shared(session, source, run.batch, terms,
                                               source.case_ids() if ids is None else ids, pool, workers[0],
                                               progress=progress, cancelled=cancelled, report=run.shared)
        tally, checked, changed = bulk_check.tallies(), 0, 0
        latest = latest_decisions(session) if ids is None else None  # every case: one pass
        encode, facts = Encoder(), source.facts(ids)  # each shared answer encoded once (issue 17 §4)
        while part := list(islice(facts, batch)):
            part_tally, changes = judge_part(source, run.batch, encode, terms, part, latest)
            checked, changed = checked + len(part), changed + write(session, changes)
            bulk_check.add(tally, part_tally)
            if progress:
                progress(checked, total)
            if cancelled and cancelled():
                raise Cancelled()  # the caller's transaction rolls back: nothing half-written
    if progress and not checked:
        progress(checked, total)
    return {"checked": checked, "changed": changed, **tally}


class Run:
    """What the batches of one re-check share (issue 17 §4): the rules' answers (``rules.engine.Batch``)
    and the last batch's ``FactSource``, whose places, lists, quotas and papers the next batch takes
    over when the database still says the same. ``shared``: what the last check shared with worker
    processes (None: judged here alone)."""

    def __init__(self) -> None:
        self.batch = Batch()
        self.source: FactSource | None = None
        self.shared: bulk_check.Shared | None = None


def open_case_ids(*, session: Session) -> list[str]:
    """The cases a reference-data change can still matter to (not refused, closed or withdrawn)."""
    from migreg_desktop.vocabulary import INACTIVE

    marks = ",".join(f"'{s}'" for s in sorted(INACTIVE))
    con: Any = session.connection().connection.driver_connection  # plain tuples, fetched at once
    rows = con.execute(f"SELECT id FROM cases WHERE status NOT IN ({marks}) ORDER BY id").fetchall()
    return [str(from_db(r[0])) for r in rows]  # the stored form as text (ids.py)


def recheck_open_cases(open_session: Callable[[], Any], *, progress: Progress | None = None,
                       cancelled: Callable[[], bool] | None = None, batch: int = 2000) -> int:
    """Issue 4 §2: re-check every open case after the reference data changed; the cases checked
    (``recheck_open_counts`` also says how many changed)."""
    return recheck_open_counts(open_session, progress=progress, cancelled=cancelled, batch=batch)["checked"]


def recheck_open_counts(open_session: Callable[[], Any], *, progress: Progress | None = None,
                        cancelled: Callable[[], bool] | None = None, batch: int = 2000, judge: Run | None = None,
                        today: date | None = None) -> dict[str, int]:
    """``open_session()`` gives a session context (the caller's session_scope): each batch is its
    own short transaction, so a clerk saving a case meanwhile waits a moment, never seconds.
    Returns ``{"checked", "changed"}``; a cancel keeps the batches already stored (each stands alone).
    Many open cases: a share judged in worker processes (eligibility/bulk_check.recheck_shared).
    """
    with open_session() as s:
        ids = open_case_ids(session=s)
        workers = bulk_check.workers_for(s, len(ids))  # many open cases: a share in worker processes
        if workers[0]:
            terms = Terms(today or date.today(), utcnow().strftime(_STAMP), audit.actor(s), "refdata_changed",
                          reference_version(session=s), current_office_code(session=s) or "")
    judge = judge or Run()  # one for all batches: rule answers and facts shared while the data read stay equal
    judge.shared = None
    if workers[0]:
        judge.shared = bulk_check.Shared()
        return bulk_check.recheck_shared(open_session, ids, workers, terms, judge.batch, most=batch,
                                         progress=progress, cancelled=cancelled, report=judge.shared)
    done = {"checked": 0, "changed": 0}
    for i in range(0, len(ids), batch):
        if cancelled and cancelled():
            break
        with open_session() as s:
            counts = check_many(session=s, case_ids=ids[i:i + batch], trigger="refdata_changed", judge=judge,
                                today=today)
        done = {k: v + counts[k] for k, v in done.items()}
        if progress:
            progress(done["checked"], len(ids))
    return done


def _count_cases(session: Session) -> int:
    return int(session.connection().execute(text("SELECT count(*) FROM cases")).scalar_one())


_STAMP = "%Y-%m-%d %H:%M:%S.%f"
def _insert_params(case_id: str, version: int, decision: Decision, today: date, ref: str, trigger: str,
                   user: str, now: Any) -> tuple[Any, ...]:
    """One decision row in changed_only.INSERT_COLUMNS order but the uid (given at the flush), its
    results text None: built by ``store_changed`` only if it stores the row, exactly as ``_row`` writes it."""
    return (case_id, now, today.isoformat(), decision.verdict, decision.eligible,
            None, RULES_VERSION, ref, version, trigger, user)


def recheck_changed(case_ids: Iterable[str], *, session: Session, trigger: str = "case_changed") -> int:
    """Automatic re-check after a change (the unit of work's follow-up); stores a decision only
    where the verdict or a rule result differs (issue 17). Returns the decisions stored."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return 0
    session.flush()
    return _judge(session, ids, trigger)["changed"]
