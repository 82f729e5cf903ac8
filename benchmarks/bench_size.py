"""Bytes per case of a demo database (issue 17 §1: ≤ 2.5 KB per case at 100,000 cases).

Generates N demo cases into a fresh data dir with the program's own CLI (``migreg init``, then
``migreg demo --cases N``), copies the file with ``VACUUM INTO`` and divides its size by N. Per
table and index sizes come from SQLite's ``dbstat`` (when the library has it).

Raw baseline, same run: the five data tables' rows alone (persons, cases, family members,
documents, status history), with no index, no search index and no sync bookkeeping — what the
facts cost before any way of finding or exchanging them.

Then the query plan of one query the program runs for every index of the data tables (issue
17 §1: no index that no query uses): an index no query reads is flagged ``UNUSED``.

``--checked`` also checks every case (``migreg check --all``), as an office does: each case then
has its decision, whose rows count too; the raw baseline then holds the decisions' rows as well,
their results as plain text (migration 0880 stores them packed).

``--compare DIR`` also measures another source tree (e.g. an export of the previous commit:
``git archive OLD | tar -x -C DIR``) with the same N and seed, and ``--upgrade`` then opens a
copy of that older database with this tree's program (its migrations convert it in place, after
the backup the program makes) and measures it again.

    python benchmarks/bench_size.py [--cases 20000] [--checked] [--compare DIR] [--upgrade] [--root DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_TABLES = ("person", "cases", "family_member", "document", "status_change")
TARGET = 2500  # bytes per case


def cli(code: Path, data_dir: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run([sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir), *args, "--json"],
                   cwd=code, env=env, check=True, capture_output=True, text=True)


def make_demo(code: Path, data_dir: Path, n: int, checked: bool = False) -> float:
    shutil.rmtree(data_dir, ignore_errors=True)
    cli(code, data_dir, "init", "--office", "ALM-KNV")
    t = time.perf_counter()
    cli(code, data_dir, "demo", "--cases", str(n))
    seconds = time.perf_counter() - t
    if checked:
        t = time.perf_counter()
        cli(code, data_dir, "check", "--all")
        print(f"  check --all: {time.perf_counter() - t:.1f} s")
    return seconds


def vacuumed(db: Path, out: Path) -> int:
    out.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.execute("VACUUM INTO ?", (str(out),))
    con.close()
    return out.stat().st_size


def per_object(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    except sqlite3.OperationalError:  # SQLite built without SQLITE_ENABLE_DBSTAT_VTAB
        return {}
    finally:
        con.close()


def raw_baseline(db: Path, out: Path, checked: bool = False) -> int:
    """Only the data tables' rows: copied with CREATE TABLE … AS SELECT (no key, no index); with
    ``checked``, the decisions' rows too, their results as plain text."""
    sys.path.insert(0, str(ROOT))
    from migreg_desktop import ids  # packed_text(), id_text(): the stored forms read as text

    out.unlink(missing_ok=True)
    con = sqlite3.connect(out)
    ids.register_sql(con)
    con.execute("ATTACH DATABASE ? AS src", (str(db),))
    for table in DATA_TABLES:
        con.execute(f"CREATE TABLE main.{table} AS SELECT * FROM src.{table}")
    if checked:
        cols = [r[1] for r in con.execute("PRAGMA src.table_info(eligibility_decision)")]
        select = ", ".join("packed_text(results) AS results" if c == "results" else c for c in cols)
        con.execute(f"CREATE TABLE main.eligibility_decision AS SELECT {select} FROM src.eligibility_decision")
    con.commit()
    con.execute("DETACH DATABASE src")
    con.execute("VACUUM")
    con.close()
    return out.stat().st_size


def group(name: str) -> str:
    if name.startswith(("sync_", "ix_sync_", "sqlite_autoindex_sync_")):
        return "sync bookkeeping"
    if name.startswith("cases_fts") or name == "case_search":
        return "search index (FTS)"
    if name in DATA_TABLES:
        return "data tables"
    if name.startswith(("ix_", "sqlite_autoindex")):
        return "indexes of data tables"
    return "everything else"


# Every index of the data tables, with a query of the program that reads it (the statements come
# from a traced run of tests/unit and tests/integration; "?" stands for a bound value).
INDEX_QUERIES = {
    "sqlite_autoindex_cases_1": "SELECT * FROM cases WHERE id = ?",  # session.get(Case), every join on case_id
    "ix_cases_number": "SELECT c.rowid FROM cases c ORDER BY c.number ASC, c.rowid ASC",  # list sorted by number
    "ix_cases_created_at": "SELECT c.rowid FROM cases c ORDER BY c.created_at DESC, c.rowid DESC",  # the list
    "ix_cases_kind": "SELECT c.rowid FROM cases c WHERE c.kind = ? ORDER BY c.created_at DESC, c.rowid DESC",
    "ix_cases_status": "SELECT c.rowid FROM cases c WHERE c.status = ? ORDER BY c.created_at DESC, c.rowid DESC",
    "ix_cases_office_code": "SELECT c.kind, count(*), sum(c.family_size) FROM cases c WHERE c.office_code = ? "
                            "AND c.created_at >= ? AND c.created_at < ? GROUP BY c.kind",  # registers, statistics
    "ix_cases_destination_kato": "SELECT c.rowid FROM cases c WHERE c.destination_kato >= ? AND "
                                 "c.destination_kato < ? ORDER BY c.created_at DESC, c.rowid DESC",
    "ix_cases_applicant_iin": "SELECT rowid FROM cases WHERE applicant_iin = ?",  # an IIN typed in full
    "ix_cases_applicant_id": "SELECT id FROM cases WHERE applicant_id IN (?, ?)",  # import re-index, audit
    "ix_cases_monitoring": "SELECT office_code, kind, status, destination_kato, count(*), sum(family_size) "
                           "FROM cases WHERE quota_year = ? GROUP BY office_code, kind, status, destination_kato",
    "ix_cases_year_created": "SELECT count(*), sum(family_size) FROM cases WHERE quota_year = ? "
                             "AND created_at >= ? AND created_at < ?",  # monitoring's months
    "sqlite_autoindex_person_1": "SELECT * FROM person WHERE id = ?",
    "ix_person_iin": "SELECT id FROM person WHERE iin = ?",  # duplicates, active case of an IIN
    "sqlite_autoindex_family_member_1": "SELECT * FROM family_member WHERE id = ?",  # edit, export join
    "ix_family_member_case_id": "SELECT * FROM family_member WHERE case_id = ?",
    "ix_family_member_person_id": "SELECT case_id FROM family_member WHERE person_id IN (?, ?)",
    "sqlite_autoindex_document_1": "SELECT * FROM document WHERE id = ?",
    "ix_document_case_id": "SELECT * FROM document WHERE case_id = ?",
    "sqlite_autoindex_status_change_1": "SELECT * FROM status_change WHERE id = ?",
    "ix_status_change_case_id": "SELECT from_status, to_status FROM status_change WHERE case_id = ? ORDER BY at, id",
}


