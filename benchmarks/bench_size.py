"""Bytes per case of a demo database (issue 17 §1: ≤ 2.5 KB per case at 100,000 cases).

Generates N demo cases into a fresh data dir with the program's own CLI (``migreg init``, then
``migreg demo --cases N``), copies the file with ``VACUUM INTO`` and divides its size by N. Per
table and index sizes come from SQLite's ``dbstat`` (when the library has it).

Raw baseline, same run: the five data tables' rows alone (persons, cases, family members,
documents, status history), with no index, no search index and no sync bookkeeping — what the
facts cost before any way of finding or exchanging them.

``--compare DIR`` also measures another source tree (e.g. an export of the previous commit:
``git archive OLD | tar -x -C DIR``) with the same N and seed, and ``--upgrade`` then opens a
copy of that older database with this tree's program (its migrations convert it in place, after
the backup the program makes) and measures it again.

    python benchmarks/bench_size.py [--cases 20000] [--compare DIR] [--upgrade] [--root DIR]
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


def make_demo(code: Path, data_dir: Path, n: int) -> float:
    shutil.rmtree(data_dir, ignore_errors=True)
    cli(code, data_dir, "init", "--office", "ALM-KNV")
    t = time.perf_counter()
    cli(code, data_dir, "demo", "--cases", str(n))
    return time.perf_counter() - t


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


def raw_baseline(db: Path, out: Path) -> int:
    """Only the data tables' rows: copied with CREATE TABLE … AS SELECT (no key, no index)."""
    out.unlink(missing_ok=True)
    con = sqlite3.connect(out)
    con.execute("ATTACH DATABASE ? AS src", (str(db),))
    for table in DATA_TABLES:
        con.execute(f"CREATE TABLE main.{table} AS SELECT * FROM src.{table}")
    con.commit()
    con.execute("DETACH DATABASE src")
    con.execute("VACUUM")
    con.close()
    return out.stat().st_size


def group(name: str) -> str:
    if name.startswith(("sync_", "ix_sync_", "sqlite_autoindex_sync_")):
        return "sync bookkeeping"
    if name.startswith("cases_fts"):
        return "search index (FTS)"
    if name in DATA_TABLES:
        return "data tables"
    if name.startswith(("ix_", "sqlite_autoindex")):
        return "indexes of data tables"
    return "everything else"


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
    ap.add_argument("--compare", type=Path, help="another source tree to measure the same way")
    ap.add_argument("--upgrade", action="store_true", help="convert the --compare database with this tree")
    ap.add_argument("--root", type=Path, help="keep the data dirs here (default: a temporary folder)")
    a = ap.parse_args()
    work = a.root or Path(tempfile.mkdtemp(prefix="bench-size-"))
    work.mkdir(parents=True, exist_ok=True)
    n = a.cases
    print(f"{n:,} demo cases; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine: "
          "sizes are exact, times are not)")
    seconds = make_demo(ROOT, work / "this", n)
    print(f"this tree: demo in {seconds:.1f} s")
    mine = report("this tree", work / "this" / "migreg.sqlite3", n, work)
    raw = raw_baseline(work / "this" / "migreg.sqlite3", work / "raw.sqlite3")
    print(f"\nraw baseline (data tables' rows only): {raw / n:,.0f} bytes per case; "
          f"this tree / raw = {mine / raw:.2f}")
    if a.compare:
        seconds = make_demo(a.compare.resolve(), work / "other", n)
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
