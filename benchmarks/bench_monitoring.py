"""Monitoring (issue 16 §1) on an oblast database of N demo cases, all in the measured year.

Figures: the service alone, `migreg monitoring --json` and `--xlsx` run in-process (database
opening, role checks and output included; Python's start-up is not), and the PDF for
information. Baseline: the same GROUP BY queries in raw sqlite3, measured in the same run.
Targets (issue 16): ≤ 1 s for --json and ≤ 5 s with --xlsx at 100,000 cases.

    python benchmarks/bench_monitoring.py [--data-dir DIR] [--cases 100000] [--year 2026]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migreg_desktop import paths  # noqa: E402
from migreg_desktop.storage.db import session_scope  # noqa: E402

RAW = [  # the two plain GROUP BYs a hand-written report would ask (the service counts months by ranges)
    "SELECT office_code, kind, status, destination_kato, count(*), sum(family_size) FROM cases "
    "WHERE quota_year = ? GROUP BY office_code, kind, status, destination_kato",
    "SELECT substr(datetime(created_at, '+300 minutes'), 1, 7) AS m, count(*), sum(family_size) FROM cases "
    "WHERE quota_year = ? GROUP BY m ORDER BY m",
]


def timed(fn, repeat: int = 5) -> float:  # noqa: ANN001
    """Median wall time in ms."""
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def ensure_db(data_dir: Path, n: int, year: int):  # noqa: ANN201
    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.refdata.setup import init_database, open_existing

    paths.set_data_dir(data_dir)
    if paths.db_path().exists():
        return open_existing()
    engine, _ = init_database("ALM-OBL")  # the Department: demo cases go to every district office
    t = time.perf_counter()
    generate_demo(engine, n, seed=42)
    with engine.begin() as con:  # every case in the measured year: the figure covers all N
        con.exec_driver_sql("UPDATE cases SET quota_year = ?", (year,))
    print(f"demo: {n} cases generated in {time.perf_counter() - t:.1f} s")
    return engine


def run_cli(*args: str) -> None:
    from migreg_desktop.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--data-dir", str(paths.data_dir()), "--lang", "ru", "monitoring", *args])
    if code != 0:
        raise SystemExit(f"monitoring {' '.join(args)} failed with exit code {code}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None, help="default: /tmp/migreg-bench-monitoring-<cases>")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--year", type=int, default=2026)
    args = ap.parse_args()
    data_dir = Path(args.data_dir or f"/tmp/migreg-bench-monitoring-{args.cases}")
    engine = ensure_db(data_dir, args.cases, args.year)
    from migreg_desktop.department import monitoring

    with session_scope(engine) as s:
        total = s.connection().exec_driver_sql("SELECT count(*) FROM cases WHERE quota_year = ?",
                                               (args.year,)).scalar_one()
    engine.dispose()
    print(f"database: {total} cases in {args.year}\n")
    raw = sqlite3.connect(paths.db_path())
    raw.execute("PRAGMA cache_size=-32000")  # as db._on_connect: the same cache as ours

    def raw_all() -> None:
        for sql in RAW:
            raw.execute(sql, (args.year,)).fetchall()

    def service() -> None:
        from migreg_desktop.refdata.setup import open_existing

        eng = open_existing()
        with session_scope(eng) as s:
            monitoring.monitoring(monitoring.make_filter(args.year, session=s), session=s)
        eng.dispose()

    base = timed(raw_all)
    out = Path(tempfile.mkdtemp(prefix="migreg-mon-"))
    rows = [
        ("service (open database + all tables)", timed(service), "—"),
        ("migreg monitoring --json", timed(lambda: run_cli("--year", str(args.year), "--json")), "≤ 1000 ms"),
        ("migreg monitoring --xlsx", timed(lambda: run_cli("--year", str(args.year), "--xlsx", str(out / "m.xlsx")), 3),
         "≤ 5000 ms"),
        ("migreg monitoring --pdf", timed(lambda: run_cli("--year", str(args.year), "--pdf", str(out / "m.pdf")), 3), "—"),
    ]
    print(f"{'measure':<40}{'ours ms':>10}{'raw ms':>10}{'ratio':>8}  target")
    for label, ours, target in rows:
        print(f"{label:<40}{ours:>10.1f}{base:>10.1f}{ours / base if base else 0:>8.2f}  {target}")
    print(f"\nraw: the {len(RAW)} GROUP BY queries in sqlite3 (no opening, no output)")
    if hasattr(os, "getloadavg"):  # a shared machine: the figures scale with its load
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
