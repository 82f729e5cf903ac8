"""The quota facts of ``eligibility_facts.FactSource``: the quotas, the office's allotments, the
places reserved on each and the places each case holds (issue 17: a case's own check reads its
own ledger rows and its allotment's, never the whole ledger)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from migreg_desktop.eligibility.ledger_sql import ledger_net
from migreg_desktop.rules.base import Place, QuotaFacts
from migreg_desktop.rules.quota import quota_key
from migreg_desktop.storage.reader import in_lists

NO_QUOTA = QuotaFacts()


class QuotaSource:
    """Reads through ``_sql`` (the FactSource's connection) for ``office``; ``places`` and
    ``whole`` are the FactSource's."""

    office: str
    whole: bool
    places: dict[str, Place]
    _quota_of: dict[tuple[str, int, str], tuple[int | None, QuotaFacts]]  # shared answers, by (kind, year, kato)

    def _sql(self, sql: str, params: Any = ()) -> list[Any]:  # pragma: no cover - FactSource's
        raise NotImplementedError

    def _load_quotas(self) -> None:
        self.quotas = {(y, r, k): (qid, counting, limit) for qid, y, r, k, counting, limit in self._sql(
            "SELECT id, year, region_kato, kind, counting, \"limit\" FROM regional_quota")}
        self.allotments = {qid: (aid, slots) for aid, qid, slots in self._sql(
            "SELECT id, quota_id, slots FROM quota_allotment WHERE office_code = ?", (self.office,))}
        # Places reserved on an allotment, read when a case first needs it (``_reserved_of``): a
        # case's own check reads one allotment's rows, not the whole ledger (~40 ms at 100,000
        # entries, on every save). The ledger is append-only (its guard triggers): its last id
        # says which state was read, so a batch takes over the previous batch's quota facts only
        # when nothing was reserved or released meanwhile.
        self._reserved: dict[int, int] = {}
        self._ledger_mark = self._sql("SELECT max(id) FROM quota_ledger")[0][0]
        self._held_all: dict[Any, tuple[int, int]] | None = None  # ``_held(None)``, read once

    def _reserved_of(self, allotment_id: int) -> int:
        found = self._reserved.get(allotment_id)
        if found is None:
            rows = self._sql(f"SELECT {ledger_net()} FROM quota_ledger WHERE allotment_id = ?", (allotment_id,))
            found = self._reserved[allotment_id] = int(rows[0][0] or 0) if rows else 0
        return found

    def _held(self, ids: list[Any] | None) -> dict[Any, tuple[int, int]]:
        """Places each case holds, (persons, allotment), by stored case id: of these cases only (a
        case's own check reads its few ledger rows, not an oblast's whole ledger on every save),
        or of every case, read once (every case, or the parts of one check reading one state)."""
        sql = f"SELECT case_id, allotment_id, {ledger_net()} AS n FROM quota_ledger{{where}} GROUP BY case_id, allotment_id HAVING n > 0"
        if ids is None or self.whole:
            if self._held_all is None:
                self._held_all = {c: (n, a) for c, a, n in self._sql(sql.format(where=""))}
            return self._held_all
        return {c: (n, a) for part in in_lists(ids) for c, a, n in self._sql(
            sql.format(where=f" WHERE case_id IN ({','.join('?' * len(part))})"), part)}

    def _quota(self, case_id: str, kind: str, year: int, dest: Place | None,
               held_by: dict[Any, tuple[int, int]]) -> QuotaFacts:
        if dest is None:
            return NO_QUOTA
        shared = self._quota_of.get((kind, year, dest.kato))
        if shared is None:
            shared = self._quota_of[(kind, year, dest.kato)] = self._quota_facts(kind, year, dest)
        aid, facts = shared
        held, held_aid = held_by.get(case_id, (0, None))
        if held and aid is not None and held_aid == aid:
            return replace(facts, held=held)
        return facts

    def _quota_facts(self, kind: str, year: int, dest: Place) -> tuple[int | None, QuotaFacts]:
        """The quota facts every case of this kind, year and destination shares (all but what the
        case holds itself), with the allotment they count against."""
        key = quota_key(kind, year, dest.kato, dest.region, self.quotas.__contains__)
        quota = self.quotas.get(key) if key else None
        if key is None or quota is None:
            return None, NO_QUOTA
        qid, counting, limit = quota
        region = self.places.get(key[1])
        allot = self.allotments.get(qid)
        if allot is None:
            return None, QuotaFacts(found=True, region=region, counting=counting, limit=limit)
        aid, slots = allot
        return aid, QuotaFacts(found=True, region=region, counting=counting, limit=limit, allotted=True, slots=slots,
                               reserved=self._reserved_of(aid))
