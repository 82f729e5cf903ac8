"""Export and import of N demo cases with their families (district → oblast), with raw baselines.

Targets (issue 17 §3): export ≤ 15 s and import ≤ 30 s for 100,000 cases, peak RSS ≤ 300 MB each
(issue 6 asked ≤ 60 s each).
Each step runs in its own process so its peak RSS is its own; the import's worker processes
(migreg_desktop.parallel: its line checks) are counted in its CPU and, added, in its peak RSS.
Baselines, same rows, same run:
- raw export: plain sqlite3 SELECT of the five tables → JSON Lines in a zip (deflate level 1);
- raw import: plain sqlite3 executemany of those JSON Lines into an empty copy of the schema
  (same indexes; change-log triggers quiet as in the import), one transaction, the import's
  pragmas (WAL, synchronous NORMAL, deferred foreign keys, 96 MB page cache). It writes the
  rows only: no validation, signature, decryption, sync bookkeeping, search index or staging,
  which the import must do — the ratio is the price of those.

    python benchmarks/bench_sync.py [--cases 100000] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TABLES = ("person", "cases", "family_member", "document", "status_change")
LIMIT_S = {"export": 15, "import": 30}  # at 100,000 cases; scaled linearly for --cases
RAW_IMPORT_CACHE_KIB = -96_000  # sync/importer.IMPORT_CACHE_KIB: the raw import gets the same page cache


def peak_mb() -> float:
    """Peak RSS of this process plus that of its largest child (the worker of
    migreg_desktop.parallel): an upper bound of what the machine must have."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