def plans(db: Path) -> int:
    """Print each data-table index with the plan of its query; returns how many no query reads."""
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
        f"({','.join('?' * len(DATA_TABLES))}) ORDER BY tbl_name, name", DATA_TABLES)]
    print("\nindexes of the data tables and the plan of a query that reads each:")
    unused = 0
    for name in names:
        sql = INDEX_QUERIES.get(name)
        detail = "; ".join(r[3] for r in con.execute(f"EXPLAIN QUERY PLAN {sql}", [None] * sql.count("?"))) \
            if sql else "no query known"
        ok = sql is not None and name in detail
        unused += not ok
        print(f"  {'ok    ' if ok else 'UNUSED'} {name:<34} {detail}")
    # The case list's search (contentless index, 0850): index rows → generation → case by rowid.
    sys.path.insert(0, str(ROOT))
    from migreg_desktop.storage.search import match_sql

    sql = f"SELECT c.rowid FROM cases c WHERE c.rowid IN ({match_sql('?')}) ORDER BY c.created_at DESC, c.rowid DESC"
    print(f"  search {'cases_fts':<34} " + "; ".join(r[3] for r in con.execute(f"EXPLAIN QUERY PLAN {sql}", ("x",))))
    con.close()
    return unused


def report(label: str, db: Path, n: int, work: Path) -> int:
    size = vacuumed(db, work / f"{label}.vacuumed.sqlite3")
    objects = per_object(work / f"{label}.vacuumed.sqlite3")
    print(f"\n{label}: {size / 1e6:.1f} MB after VACUUM, {size / n:,.0f} bytes per case "
          f"({'OK' if size / n <= TARGET else 'MISSED'}: ≤ {TARGET})")
    if objects:
        total = sum(objects.values())
        groups: dict[str, int] = {}
        for name, b in objects.items():
            groups[group(name)] = groups.get(group(name), 0) + b
        for g, b in sorted(groups.items(), key=lambda kv: -kv[1]):
            print(f"  {g:<26}{b / 1e6:8.1f} MB {b / n:7.0f} B/case {100 * b / total:5.1f} %")
        print("  largest objects:")
        for name, b in sorted(objects.items(), key=lambda kv: -kv[1])[:14]:
            print(f"    {name:<36}{b / 1e6:8.2f} MB {b / n:7.0f} B/case")
    return size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--checked", action="store_true", help="check every case first (a decision per case)")
    ap.add_argument("--compare", type=Path, help="another source tree to measure the same way")
    ap.add_argument("--upgrade", action="store_true", help="convert the --compare database with this tree")
    ap.add_argument("--root", type=Path, help="keep the data dirs here (default: a temporary folder)")
    a = ap.parse_args()
    work = a.root or Path(tempfile.mkdtemp(prefix="bench-size-"))
    work.mkdir(parents=True, exist_ok=True)
    n = a.cases
    print(f"{n:,} demo cases; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine: "
          "sizes are exact, times are not)")
    seconds = make_demo(ROOT, work / "this", n, a.checked)
    print(f"this tree: demo in {seconds:.1f} s")
    mine = report("this tree", work / "this" / "migreg.sqlite3", n, work)
    raw = raw_baseline(work / "this" / "migreg.sqlite3", work / "raw.sqlite3", a.checked)
    plans(work / "this" / "migreg.sqlite3")
    rows = "data tables' and decisions' rows" if a.checked else "data tables' rows only"
    print(f"\nraw baseline ({rows}): {raw / n:,.0f} bytes per case; this tree / raw = {mine / raw:.2f}")
    if a.compare:
        seconds = make_demo(a.compare.resolve(), work / "other", n, a.checked)
        print(f"\n{a.compare}: demo in {seconds:.1f} s")
        other = report("compared tree", work / "other" / "migreg.sqlite3", n, work)
        print(f"\nthis tree / compared tree = {mine / other:.2f}; compared / raw = {other / raw:.2f}")
        if a.upgrade:
            t = time.perf_counter()
            cli(ROOT, work / "other", "case", "list", "--limit", "1")  # opening upgrades (backup first)
            print(f"\nupgrade of the compared database by this tree: {time.perf_counter() - t:.1f} s; "
                  f"backups: {sorted(p.name for p in (work / 'other' / 'backups').glob('*'))}")
            report("compared, upgraded", work / "other" / "migreg.sqlite3", n, work)
    if not a.root:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
