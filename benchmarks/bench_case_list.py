"""Case list on a 100,000-case demo database: open, sort, IIN lookup, name search.

Each figure comes with a raw sqlite3 baseline measured in the same run (same rows, same index).
Targets (issue 3): open ≤ 100 ms; sort by any column ≤ 300 ms; IIN lookup ≤ 3× raw sqlite;
name search ≤ 3× a raw FTS5 query.

    python benchmarks/bench_case_list.py [--data-dir DIR] [--cases 100000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migreg_desktop import paths  # noqa: E402
from migreg_desktop.cases.case_list import SORT_SQL, CaseFilter, fetch_rows, query_rowids  # noqa: E402
from migreg_desktop.storage.db import session_scope  # noqa: E402
from migreg_desktop.storage.search import fts_query  # noqa: E402


def timed(fn, repeat: int = 7) -> float:
    """Median wall time in ms."""
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def ensure_db(data_dir: Path, n: int):  # noqa: ANN201
    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.refdata.setup import init_database, open_existing

    paths.set_data_dir(data_dir)
    if paths.db_path().exists():
        return open_existing()
    engine, _ = init_database("ALM-KNV")
    t = time.perf_counter()
    generate_demo(engine, n, seed=42)
    print(f"demo: {n} cases generated in {time.perf_counter() - t:.1f} s")
    return engine


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default="/tmp/migreg-bench-100k")
    ap.add_argument("--cases", type=int, default=100_000)
    args = ap.parse_args()
    engine = ensure_db(Path(args.data_dir), args.cases)
    raw = sqlite3.connect(paths.db_path())
    with session_scope(engine) as s:
        total = s.connection().exec_driver_sql("SELECT count(*) FROM cases").scalar_one()
        sample = s.connection().exec_driver_sql(
            "SELECT applicant_iin, applicant_name FROM cases ORDER BY rowid LIMIT 1 OFFSET 5000").one()
        print(f"database: {total} cases\n")
        rows = []

        def open_list() -> None:
            ids = query_rowids(CaseFilter(), db=s)
            fetch_rows(ids[:200], db=s)

        def raw_open() -> None:
            ids = [r[0] for r in raw.execute("SELECT rowid FROM cases ORDER BY created_at DESC, rowid DESC")]
            marks = ",".join(map(str, ids[:200]))
            raw.execute(f"SELECT * FROM cases WHERE rowid IN ({marks})").fetchall()

        rows.append(("open case list (ids + first page)", timed(open_list), timed(raw_open), "≤ 100 ms"))
        for key in SORT_SQL:
            expr = SORT_SQL[key].format(lang="ru")
            join = " LEFT JOIN territory t ON t.kato=c.destination_kato" if key == "destination" else ""
            rows.append((f"sort by {key}", timed(lambda k=key: query_rowids(CaseFilter(), k, False, db=s), 3),
                         timed(lambda e=expr, j=join: raw.execute(
                             f"SELECT c.rowid FROM cases c{j} ORDER BY {e}, c.rowid").fetchall(), 3), "≤ 300 ms"))
        iin = sample[0]
        rows.append(("IIN lookup", timed(lambda: query_rowids(CaseFilter(search=iin), db=s), 21),
                     timed(lambda: raw.execute("SELECT rowid FROM cases WHERE applicant_iin = ?", (iin,)).fetchall(), 21),
                     "≤ 3× raw"))
        name = sample[1].split()[0]
        match = fts_query(name)
        rows.append((f"name search «{name}»", timed(lambda: query_rowids(CaseFilter(search=name), db=s), 11),
                     timed(lambda: raw.execute(
                         # the index's own rowids, without the generation check (storage/search.match_sql)
                         "SELECT c.rowid FROM cases c WHERE c.rowid IN (SELECT rowid FROM cases_fts "
                         "WHERE cases_fts MATCH ?)"
                         " ORDER BY c.created_at DESC", (match,)).fetchall(), 11), "≤ 3× raw FTS5"))
    print(f"{'measure':<40}{'ours ms':>10}{'raw ms':>10}{'ratio':>8}  target")
    for label, ours, base, target in rows:
        print(f"{label:<40}{ours:>10.2f}{base:>10.2f}{ours / base if base else 0:>8.2f}  {target}")


if __name__ == "__main__":
    main()
