"""Gathering the facts the rules judge, for one case or for every case at once.

The same ``FactSource`` serves the case editor (one case) and the bulk check (100,000 cases):
reference data is read once, cases in a few set-based queries (raw SQL: the bulk check must stay
within seconds), and every case becomes a frozen ``CaseFacts`` for the pure rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from migreg_desktop.eligibility.quota_source import QuotaSource
from migreg_desktop.ids import from_db, to_db
from migreg_desktop.rules.base import (
    CaseFacts,
    DocumentFacts,
    EarlierCase,
    ListedSettlement,
    Params,
    PersonFacts,
    Place,
    QuotaFacts,
    record,
)
from migreg_desktop.storage.reader import Rows, in_lists
from migreg_desktop.storage.reader import rows as dbapi_rows
from migreg_desktop.vocabulary import INACTIVE

if TYPE_CHECKING:  # a worker process imports this module: without SQLModel (bulk_check.py)
    from sqlmodel import Session

PERSON_COLS = ("p.iin, p.citizenship, p.registered_since, p.employment_status, p.kandas_certificate_no, "
               "p.kandas_certificate_date, p.birth_date")
CASE_SQL = ("SELECT c.id, c.number, c.kind, c.status, c.quota_year, c.created_at, c.origin_kato, c.destination_kato, "
            "c.housing, c.has_job_offer, c.has_business_plan, c.version, c.office_code, " + PERSON_COLS +
            ", c.legal_representative, c.representative_basis, c.applicant_id"
            " FROM cases c JOIN person p ON p.id = c.applicant_id")
_APPLICANT = 22  # c.applicant_id in a CASE_SQL row
# Whose paper (the applicant's: no person, or the applicant) is told in Python from the case rows:
# joining every paper to its case cost a lookup in the cases' index per paper (issue 17 §4).
DOCS_SQL = "SELECT d.case_id, d.doc_type, d.issued_on, d.expires_on, d.person_id FROM document d"
FAMILY_SQL = ("SELECT fm.case_id, " + PERSON_COLS + " FROM family_member fm JOIN person p ON p.id = fm.person_id")
# Ids are stored by ids.to_db (issue 17 §1). Inside a FactSource every case id is the stored
# form (the rows join on it, no conversion per row); ids given by the caller are bound in their
# stored form, and only CaseFacts.case_id is turned back into text (ids.from_db, once per case).


class _Days(dict[Any, "date | None"]):
    """Stored day text -> date, each distinct text parsed once: 100,000 cases hold a few
    thousand distinct dates (issue 17 §4). Bounded: a timestamp column misses, it never grows."""

    def __missing__(self, value: Any) -> date | None:
        if value is None or value == "":
            day = None
        elif isinstance(value, date):
            day = value
        else:
            day = date.fromisoformat(str(value)[:10])
        if len(self) < 1 << 16:
            self[value] = day
        return day


_DAYS = _Days()


def _day(value: Any) -> date | None:
    return _DAYS[value]


def _person(row: Sequence[Any], at: int) -> PersonFacts:
    """The PersonFacts of ``row[at:at + 7]`` (PERSON_COLS) built as ``rules.base.record`` builds
    it, without its check that every field is given (they are, here: tests/unit/eligibility
    compare with the constructor): 275,000 people per `check --all` (issue 17 §4)."""
    days = _DAYS
    obj = _NEW(PersonFacts)
    _SET(obj, "__dict__", {"iin": row[at], "citizenship": row[at + 1] or "citizen", "registered_since": days[row[at + 2]],
                           "employment_status": row[at + 3], "kandas_certificate_no": row[at + 4],
                           "kandas_certificate_date": days[row[at + 5]], "birth_date": days[row[at + 6]]})
    return obj


_NEW, _SET = object.__new__, object.__setattr__


def _grouped(rows: list[Any]) -> dict[Any, list[Any]]:
    """Rows by their first column (a case id), in the order read."""
    out: dict[Any, list[Any]] = {}
    for row in rows:
        found = out.get(row[0])
        if found is None:
            out[row[0]] = [row]
        else:
            found.append(row)
    return out


_last = itemgetter(-1)  # the order key each grouped row ends with


def _stored_order(row: Sequence[Any]) -> tuple[bool, Any]:
    """Case rows in id order; an id kept as text (not a canonical UUID) after the 16-byte ones."""
    return isinstance(row[0], str), row[0]


Span = tuple[bytes, bytes]  # the first and last stored id of a run of cases in the stored order


def span_of(case_ids: list[Any]) -> Span | None:
    """The range of stored ids these cases (every case between them, in the stored order) span;
    None when an end is an id kept as text: SQLite orders text before blobs, ``_stored_order``
    after them, so only a run of 16-byte ids is the same run to both."""
    if not case_ids:
        return None
    first, last = to_db(case_ids[0]), to_db(case_ids[-1])
    return (first, last) if isinstance(first, bytes) and isinstance(last, bytes) else None


def _where(column: str, ids: list[Any] | None, span: Span | None) -> list[tuple[str, Sequence[Any]]]:
    """The WHERE clauses (and their parameters) that read these cases' rows: all of them (no
    ids), a range of stored ids, or the ids in lists (SQLite limits a statement's parameters)."""
    if span is not None:
        return [(f" WHERE {column} BETWEEN ? AND ?", span)]
    if ids is None:
        return [("", ())]
    return [(f" WHERE {column} IN ({','.join('?' * len(part))})", part) for part in in_lists(ids)]


class FactSource(QuotaSource):
    """``previous``: the source of the run's batch before (each batch reads in its own transaction,
    eligibility.recheck_open_counts): its places, settlement lists, quota facts and papers are
    taken over when the database still says the same, so the batch's rule memo (rules/engine.Batch)
    finds them as the very same objects instead of comparing equal ones (issue 17 §4)."""

    def __init__(self, session: Session | Rows, *, today: date | None = None, previous: FactSource | None = None,
                 office: str | None = None, whole: bool = False) -> None:
        # The DB-API connection of the session's transaction (or a worker process's own read
        # connection, given with the ``office``): 100,000 rows come back as plain tuples, without
        # a SQLAlchemy Row each (issue 17 §4).
        self.con: Any = dbapi_rows(session)
        self.today = today or date.today()
        if office is None:  # a worker process is given it: it imports no table class
            from migreg_desktop.accounts.office import current_office_code

            office = current_office_code(session=session) or ""  # type: ignore[arg-type]
        self.office = office
        # ``whole``: the parts of one check read one unchanging state (bulk_check.py: under the
        # write lock), so the duplicate and earlier cases are read whole once, not by each
        # part's IINs (0.14 s against 1.4 s of lookups at 100,000 cases).
        self._whole: tuple[Any, Any] | None = None
        self.whole = whole
        self._place_rows = self._sql(
            "SELECT kato, level, parent_kato, significance, settlement_type, name_kk, name_ru FROM territory")
        self._list_rows = self._sql("SELECT year, kato, kind, potential, fixed_on FROM settlement_list_entry")
        self._load_quotas()
        same = previous is not None and previous._place_rows == self._place_rows
        self.places: dict[str, Place] = previous.places if same and previous else self._load_places(self._place_rows)
        self._params: dict[int, Params] = {}
        self._lists: dict[int, tuple[date | None, dict[str, ListedSettlement]]] = \
            previous._lists if previous and previous._list_rows == self._list_rows else \
            self._load_lists(self._list_rows)
        self._quota_state = (self.office, self.quotas, self.allotments, self._ledger_mark)
        kept = same and previous is not None and previous._quota_state == self._quota_state
        self._quota_of: dict[tuple[str, int, str], tuple[int | None, QuotaFacts]] = \
            previous._quota_of if kept and previous else {}
        if kept and previous:
            self._reserved = previous._reserved
        self._papers: dict[tuple[Any, ...], DocumentFacts] = previous._papers if previous else {}

    def _sql(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self.con.execute(sql, tuple(params)).fetchall())

    # ---- reference data ----------------------------------------------------------------------
    @staticmethod
    def _load_places(found: list[Any]) -> dict[str, Place]:
        rows = {r[0]: r for r in found}

        def region(kato: str) -> str | None:
            seen = 0
            while kato in rows and rows[kato][1] != "region" and seen < 12:
                kato, seen = rows[kato][2], seen + 1
            return kato if kato in rows and rows[kato][1] == "region" else None

        places = {}
        for kato, r in rows.items():
            reg = region(kato)
            names = {"kk": r[5], "ru": r[6]}
            region_names = {"kk": rows[reg][5], "ru": rows[reg][6]} if reg else {}
            places[kato] = Place(kato=kato, level=r[1], region=reg, significance=r[3], settlement_type=r[4],
                                 names=names, region_names=region_names)
        return places

    def params(self, year: int) -> Params:
        if year not in self._params:
            values = self._year_values("rule_parameters", year)
            lists = self._year_values("designated_regions", year)
            designated = {k: frozenset(v) for k, v in lists.items()}
            rated = self._year_values("settlement_potential", year)
            potential = {k: str(v) for k, v in rated.items() if not k.startswith("_")}
            self._params[year] = Params(year=year, values=values, designated=designated, potential=potential,
                                        potential_sample=bool(rated.get("_sample")))
        return self._params[year]

    def _year_values(self, dataset: str, year: int) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._sql(
            "SELECT key, value FROM reference_value WHERE dataset = ? AND year = ?", (dataset, year))}

    @staticmethod
    def _load_lists(rows: list[Any]) -> dict[int, tuple[date | None, dict[str, ListedSettlement]]]:
        lists: dict[int, dict[str, ListedSettlement]] = defaultdict(dict)
        for year, kato, kind, potential, fixed in rows:
            lists[year][kato] = ListedSettlement(year, kato, kind, potential, _day(fixed))
        return {y: (max((e.fixed_on for e in v.values() if e.fixed_on), default=None), v) for y, v in lists.items()}

    # ---- cases -------------------------------------------------------------------------------
    def case_rows(self, case_ids: list[str] | None, span: Span | None = None) -> list[Any]:
        if case_ids is None:  # in id order, sorted here: SQLite would walk the id index and jump to each row
            return sorted(self._sql(CASE_SQL), key=_stored_order)
        out: list[Any] = []
        # their stored form (ids.py), bound as such
        for where, params in _where("c.id", [] if span else [to_db(i) for i in case_ids], span):
            out += self._sql(CASE_SQL + where, params)
        return out

    def case_ids(self) -> list[Any]:
        """Every case's id in its stored form (ids.to_db), in the stored order: the parts of a
        shared check are runs of these, bound as they are (none turned into text: 0.1 s at
        100,000 cases before any part could be handed out)."""
        return [r[0] for r in sorted(self._sql("SELECT id FROM cases"), key=_stored_order)]

    def facts(self, case_ids: list[str] | None = None, span: Span | None = None) -> Iterator[tuple[CaseFacts, int]]:
        """(facts, case version) for the given cases (all cases when ``case_ids`` is None).
        ``span``: ``span_of(case_ids)`` when they are every case from the first to the last
        in the stored order (a part of `check --all`): read by range, not by lists of ids."""
        rows = self.case_rows(case_ids, span)
        ids = None if case_ids is None else [r[0] for r in rows]
        family = self._family(ids, span)
        docs = self._documents(ids, {r[0]: r[_APPLICANT] for r in rows}, span)
        duplicates, earlier = self._others(None if ids is None or self.whole else self._iins(rows, family))
        met = {cid for cid, members in family.items() for m in members if m.iin in earlier} if earlier else set()
        held = self._held(ids)
        for r in rows:
            yield self._case_facts(r, family, duplicates, earlier, met, docs.get(r[0], ()), held), int(r[11])

    def _others(self, iins: list[str] | None) -> tuple[dict[tuple[str, str], list[tuple[str, str]]],
                                                      dict[str, list[tuple[str, str, str]]]]:
        """The open cases by (IIN, kind) and the earlier cases by IIN: of these IINs, or all."""
        if iins is not None:
            return self._duplicates(iins), self._earlier(iins)
        if not self.whole:
            return self._duplicates(None), self._earlier(None)
        if self._whole is None:
            self._whole = (self._duplicates(None), self._earlier(None))
        return self._whole

    def _family(self, ids: list[str] | None, span: Span | None = None) -> dict[Any, tuple[PersonFacts, ...]]:
        rows: list[Any] = []
        for where, params in _where("fm.case_id", ids, span):
            rows += self._sql(FAMILY_SQL.replace(" FROM ", ", fm.position FROM ", 1) + where, params)
        # by position ("family member {n}" in reasons): a few families out of 100,000 need sorting,
        # where an ORDER BY over every row costs a temporary b-tree (issue 17 §4)
        return {cid: tuple([_person(r, 1) for r in (found if len(found) == 1 else sorted(found, key=_last))])
                for cid, found in _grouped(rows).items()}

    def _documents(self, ids: list[str] | None, applicants: dict[Any, Any],
                   span: Span | None = None) -> dict[Any, tuple[DocumentFacts, ...]]:
        """Each case's papers; ``applicants``: each case's applicant id (both in their stored form)."""
        rows: list[Any] = []
        for where, params in _where("d.case_id", ids, span):
            # hex(): one type of order key whatever the id's stored form (issue 17 §1)
            rows += self._sql(DOCS_SQL.replace(" FROM ", ", hex(d.id) FROM ", 1) + where, params)
        # One record per distinct paper (type, dates, whose): a third as many as papers, and the
        # batch's rule memo then compares equal papers by identity (issue 17 §4).
        same = self._papers

        def paper(row: tuple[Any, ...]) -> DocumentFacts:
            whose = row[4]
            key = (row[1], row[2], row[3], whose is None or whose == applicants.get(row[0]))
            doc = same.get(key)
            if doc is None:
                doc = same[key] = record(DocumentFacts, doc_type=row[1], issued_on=_DAYS[row[2]],
                                         expires_on=_DAYS[row[3]], applicant=key[3])
            return doc

        return {cid: tuple([paper(r) for r in (found if len(found) == 1 else sorted(found, key=_last))])
                for cid, found in _grouped(rows).items()}  # by id, as before: the first expired paper is named

    @staticmethod
    def _iins(rows: list[Any], family: dict[Any, tuple[PersonFacts, ...]]) -> list[str]:
        found = {r[13] for r in rows if r[13]}
        found |= {m.iin for members in family.values() for m in members if m.iin}
        return sorted(found)

    def _duplicates(self, iins: list[str] | None) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """The open cases by (IIN, kind): of these IINs, or of every IIN that more than one case
        (of any status) has: a case alone with its IIN has no other, and leaving the 60,000 of
        them out spares as many rows (issue 17 §4)."""
        inactive = ",".join(f"'{s}'" for s in sorted(INACTIVE))
        sql = f"SELECT applicant_iin, kind, id, number FROM cases WHERE status NOT IN ({inactive}) AND applicant_iin IS NOT NULL"
        out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for part in ([None] if iins is None else list(in_lists(iins))):
            # (by the IIN alone: its index answers without reading a case)
            extra = " AND applicant_iin IN (SELECT applicant_iin FROM cases WHERE applicant_iin IS NOT NULL " \
                    "GROUP BY applicant_iin HAVING count(*) > 1)" if part is None else \
                f" AND applicant_iin IN ({','.join('?' * len(part))})"
            for iin, kind, cid, number in self._sql(sql + extra, part or ()):
                out[(iin, kind)].append((cid, number))
        return out

    def _earlier(self, iins: list[str] | None) -> dict[str, list[tuple[str, str, str]]]:
        """Cases that may have received support (moved/closed …), by the IINs of their people."""
        statuses = ("included", "moved", "closed")
        marks = ",".join("?" * len(statuses))
        # "{s}" is "+" for a few IINs: the unary plus keeps SQLite from scanning by status instead
        # of looking the IINs up (one check stays within milliseconds on 100,000 cases).
        sql = (f"SELECT c.applicant_iin, c.id, c.number, c.status FROM cases c WHERE {{s}}c.status IN ({marks}) "
               f"AND c.applicant_iin IS NOT NULL {{a}} UNION ALL "
               f"SELECT p.iin, c.id, c.number, c.status FROM person p JOIN family_member fm ON fm.person_id = p.id "
               f"JOIN cases c ON c.id = fm.case_id WHERE {{s}}c.status IN ({marks}) AND p.iin IS NOT NULL {{b}}")
        out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        args: tuple[str, ...]
        for part in ([None] if iins is None else list(in_lists(iins))):
            if part is None:
                query, args = sql.format(a="", b="", s=""), statuses * 2
            else:
                q = ",".join("?" * len(part))
                query = sql.format(a=f"AND c.applicant_iin IN ({q})", b=f"AND p.iin IN ({q})", s="+")
                args = (*statuses, *part, *statuses, *part)
            for iin, cid, number, status in self._sql(query, args):
                out[iin].append((cid, number, status))
        return out

    def _case_facts(self, r: Sequence[Any], family: dict[Any, tuple[PersonFacts, ...]],
                    duplicates: dict[tuple[str, str], list[tuple[str, str]]],
                    earlier: dict[str, list[tuple[str, str, str]]], met: set[Any],
                    documents: tuple[DocumentFacts, ...], held: dict[Any, tuple[int, int]]) -> CaseFacts:
        """One case's facts, built as ``rules.base.record`` builds them (every field given): the
        bulk check builds 100,000 (issue 17 §4). ``met``: the cases with a family member in
        ``earlier``; ``held``: the places cases hold (``QuotaSource._held``)."""
        stored, kind, year, iin = r[0], r[2], int(r[4]), r[13]
        members = family.get(stored, ())
        places = self.places
        dest = places.get(r[7])
        fixed_on, listed = self._lists.get(year, _NO_LIST)
        dup: tuple[str, ...] = ()
        if iin and (same := duplicates.get((iin, kind))) and (len(same) > 1 or same[0][0] != stored):
            dup = tuple([n for cid, n in same if cid != stored])
        prior: tuple[EarlierCase, ...] = ()
        if earlier and (iin in earlier or stored in met):  # most cases have no earlier case
            hits = [p for p in (iin, *[m.iin for m in members]) if p and p in earlier]
            prior = tuple([EarlierCase(n, s, p) for p in hits for cid, n, s in earlier[p] if cid != stored])
        created = r[5]
        obj = _NEW(CaseFacts)
        _SET(obj, "__dict__", {
            "case_id": from_db(stored), "number": r[1], "kind": kind, "quota_year": year,
            "applied_on": _DAYS[created[:10] if isinstance(created, str) else created] or self.today,
            "today": self.today, "office_code": r[12], "applicant": _person(r, 13), "family": members,
            "origin": places.get(r[6]), "destination": dest, "housing": r[8],
            "has_job_offer": bool(r[9]), "has_business_plan": bool(r[10]), "list_exists": bool(listed),
            "list_fixed_on": fixed_on, "listed": listed.get(dest.kato) if dest else None, "duplicates": dup,
            "earlier": prior, "quota": self._quota(stored, kind, year, dest, held), "documents": documents,
            "legal_representative": r[20] or None, "representative_basis": r[21] or None,
            "origin_listed": listed.get(r[6]) if r[6] else None})
        return obj

_NO_LIST: tuple[date | None, dict[str, ListedSettlement]] = (None, {})
