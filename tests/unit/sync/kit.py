"""Two offices in two data dirs for sync tests (in-process CLI), dumps, and bulk demo rows."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from migreg_desktop import i18n
from migreg_desktop.rules import iin as iin_rules

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def json(self) -> Any:
        return json.loads(self.out)


class Office:
    """One office's data dir; ``run`` calls `migreg --data-dir DIR …` in this process."""

    def __init__(self, root: Path, code: str, capsys: Any) -> None:
        self.code, self.dir, self.capsys = code, root / code, capsys

    def run(self, *args: str, lang: str = "en") -> Result:
        from migreg_desktop.cli import main

        self.capsys.readouterr()
        code = main(["--data-dir", str(self.dir), "--lang", lang, *args])
        out = self.capsys.readouterr()
        i18n.set_language("en")
        return Result(code, out.out, out.err)

    def ok(self, *args: str) -> Any:
        r = self.run(*args, "--json")
        assert r.code == 0, (args, r.err, r.out)
        return r.json

    @property
    def db(self) -> Path:
        return self.dir / "migreg.sqlite3"

    def dump(self) -> str:
        """A digest of every row of every table (what "exactly as before" means)."""
        con = sqlite3.connect(self.db)
        try:
            h = hashlib.sha256()
            # Every stored table, the search index's shadow tables included; not the contentless
            # FTS5 table itself, which cannot be read row by row (0850_contentless_search).
            for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"):
                h.update(sql.encode())
                if not sql.startswith(("CREATE VIRTUAL TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX",
                                       "CREATE TRIGGER", "CREATE VIEW")):
                    for row in con.execute(f'SELECT * FROM "{name}"'):
                        h.update(repr(row).encode())
            return h.hexdigest()
        finally:
            con.close()

    def engine(self):  # noqa: ANN201
        from migreg_desktop.storage.db import make_engine

        return make_engine(self.db)


def setup_office(root: Path, code: str, capsys: Any) -> Office:
    office = Office(root, code, capsys)
    office.ok("init", "--office", code)
    office.ok("keys", "init")
    return office


def make_pair(tmp_path: Path, capsys: Any, factory: Any) -> tuple[Office, Office]:
    """A district (ALM-KNV) and the oblast office (ALM-OBL), keys made and trusted both ways,
    under ``tmp_path``: built once per test process and copied (tests/snapshots.py)."""
    from tests.snapshots import copied

    def build(root: Path) -> None:
        district, oblast = setup_office(root, "ALM-KNV", capsys), setup_office(root, "ALM-OBL", capsys)
        trust_each_other(district, oblast, root)

    copied("pair", build, tmp_path, factory)
    return Office(tmp_path, "ALM-KNV", capsys), Office(tmp_path, "ALM-OBL", capsys)


def trust_each_other(a: Office, b: Office, root: Path) -> None:
    for x, y in ((a, b), (b, a)):
        pub = root / f"{x.code}.pub"
        x.ok("keys", "export", "--out", str(pub))
        y.ok("keys", "trust", str(pub), "--office", x.code)


def case_doc(n: int, kind: str = "resettler") -> dict[str, Any]:
    """The example case with synthetic, unique IINs (never real people's numbers)."""
    doc = json.loads((EXAMPLES / f"case-{kind}.json").read_text(encoding="utf-8"))
    people = [doc["applicant"], *doc["family"]]
    for k, person in enumerate(people):
        birth = date.fromisoformat(person["birth_date"])
        serial = 1000 + n * 20 + k * 2
        person["iin"] = iin_rules.make(birth, person["sex"], serial) or iin_rules.make(birth, person["sex"], serial + 1)
    return doc


def add_case(office: Office, tmp: Path, n: int, kind: str = "resettler") -> dict[str, Any]:
    path = tmp / f"case-{office.code}-{n}.json"
    path.write_text(json.dumps(case_doc(n, kind), ensure_ascii=False), encoding="utf-8")
    return office.ok("case", "add", "--file", str(path), "--confirm")


def flip(src: Path, dst: Path, pos: int) -> None:
    data = bytearray(src.read_bytes())
    data[pos] ^= 0x01
    dst.write_bytes(bytes(data))


NAMES = ["Әлия", "Ерлан", "Айгүл", "Нұрсұлтан", "Қайрат", "Гүлнар", "Бауыржан", "Дана"]
SURNAMES = ["Құрманғазы", "Оралбаев", "Сейітов", "Жұмабаева", "Ахметов", "Қасымова"]


def bulk_cases(db_file: Path, office: str, n: int, seed: int = 1, family: int = 2) -> None:
    """Insert ``n`` plausible cases with families straight into SQLite (fast fixture data)."""
    rnd = random.Random(seed)
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA foreign_keys=ON")
    now = "2026-11-24 10:00:00.000000"
    persons, cases, members, docs, statuses = [], [], [], [], []
    start = con.execute("SELECT COALESCE(MAX(last), 0) FROM case_counter WHERE office_code = ?", (office,)).fetchone()[0]
    for i in range(n):
        cid = str(uuid.UUID(int=rnd.getrandbits(128)))
        ids = [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in range(family + 1)]
        for k, pid in enumerate(ids):
            birth = date(1960, 1, 1) + timedelta(days=rnd.randrange(20000))
            sex = rnd.choice("MF")
            persons.append((pid, iin_rules.make(birth, sex, rnd.randrange(1, 9999)), rnd.choice(SURNAMES),
                            rnd.choice(NAMES), birth.isoformat(), sex, "citizen", office, 1, 0, now))
            if k:
                members.append((str(uuid.UUID(int=rnd.getrandbits(128))), cid, pid, "child", k, 1, now))
        cases.append((cid, f"{office}-2026-{start + i + 1:06d}", office, "resettler", "draft", ids[0], "194230100",
                      "550000000", 2026, "in_person", 0, 0, f"{SURNAMES[0]} {NAMES[0]}", family + 1, now, now,
                      office, 1, 0))
        docs.append((str(uuid.UUID(int=rnd.getrandbits(128))), cid, "application", "2026-03-02", 1, now))
        statuses.append((str(uuid.UUID(int=rnd.getrandbits(128))), cid, "draft", now, "bulk"))
    with con:
        con.executemany("INSERT INTO person (id, iin, surname, name, birth_date, sex, citizenship, owner_office, "
                        "version, base_version, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", persons)
        con.executemany("INSERT INTO cases (id, number, office_code, kind, status, applicant_id, origin_kato, "
                        "destination_kato, quota_year, channel, has_job_offer, has_business_plan, applicant_name, "
                        "family_size, created_at, updated_at, owner_office, version, base_version) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cases)
        con.executemany("INSERT INTO family_member (id, case_id, person_id, relation, position, version, updated_at) "
                        "VALUES (?,?,?,?,?,?,?)", members)
        con.executemany("INSERT INTO document (id, case_id, doc_type, issued_on, version, updated_at) "
                        "VALUES (?,?,?,?,?,?)", docs)
        con.executemany("INSERT INTO status_change (id, case_id, to_status, at, by_user) VALUES (?,?,?,?,?)", statuses)
        con.execute("INSERT INTO case_counter (office_code, year, last) VALUES (?, 2026, ?) ON CONFLICT DO UPDATE "
                    "SET last = excluded.last", (office, start + n))
    con.close()
