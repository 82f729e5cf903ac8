"""Synthetic, realistic cases for demos and benchmarks (`migreg demo --cases N`).

Included, moved and closed demo cases hold their quota places (``demo_quota``, issue 15).

Bulk path on purpose: 100,000 cases with families (≈ 1.2 M rows) are written with executemany
in one transaction, not through register_case, so the demo takes seconds, not hours. The rows
are the same shape the services write (numbers, denormalised columns, FTS index, history).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from migreg_desktop.accounts import permissions
from migreg_desktop.cases import demo_names as names
from migreg_desktop.cases.demo_quota import DemoLedger
from migreg_desktop.ids import uuid7
from migreg_desktop.rules.iin import make as make_iin
from migreg_desktop.storage.search import search_text, tokens, transliterate

DESTINATIONS = {  # reference.md: designated regions (Gov decree No. 83, as amended ⚠)
    "kandas": ("100000000", "110000000", "230000000", "270000000", "390000000", "550000000",
               "590000000", "630000000"),
    "resettler": ("100000000", "350000000", "390000000", "550000000", "590000000", "620000000",
                  "630000000"),
}
STATUS_PATHS = (
    ("draft",), ("draft", "submitted"), ("draft", "submitted", "forwarded"),
    ("draft", "submitted", "forwarded", "included"), ("draft", "submitted", "refused"),
    ("draft", "submitted", "forwarded", "included", "moved"),
    ("draft", "submitted", "forwarded", "included", "moved", "closed"), ("draft", "withdrawn"),
)
NOT_INCLUDED = tuple(p for p in STATUS_PATHS if "included" not in p)
RELATION_PLAN = ("spouse", "child", "child", "child", "parent", "child", "sibling")
TS = "%Y-%m-%d %H:%M:%S.000000"
BATCH = 2000

Progress = Callable[[int, int], None]


class _Maker:
    def __init__(self, rng: random.Random, origins: list[str], cities: list[str], ledger: DemoLedger) -> None:
        self.rng, self.origins, self.cities, self.ledger = rng, origins, cities, ledger
        self.serial = rng.randrange(10000)
        self.used_iins: set[str] = set()

    def iin(self, born: date, sex: str) -> str:
        while True:
            self.serial = (self.serial + 1) % 10000
            value = make_iin(born, sex, self.serial)
            if value and value not in self.used_iins:
                self.used_iins.add(value)
                return value

    def person(self, kazakh: bool, female: bool, born: date, surname: str, father: str,
               now: str, office: str) -> tuple[Any, ...]:
        pool = (names.KK_NAMES_F if female else names.KK_NAMES_M) if kazakh else \
               (names.RU_NAMES_F if female else names.RU_NAMES_M)
        first = self.rng.choice(pool)
        sur = names.female_surname(surname) if female else surname
        sex = "F" if female else "M"
        patr = names.patronymic(father, female, kazakh)
        return (uuid7(), self.iin(born, sex), sur, first, patr, transliterate(f"{sur} {first}"),
                born.isoformat(), sex, "citizen", now, office)


def _birth(rng: random.Random, low: int, high: int) -> date:
    return date(rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))


def _territories(con: Any) -> tuple[list[str], list[str]]:
    origins = [r[0] for r in con.execute(
        "SELECT kato FROM territory WHERE kato LIKE '19%' AND level IN ('settlement','rural_okrug')")]
    cities = [r[0] for r in con.execute(
        "SELECT kato FROM territory WHERE kato LIKE '19%' AND level = 'city'")]
    return origins or ["190000000"], cities or ["190000000"]


def _offices(con: Any) -> list[str]:
    own = con.execute("SELECT value FROM meta WHERE key='office_code'").fetchone()
    role = con.execute("SELECT value FROM meta WHERE key='role'").fetchone()
    if own and (not role or role[0] != "oblast"):
        return [own[0]]
    return [r[0] for r in con.execute("SELECT code FROM office WHERE kind != 'oblast' ORDER BY code")]


def generate_demo(engine: Engine, n: int, seed: int = 1, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None, actor: Any = None) -> int:
    """Add ``n`` synthetic cases; returns how many were written (all, or none if cancelled).
    ``actor``: who asked (checked against ``demo.generate``); None for the program itself."""
    if actor is not None:
        permissions.require_on_file("demo.generate", actor, Path(str(engine.url.database)))
    rng = random.Random(seed)
    raw = engine.raw_connection()
    con: Any = raw.driver_connection  # the sqlite3 connection: the bulk path writes through the driver
    try:
        origins, cities = _territories(con)
        offices = _offices(con)
        counters = {(o, y): (con.execute("SELECT last FROM case_counter WHERE office_code=? AND year=?",
                                         (o, y)).fetchone() or (0,))[0]
                    for o in offices for y in (2024, 2025, 2026)}
        con.execute("BEGIN IMMEDIATE")
        maker = _Maker(rng, origins, cities, DemoLedger(con))  # the ledger as it is once locked
        maker.used_iins.update(r[0] for r in con.execute("SELECT iin FROM person WHERE iin IS NOT NULL"))
        tracked = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_suppress'").fetchone()
        if tracked:  # the exchange's change log is written set-based at the end (see below)
            con.execute("INSERT OR IGNORE INTO sync_suppress(flag) VALUES (1)")
        done = 0
        while done < n:
            if cancel and cancel():
                con.rollback()
                return 0
            size = min(BATCH, n - done)
            _write_batch(con, [_case(maker, rng, offices, counters) for _ in range(size)])
            maker.ledger.write()
            done += size
            if progress:
                progress(done, n)
        if tracked:
            from migreg_desktop.storage.triggers import log_untracked

            con.execute("DELETE FROM sync_suppress")
            log_untracked(con.cursor())
        con.execute("INSERT INTO cases_fts(cases_fts) VALUES ('optimize')")  # one segment: smaller (issue 17 §1)
        for (office, year), last in counters.items():
            con.execute("INSERT INTO case_counter(office_code, year, last) VALUES (?,?,?) "
                        "ON CONFLICT(office_code, year) DO UPDATE SET last=excluded.last", (office, year, last))
        con.commit()
        return n
    except BaseException:
        con.rollback()
        raise
    finally:
        raw.close()


def _case(maker: _Maker, rng: random.Random, offices: list[str], counters: dict[tuple[str, int], int]) -> dict[str, Any]:
    kind = rng.choices(("resettler", "kandas", "intra_oblast"), weights=(5, 2, 3))[0]
    office = rng.choice(offices)
    created = datetime(2024, 1, 9) + timedelta(seconds=rng.randrange(int(2.85 * 365 * 86400)))
    year = created.year
    counters[(office, year)] += 1
    number = f"{office}-{year}-{counters[(office, year)]:06d}"
    kazakh = rng.random() < 0.8
    surname = rng.choice(names.KK_SURNAMES_M if kazakh else names.RU_SURNAMES_M)
    father = rng.choice(names.KK_FATHERS if kazakh else names.RU_FATHERS)
    now = created.strftime(TS)
    applicant_female = rng.random() < 0.3
    applicant = maker.person(kazakh, applicant_female, _birth(rng, 1966, 2004), surname, father, now, office)
    family = []
    for i in range(rng.choices(range(7), weights=(30, 20, 20, 15, 8, 4, 3))[0]):
        relation = RELATION_PLAN[i]
        born = _birth(rng, 1960, 2004) if relation in ("spouse", "sibling") else \
            _birth(rng, 1945, 1965) if relation == "parent" else _birth(rng, 2006, 2025)
        female = (not applicant_female) if relation == "spouse" else rng.random() < 0.5
        # A sibling shares the applicant's father; a child of a man is named after him.
        member_father = father if relation == "sibling" else \
            applicant[3] if relation == "child" and not applicant_female else \
            rng.choice(names.KK_FATHERS if kazakh else names.RU_FATHERS)
        family.append((maker.person(kazakh, female, born, surname, member_father, now, office), relation))
    dest = rng.choice(maker.cities) if kind == "intra_oblast" else rng.choice(DESTINATIONS[kind])
    case_id, statuses = uuid7(), rng.choice(STATUS_PATHS)
    if "included" in statuses:  # Rules §2.6: included holds a place; no quota or no room → another path
        at = (created + timedelta(days=3 * statuses.index("included"))).strftime(TS)
        if not maker.ledger.place(case_id, office, kind, year, dest, 1 + len(family), at):
            statuses = rng.choice(NOT_INCLUDED)
    return {"id": case_id, "kind": kind, "office": office, "number": number, "year": year, "now": now,
            "created": created, "applicant": applicant, "family": family, "destination": dest,
            "origin": rng.choice(maker.origins), "statuses": statuses}


def _write_batch(con: Any, batch: list[dict[str, Any]]) -> None:
    persons, cases, members, docs, history, fts = [], [], [], [], [], []
    for c in batch:
        case_id, a = c["id"], c["applicant"]
        persons.append(a)
        persons.extend(p for p, _ in c["family"])
        full = f"{a[2]} {a[3]} {a[4]}"
        cases.append((case_id, c["number"], c["office"], c["kind"], c["statuses"][-1], a[0], c["origin"],
                       c["destination"], c["year"], "in_person", int(c["kind"] == "intra_oblast"),
                       "state_fund" if c["kind"] == "intra_oblast" else None, a[1], full,
                       1 + len(c["family"]), c["now"], c["now"], c["office"], c["office"]))
        for pos, (p, relation) in enumerate(c["family"]):
            members.append((uuid7(), case_id, p[0], relation, pos, c["now"]))
        docs.append((uuid7(), case_id, a[0], "identity_card", f"0{a[1][-8:]}", c["created"].date().isoformat(), c["now"]))
        # The paper of the kind that rule documents_valid asks for (issue 14; required_documents ⚠).
        paper = {"resettler": "address_certificate", "kandas": "kandas_certificate"}.get(c["kind"])
        if paper:
            docs.append((uuid7(), case_id, a[0], paper, f"D-{a[1][-6:]}", c["created"].date().isoformat(), c["now"]))
        prev = None
        for step, status in enumerate(c["statuses"]):
            at = (c["created"] + timedelta(days=3 * step)).strftime(TS)
            history.append((uuid7(), case_id, prev, status, at, "demo"))
            prev = status
        words = tokens(full, a[5], c["number"]) + [a[1]]
        for p, _ in c["family"]:
            words += tokens(p[2], p[3], p[4]) + [p[1]]
        fts.append((case_id, search_text(words)))
    con.executemany(
        "INSERT INTO person(id, iin, surname, name, patronymic, name_latin, birth_date, sex, citizenship,"
        " updated_at, owner_office, version, base_version) VALUES (id_db(?),?,?,?,?,?,?,?,?,?,?,1,0)", persons)
    con.executemany(
        "INSERT INTO cases(id, number, office_code, kind, status, applicant_id, origin_kato, destination_kato,"
        " quota_year, channel, has_job_offer, housing, applicant_iin, applicant_name, family_size, created_at,"
        " updated_at, owner_office, clerk, has_business_plan, version, base_version)"
        " VALUES (id_db(?),?,?,?,?,id_db(?),?,?,?,?,?,?,?,?,?,?,?,?,?,0,1,0)", cases)
    con.executemany("INSERT INTO family_member(id, case_id, person_id, relation, position, updated_at, version)"
                    " VALUES (id_db(?),id_db(?),id_db(?),?,?,?,1)", members)
    con.executemany("INSERT INTO document(id, case_id, person_id, doc_type, number, issued_on, updated_at, version)"
                    " VALUES (id_db(?),id_db(?),id_db(?),?,?,?,?,1)", docs)
    con.executemany("INSERT INTO status_change(id, case_id, from_status, to_status, at, by_user)"
                    " VALUES (id_db(?),id_db(?),?,?,?,?)", history)
    # Search rows of new cases: generation 0 under the case's rid (storage/search.py, 0850)
    con.executemany("INSERT INTO cases_fts(rowid, search_text) SELECT rowid, ? FROM cases "
                    "WHERE id = id_db(?)", [(text, cid) for cid, text in fts])