class TreeRss(threading.Thread):
    """The largest resident memory of this process and ALL its children at one moment (a worker
    and multiprocessing's resource tracker included), read from /proc every 0.1 s (Linux)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib, self.children_kib, self.stop = 0, 0, threading.Event()

    @staticmethod
    def _rss(pid: str) -> int:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:  # ended meanwhile
            return 0
        return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:"))

    def run(self) -> None:
        if not Path("/proc/self/task").is_dir():  # not Linux: only the ru_maxrss figures are printed
            return
        while not self.stop.wait(0.1):
            kids: set[str] = set()
            for task in Path("/proc/self/task").iterdir():
                try:
                    kids.update((task / "children").read_text().split())
                except OSError:
                    pass
            children = sum(map(self._rss, kids))
            self.children_kib = max(self.children_kib, children)
            self.peak_kib = max(self.peak_kib, self._rss("self") + children)


def workers() -> dict:
    """What the worker processes took (the largest one's peak RSS, all their CPU)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"workers_mb": r.ru_maxrss / 1024, "workers_cpu": r.ru_utime + r.ru_stime}


def cpu_s() -> float:
    """User + system CPU of this process (the machine may be shared: wall time includes waiting)."""
    r, w = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + w.ru_utime + w.ru_stime  # with the worker processes'


def cli(data_dir: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir), *args, "--json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def child(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- steps, each in a child process ---------------------------------------------------------

def step_export(data_dir: str, out: str) -> dict:
    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import open_existing
    from migreg_desktop.storage.unit_of_work import UnitOfWork
    from migreg_desktop.sync import jobs

    paths.set_data_dir(data_dir)
    engine = open_existing()
    t = time.perf_counter()
    doc = jobs.run_export(UnitOfWork(engine, "bench"), "ALM-OBL", Path(out))
    return {"seconds": time.perf_counter() - t, "peak_mb": peak_mb(), "cpu": cpu_s(), "bytes": doc["bytes"], "counts": doc["counts"]}


def step_import(data_dir: str, file: str) -> dict:
    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import open_existing
    from migreg_desktop.storage.unit_of_work import UnitOfWork
    from migreg_desktop.sync import jobs

    paths.set_data_dir(data_dir)
    engine = open_existing()
    tree = TreeRss()
    tree.start()
    t = time.perf_counter()
    doc = jobs.run_import(UnitOfWork(engine, "bench"), Path(file))
    seconds = time.perf_counter() - t
    copied = _wal_copied()  # the WAL copied into the database file after the commit, in a thread
    tree.stop.set()
    assert doc["status"] == "applied", doc
    return {"seconds": seconds, "peak_mb": peak_mb(), "cpu": cpu_s(), "conflicts": doc["conflicts"],
            "tree_mb": tree.peak_kib / 1024, "children_mb": tree.children_kib / 1024, "wal_copy_s": copied,
            **workers()}


def _wal_copied() -> float:
    """Seconds until the WAL copies started by the last commit are done (storage/checkpoint.py)."""
    try:
        from migreg_desktop.storage import checkpoint
    except ImportError:  # an older tree (--compare): SQLite copied it inside the commit
        return 0.0
    t = time.perf_counter()
    checkpoint.wait()
    return time.perf_counter() - t


def step_allot(district: str, oblast: str) -> dict:
    """The oblast gives the district the allotments its demo ledger counts against (the demo makes
    them in the district; a real oblast allots first). Without them the ledger cannot be placed."""
    from migreg_desktop import paths
    from migreg_desktop.eligibility import quotas
    from migreg_desktop.refdata.setup import open_existing
    from migreg_desktop.storage.unit_of_work import UnitOfWork

    con = sqlite3.connect(Path(district) / "migreg.sqlite3")
    rows = con.execute("SELECT q.year, q.region_kato, q.kind, a.office_code, a.slots FROM quota_allotment a "
                       "JOIN regional_quota q ON q.id = a.quota_id").fetchall()
    con.close()
    paths.set_data_dir(oblast)
    with UnitOfWork(open_existing(), "bench").session() as s:
        for year, region, kind, office, slots in rows:
            quotas.allot(year, region, kind, office, slots, session=s)
        s.commit()
    return {"allotments": len(rows)}


def step_raw_export(db: str, out: str) -> dict:
    from migreg_desktop import ids
    from migreg_desktop.storage import records

    t = time.perf_counter()
    con = sqlite3.connect(db)
    ids.register_sql(con)  # ids are stored as 16 bytes and travel as text (issue 17 §1)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for table in TABLES:
            cols = [records.id_text_sql(table, r[1]) for r in con.execute(f"PRAGMA table_info({table})")
                    if r[1] != "rid"]  # cases.rid: the search index's local key, not data
            cur = con.execute(f"SELECT {', '.join(cols)} FROM {table}")
            cols = [d[0] for d in cur.description]
            with zf.open(f"{table}.jsonl", "w", force_zip64=True) as fh:
                for row in cur:
                    fh.write(json.dumps(dict(zip(cols, row, strict=True)), ensure_ascii=False).encode() + b"\n")
    con.close()
    return {"seconds": time.perf_counter() - t, "peak_mb": peak_mb(), "cpu": cpu_s()}


def step_raw_import(db: str, src: str) -> dict:
    from migreg_desktop import ids
    from migreg_desktop.storage import records

    t = time.perf_counter()
    con = sqlite3.connect(db)
    ids.register_sql(con)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")  # the app's connection pragmas (storage/db.py) …
    con.execute(f"PRAGMA cache_size={RAW_IMPORT_CACHE_KIB}")  # … and its page cache while importing
    con.execute("DROP TABLE IF EXISTS sync_suppress")  # no change-log triggers in the baseline
    con.execute("CREATE TABLE sync_suppress (flag INTEGER PRIMARY KEY)")
    con.execute("INSERT INTO sync_suppress VALUES (1)")
    con.execute("PRAGMA defer_foreign_keys=ON")  # as the import (the INSERT above began the transaction)
    with zipfile.ZipFile(src) as zf:
        for table in TABLES:
            with zf.open(f"{table}.jsonl") as fh:
                batch: list[tuple] = []
                sql = None
                for line in fh:
                    row = json.loads(line)
                    sql = sql or (f"INSERT INTO {table} ({', '.join(row)}) VALUES ("
                                  + ", ".join("id_db(?)" if c in records.id_columns(table) else "?" for c in row) + ")")
                    batch.append(tuple(row.values()))
                    if len(batch) >= 2000:
                        con.executemany(sql, batch)
                        batch = []
                if batch:
                    con.executemany(sql, batch)
    con.commit()
    con.close()
    return {"seconds": time.perf_counter() - t, "peak_mb": peak_mb(), "cpu": cpu_s()}


STEPS = {"allot": step_allot, "export": step_export, "import": step_import, "raw-export": step_raw_export, "raw-import": step_raw_import}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--root", default=None)
    ap.add_argument("--step", choices=sorted(STEPS))
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    if a.step:
        print(json.dumps(STEPS[a.step](*a.args)))
        return
    root = Path(a.root or tempfile.mkdtemp(prefix="bench-sync-"))
    d, o = root / "district", root / "oblast"
    reuse = (d / "migreg.sqlite3").exists()  # --root of an earlier run: keep its demo district
    shutil.rmtree(o, ignore_errors=True)
    for office, code in ((o, "ALM-OBL"),) if reuse else ((d, "ALM-KNV"), (o, "ALM-OBL")):
        cli(office, "init", "--office", code)
        cli(office, "keys", "init")
        cli(office, "keys", "export", "--out", str(root / f"{code}.pub"))
    cli(d, "keys", "trust", str(root / "ALM-OBL.pub"), "--office", "ALM-OBL")
    cli(o, "keys", "trust", str(root / "ALM-KNV.pub"), "--office", "ALM-KNV")
    if reuse:  # a new oblast: start the district's channel to it afresh
        from migreg_desktop.storage import high_water

        (d / high_water.FILE).unlink(missing_ok=True)  # the sequence numbers kept outside the database
        con = sqlite3.connect(d / "migreg.sqlite3")
        with con:
            for table in ("sync_channel", "sync_outbound", "sync_delivery"):
                con.execute(f"DELETE FROM {table}")
        con.close()
    else:
        t = time.perf_counter()
        cli(d, "demo", "--cases", str(a.cases))
        print(f"demo: {a.cases:,} cases in {time.perf_counter() - t:.1f} s", flush=True)
    child("--step", "allot", str(d), str(o))
    raw_db = root / "raw-oblast.sqlite3"
    shutil.copyfile(o / "migreg.sqlite3", raw_db)  # an empty oblast schema for the raw import
    pkg, raw_zip = root / "p1.migreg", root / "raw.zip"
    exp = child("--step", "export", str(d), str(pkg))
    raw_exp = child("--step", "raw-export", str(d / "migreg.sqlite3"), str(raw_zip))
    imp = child("--step", "import", str(o), str(pkg))
    raw_imp = child("--step", "raw-import", str(raw_db), str(raw_zip))
    records = sum(exp["counts"].values())
    print(f"{a.cases:,} cases, {records:,} records, package {exp['bytes'] / 1e6:.1f} MB")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'step':<8}{'wall s':>8}{'raw s':>8}{'ratio':>7}{'CPU s':>8}{'raw CPU':>9}{'peak MB':>9}{'raw MB':>8}  target")
    for name, mine, raw in (("export", exp, raw_exp), ("import", imp, raw_imp)):
        ok = mine["seconds"] <= LIMIT_S[name] * a.cases / 100_000 and mine["peak_mb"] <= 300
        print(f"{name:<8}{mine['seconds']:>8.1f}{raw['seconds']:>8.1f}{mine['seconds'] / raw['seconds']:>7.2f}"
              f"{mine['cpu']:>8.1f}{raw['cpu']:>9.1f}{mine['peak_mb']:>9.0f}{raw['peak_mb']:>8.0f}  "
              f"{'OK' if ok else 'MISSED'} (≤ {LIMIT_S[name] * a.cases / 100_000:.0f} s, ≤ 300 MB)")
    if imp.get("workers_mb"):
        from migreg_desktop import parallel

        print(f"import's line checks in {parallel.spare_cores()} worker process(es) (migreg_desktop.parallel): "
              f"{imp['workers_cpu']:.1f} s CPU, {imp['workers_mb']:.0f} MB peak, both counted above")
    if imp.get("wal_copy_s", 0) >= 0.005:
        print(f"import's pages then copied from the WAL into the database file, in a thread of their own: "
              f"{imp['wal_copy_s']:.2f} s more (storage/checkpoint.py; not in the import's figure)")
    if imp.get("tree_mb"):
        print(f"import's processes together at one moment (the resource tracker too): peak {imp['tree_mb']:.0f} MB, "
              f"children {imp['children_mb']:.0f} MB (read from /proc every 0.1 s)")
    if not a.root:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
