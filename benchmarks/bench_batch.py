"""Batch status change and batch print (issue 15), each with baselines measured in the same run.

- status: ``batch_status.change_many`` over N cases in one unit of work, vs the same N changes
  one by one (``case_status.change_status``, one transaction each: what a clerk did before), vs a
  raw sqlite3 baseline (UPDATE + INSERT history per case, one transaction, no audit, no checks);
- print: ``forms.batch.render_cases`` (the receipt slip of M cases in one PDF) vs M single
  ``render_form`` calls into M files.

    python benchmarks/bench_batch.py [--cases 300] [--print 100]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from migreg_desktop import paths  # noqa: E402
from migreg_desktop.cases.demo import generate_demo  # noqa: E402
from migreg_desktop.eligibility import batch_status, case_status  # noqa: E402
from migreg_desktop.eligibility.watch import unit_of_work  # noqa: E402
from migreg_desktop.ids import register_sql  # noqa: E402
from migreg_desktop.refdata.setup import init_database  # noqa: E402
from migreg_desktop.storage.db import session_scope  # noqa: E402


def clock(fn) -> float:  # noqa: ANN001
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def draft_ids(engine, n: int) -> list[str]:  # noqa: ANN001
    with engine.connect() as con:
        return [r[0] for r in con.execute(text("SELECT id_text(id) FROM cases WHERE status = 'draft' LIMIT :n"), {"n": n})]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--print", dest="printed", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    paths.set_data_dir(folder)
    engine, _ = init_database("ALM-KNV")
    generate_demo(engine, args.cases * 40)  # about one demo case in ten is a draft
    work = unit_of_work(engine, "bench")
    n = args.cases

    drafts = draft_ids(engine, 3 * n)
    if len(drafts) < 3 * n:
        sys.exit(f"only {len(drafts)} drafts; need {3 * n}")
    batch_ids, single_ids, raw_ids = drafts[0:n], drafts[n:2 * n], drafts[2 * n:3 * n]

    def batch() -> None:
        with work.session() as s:
            batch_status.change_many(batch_ids, "submitted", "bench", session=s)

    def one_by_one() -> None:
        for cid in single_ids:
            with work.session() as s:
                case_status.change_status(cid, "submitted", "bench", session=s)

    def raw() -> None:
        con = sqlite3.connect(paths.db_path())
        register_sql(con)  # ids are stored as 16 bytes (issue 17 §1)
        with con:
            for i, cid in enumerate(raw_ids):
                con.execute("UPDATE cases SET status = 'submitted', version = version + 1 WHERE id = id_db(?)", (cid,))
                con.execute("INSERT INTO status_change (id, case_id, from_status, to_status, at, by_user, comment) "
                            "VALUES (?, id_db(?), 'draft', 'submitted', datetime('now'), 'bench', 'bench')", (f"raw{i}", cid))
        con.close()

    t_batch, t_single, t_raw = clock(batch), clock(one_by_one), clock(raw)
    print(f"status, {n} cases: batch {t_batch:.2f} s, one by one {t_single:.2f} s, raw sqlite3 {t_raw:.3f} s")
    print(f"  batch / one by one = {t_batch / t_single:.2f}; batch / raw = {t_batch / t_raw:.1f}")

    m = args.printed
    ids = batch_ids[:m]
    from migreg_desktop.forms import render_form
    from migreg_desktop.forms.batch import render_cases

    def one_pdf() -> None:
        with session_scope(engine, actor="bench") as s:
            render_cases("receipt", ids, "kk", folder / "batch.pdf", session=s)

    def many_pdfs() -> None:
        with session_scope(engine, actor="bench") as s:
            for i, cid in enumerate(ids):
                render_form("receipt", cid, "kk", folder / f"one-{i}.pdf", session=s)

    t_one, t_many = clock(one_pdf), clock(many_pdfs)
    print(f"print, {m} receipt slips: one PDF {t_one:.2f} s, {m} single PDFs {t_many:.2f} s, "
          f"ratio {t_one / t_many:.2f}")
    engine.dispose()


if __name__ == "__main__":
    main()
