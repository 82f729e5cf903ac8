"""Case search before and after 0850_contentless_search, paired in one run (issue 17 §1: fewer
bytes, searches not markedly slower).

``--old``: a database the previous program made (0800–0840: text or blob ids, the search index
with its words and a case id per row), searched with that program's statement; ``--new``: a copy
of it converted by this tree (open it once: `migreg --data-dir DIR case list --limit 1`),
searched with this tree's (storage/search.match_sql). Both must give the same cases in the same
order; medians of 9, alternating.

    python benchmarks/bench_search_upgrade.py --old /tmp/migreg-bench-100k/migreg.sqlite3 --new COPY/migreg.sqlite3
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migreg_desktop import ids  # noqa: E402
from migreg_desktop.storage.search import fts_query, match_sql  # noqa: E402

ORDER = " ORDER BY c.created_at DESC, c.rowid DESC"
OLD = "SELECT c.rowid FROM cases c WHERE c.id IN (SELECT case_id FROM cases_fts WHERE cases_fts MATCH ?)" + ORDER
NEW = f"SELECT c.rowid FROM cases c WHERE c.rowid IN ({match_sql('?')})" + ORDER


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True)
    ap.add_argument("--new", type=Path, required=True)
    a = ap.parse_args()
    old = sqlite3.connect(f"{a.old.resolve().as_uri()}?mode=ro", uri=True)
    new = sqlite3.connect(f"{a.new.resolve().as_uri()}?mode=ro", uri=True)
    ids.register_sql(new)
    name = new.execute("SELECT applicant_name FROM cases ORDER BY rowid LIMIT 1 OFFSET 5000").fetchone()[0]
    iin = new.execute("SELECT applicant_iin FROM cases ORDER BY rowid LIMIT 1 OFFSET 7000").fetchone()[0]
    words = name.split()
    queries = [words[0], words[0][:3], " ".join(words[:2]), iin[:4], "KNV-2025-0001", "595", "Kurman"]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'typed':<28}{'hits':>7}{'old ms':>9}{'new ms':>9}{'new/old':>9}")
    for q in queries:
        m = fts_query(q)
        t_old, t_new = [], []
        for _ in range(9):
            t = time.perf_counter()
            before = old.execute(OLD, (m,)).fetchall()
            t_old.append(time.perf_counter() - t)
            t = time.perf_counter()
            after = new.execute(NEW, (m,)).fetchall()
            t_new.append(time.perf_counter() - t)
        if before != after:
            sys.exit(f"«{q}»: {len(before)} cases before, {len(after)} after")
        mo, mn = statistics.median(t_old) * 1000, statistics.median(t_new) * 1000
        print(f"{q:<28}{len(after):>7}{mo:>9.1f}{mn:>9.1f}{mn / mo if mo else 0:>9.2f}")
    print("plan:", "; ".join(r[3] for r in new.execute("EXPLAIN QUERY PLAN " + NEW, ("x",))))


if __name__ == "__main__":
    main()
