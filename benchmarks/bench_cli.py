"""How soon the command line answers (issue 17 §5): a whole `migreg` process, start to exit.

Commands timed as separate processes, alternating with the raw baseline in the same run
(`python -c "import sqlite3"`: the interpreter's own start), so the ratio holds on a busy machine.
Target: `case list --limit 1 --json` ≤ 0.35 s on 2 cores; a search over 100,000 cases about the same.

    python benchmarks/bench_cli.py [--data-dir DIR] [--cases 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_db(data_dir: Path, n: int) -> None:
    if (data_dir / "migreg.sqlite3").exists():
        return
    base = [sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir)]
    subprocess.run([*base, "init", "--office", "ALM-KNV", "--json"], check=True, capture_output=True)
    t = time.perf_counter()
    subprocess.run([*base, "demo", "--cases", str(n), "--seed", "42", "--json"], check=True, capture_output=True)
    print(f"demo: {n} cases generated in {time.perf_counter() - t:.1f} s")


def _env() -> dict[str, str]:
    """As an installed program starts: bytecode cached (pip writes .pyc files; a shell with
    PYTHONDONTWRITEBYTECODE=1 would make every run compile every module), kept outside the tree."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(Path("/tmp") / "migreg-bench-pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(cmd: list[str]) -> float:
    env = _env()
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default="/tmp/migreg-bench-100k")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    data_dir = Path(args.data_dir)
    ensure_db(data_dir, args.cases)
    base = [sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir)]
    raw = [sys.executable, "-c", "import sqlite3"]
    commands = {
        "case list --limit 1 --json": [*base, "case", "list", "--limit", "1", "--json"],
        "case list --search Оралбаев --limit 20 --json": [*base, "case", "list", "--search", "Оралбаев",
                                                           "--limit", "20", "--json"],
        "offices --json": [*base, "offices", "--json"],
        "--help": [*base, "--help"],
    }
    print(f"{'command':48} {'median s':>9} {'raw s':>7} {'ratio':>6}  target")
    for name, cmd in commands.items():
        wall(cmd)  # warm the page cache
        ours, baseline = [], []
        for _ in range(args.runs):  # A B A B …: drift hits both alike
            ours.append(wall(cmd))
            baseline.append(wall(raw))
        mine, base_s = statistics.median(ours), statistics.median(baseline)
        target = "≤ 0.35 s" if name.startswith("case list --limit 1") else ""
        print(f"{name:48} {mine:9.3f} {base_s:7.3f} {mine / base_s:6.1f}  {target}")


if __name__ == "__main__":
    main()
