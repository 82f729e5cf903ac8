"""Re-check a case's eligibility automatically whenever a change to it is committed.

Listens to the same after-commit events as the window (events.py): every committed
``case_changed`` re-checks that case in its own short transaction; a decision is stored only if
something differs. Installed when the dataset loaders are discovered (any process that opens a
database), so the CLI, the window and imports all keep decisions current. Reference-data
changes re-check every open case (``eligibility.recheck_open_cases``: the CLI after the command,
the window in the background, see docs/eligibility.md).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

log = logging.getLogger(__name__)
MAX_INLINE = 2000  # larger batches (imports) are left to `check --all` / the window's worker
_state = {"enabled": True}
_local = threading.local()  # re-entrancy guard per thread (the re-check commits too)


def enable(flag: bool) -> None:
    """Benchmarks and bulk generators switch the automatic re-check off."""
    _state["enabled"] = flag


def _changed_cases(session: OrmSession) -> list[str]:
    return [str(p) for name, p in session.info.get("pending_events", []) if name == "case_changed" and p]


def _after_commit(session: OrmSession) -> None:
    if getattr(_local, "busy", False) or not _state["enabled"]:
        return
    ids = _changed_cases(session)
    if not ids or len(ids) > MAX_INLINE:
        return
    engine = session.get_bind()
    _local.busy = True
    try:
        from ..db import session_scope
        from .eligibility import recheck_changed

        with session_scope(engine, actor=str(session.info.get("actor") or "system")) as s:  # type: ignore[arg-type]
            recheck_changed(ids, session=s)
    except Exception:  # never break the clerk's commit because a re-check failed
        log.exception("automatic eligibility re-check failed")
    finally:
        _local.busy = False


def install() -> None:
    if not event.contains(OrmSession, "after_commit", _after_commit):
        # insert=True: run before events.py pops the pending events of this commit.
        event.listen(OrmSession, "after_commit", _after_commit, insert=True)


install()
