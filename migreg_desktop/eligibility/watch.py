"""The one re-check policy (issue 4 §2, issue 13 §1): what a committed change means for decisions.

- A changed case is re-checked right away, in its own short transaction; a decision is stored
  only if its verdict or rule results differ, else the latest one is confirmed under the case's
  new version (eligibility/changed_only.py, issue 17). Batches larger than ``MAX_INLINE`` (a big import) are left to
  `check --all` or the window's re-check page.
- New reference data (a settlement list, quotas, a reference package) make every open case due
  again: ``needs_full_recheck`` says so, and each door runs ``eligibility.recheck_open_cases`` its
  way — the CLI at the end of the command (its JSON gains ``rechecked``), the window in the
  background on its operation runner (``ui/pages/recheck.AutoRecheck``).

``unit_of_work`` builds the unit of work both doors use, with this policy as its follow-up.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.engine import Engine

from migreg_desktop import changes
from migreg_desktop.changes import Changes
from migreg_desktop.storage.unit_of_work import Notify, UnitOfWork

log = logging.getLogger(__name__)
MAX_INLINE = 2000


def on_changes(done: Changes, work: UnitOfWork) -> Changes:
    ids = done.case_ids
    if not ids or len(ids) > MAX_INLINE:
        return Changes()
    from migreg_desktop.eligibility.eligibility import (
        recheck_changed,  # only when cases changed (issue 17 §5)
    )

    try:
        with work.quiet_session() as s:
            recheck_changed(ids, session=s)
    except Exception:  # never undo the clerk's saved work because a re-check failed
        log.exception("automatic eligibility re-check failed")
        return Changes()
    return changes.take(s)


def needs_full_recheck(done: Changes) -> bool:
    return bool(done.datasets)


def unit_of_work(engine: Engine, actor: Any = None, notify: Notify | None = None) -> UnitOfWork:
    return UnitOfWork(engine, actor, follow_ups=(on_changes,), notify=notify)
