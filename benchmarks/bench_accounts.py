"""Audit chain, verification, login and backup costs, each with a raw baseline from the same run.

- record: ``audit.record`` (insert + chain: read the previous hash, SHA-256, head in meta) per
  entry in its own transaction vs a raw sqlite3 INSERT of the same row per transaction;
- verify: ``audit verify`` over N entries vs a raw ``SELECT`` of the same columns;
- backup: online backup API copy (db.backup_copy: temp + fsync + rename) vs shutil.copyfile;
- login: Argon2id (RFC 9106 low-memory profile) per attempt, the deliberate cost of a guess.

    python benchmarks/bench_accounts.py [--entries 20000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migreg_desktop import paths
from migreg_desktop.accounts import accounts, audit, audit_chain  # noqa: E402
from migreg_desktop.refdata.setup import init_database  # noqa: E402
from migreg_desktop.storage import db  # noqa: E402
from migreg_desktop.storage.db import session_scope  # noqa: E402


def clock(fn) -> float:  # noqa: ANN001
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--records", type=int, default=500, help="one transaction each")
    args = parser.parse_args()
    paths.set_data_dir(tempfile.mkdtemp(prefix="bench-accounts-"))
    engine, _ = init_database("ALM-KNV")
    db_file = paths.db_path()

    def chained() -> None:
        for i in range(args.records):
            with session_scope(engine, actor="bench") as s:
                audit.record("update", "case", f"c{i}", {"notes": [None, "x"]}, session=s)
                s.flush()

    raw = sqlite3.connect(db_file)
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute("CREATE TABLE raw_audit AS SELECT * FROM audit_entry WHERE 0")

    def plain() -> None:
        for i in range(args.records):
            with raw:
                raw.execute("INSERT INTO raw_audit (at, user, office, action, entity, entity_id, changes)"
                            " VALUES (datetime('now'), 'bench', 'ALM-KNV', 'update', 'case', ?, '{}')",
                            (f"c{i}",))

    def unchained() -> None:  # the same ORM path with the chain switched off
        real = audit_chain.seal
        audit_chain.seal = lambda entry, *, session: None  # type: ignore[assignment]
        try:
            chained()
        finally:
            audit_chain.seal = real  # type: ignore[assignment]

    t_orm = clock(unchained)
    with engine.begin() as con:  # drop the unchained rows again: the chain must verify below
        con.exec_driver_sql("DELETE FROM audit_entry WHERE hash IS NULL")
    t_chain, t_raw = clock(chained), clock(plain)
    per = 1e3 / args.records
    print(f"record   {t_chain * per:7.3f} ms/entry (1 transaction each)  same without chain "
          f"{t_orm * per:7.3f} ms  ratio {t_chain / t_orm:4.2f}x  raw sqlite3 insert {t_raw * per:7.3f} ms"
          f"  ratio {t_chain / t_raw:5.1f}x")
    bulk = args.entries - args.records

    def in_one_transaction() -> None:  # an import: many entries, one transaction
        with session_scope(engine, actor="bench") as s:
            for i in range(bulk):
                audit.record("update", "case", f"b{i}", {"notes": [None, "y"]}, session=s)

    t_bulk = clock(in_one_transaction)
    print(f"record   {t_bulk / bulk * 1e3:7.3f} ms/entry in one transaction of {bulk}")
    report: list[audit_chain.ChainReport] = []
    t_verify = clock(lambda: report.append(audit_chain.verify_connection(raw.execute)))
    t_select = clock(lambda: raw.execute(f"SELECT {audit_chain.COLUMNS} FROM audit_entry").fetchall())
    n = report[0].entries
    print(f"verify   {n} entries {t_verify * 1e3:7.1f} ms ({n / t_verify:,.0f}/s)  raw select "
          f"{t_select * 1e3:6.1f} ms  ratio {t_verify / t_select:5.1f}x  ok={report[0].ok}")
    raw.close()
    engine.dispose()
    size = db_file.stat().st_size
    out = Path(tempfile.mkdtemp()) / "b.sqlite3"
    t_backup = clock(lambda: db.backup_copy(db_file, "bench", target=out))
    t_copy = clock(lambda: shutil.copyfile(db_file, out.with_suffix(".copy")))
    print(f"backup   {size / 1e6:6.1f} MB {t_backup * 1e3:7.1f} ms  file copy {t_copy * 1e3:6.1f} ms"
          f"  ratio {t_backup / t_copy:5.1f}x")
    hasher = accounts.hasher()
    digest = hasher.hash("password1")
    t_login = clock(lambda: hasher.verify(digest, "password1"))
    print(f"argon2id verify {t_login * 1e3:6.1f} ms per attempt (m={hasher.memory_cost} KiB, "
          f"t={hasher.time_cost}, p={hasher.parallelism})")


if __name__ == "__main__":
    main()
