"""Backups on a demo database (issue 17 §2): size and time of the format-2 backup (zstd in a
secretstream, storage/backup_format.py) and of its restore, against the raw copy measured in the
same run (SQLite's online backup API, db.backup_copy, which the old backups were).

Also the choice of compressor: zstd levels, lzma and zlib on the same sample of the database
(the first ``--sample`` MiB), ratio and MB/s, to show why zstd level 3 (docs/backups.md).
Target: a 100,000-case database backs up to < 150 MB per copy (extrapolated per case when run
on fewer cases).

    python benchmarks/bench_backup.py [--data-dir DIR] [--cases 20000] [--sample 32]
"""

from __future__ import annotations

import argparse
import io
import lzma
import sqlite3
import sys
import tempfile
import time
import zlib
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migreg_desktop import paths  # noqa: E402
from migreg_desktop.storage import backup, backup_format, db, restore  # noqa: E402


def ensure_db(data_dir: Path, n: int) -> None:
    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.refdata.setup import init_database

    paths.set_data_dir(data_dir)
    if paths.db_path().exists():
        return
    engine, _ = init_database("ALM-KNV")
    generate_demo(engine, n, seed=42)
    engine.dispose()


def clock(fn):  # noqa: ANN001, ANN201
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def compressors(sample: bytes) -> None:
    candidates = {f"zstd -{lvl}": (lambda d, lvl=lvl: zstandard.ZstdCompressor(level=lvl).compress(d))
                  for lvl in (1, 3, 6, 9, 19)}
    candidates |= {"lzma -1": lambda d: lzma.compress(d, preset=1), "lzma -6": lambda d: lzma.compress(d, preset=6),
                   "zlib -6": lambda d: zlib.compress(d, 6), "zlib -9": lambda d: zlib.compress(d, 9)}
    mb = len(sample) / 1e6
    print(f"\ncompressors on the first {mb:.0f} MB of the database")
    print(f"{'codec':10} {'ratio':>6} {'pack MB/s':>10} {'unpack MB/s':>12}")
    unpack = {"zstd": lambda c: zstandard.ZstdDecompressor().decompress(c, max_output_size=len(sample)),
              "lzma": lzma.decompress, "zlib": zlib.decompress}
    for name, fn in candidates.items():
        t_pack, packed = clock(lambda fn=fn: fn(sample))
        t_unpack, _ = clock(lambda name=name, packed=packed: unpack[name.split()[0]](packed))
        print(f"{name:10} {len(sample) / len(packed):6.1f} {mb / t_pack:10.1f} {mb / t_unpack:12.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default="/tmp/migreg-bench-20k")
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--sample", type=int, default=32, help="MiB for the compressor comparison")
    args = ap.parse_args()
    ensure_db(Path(args.data_dir), args.cases)
    source = paths.db_path()
    con = sqlite3.connect(source)
    cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    con.close()
    with tempfile.TemporaryDirectory() as tmp:
        t_raw, raw = clock(lambda: db.backup_copy(source, "bench", target=Path(tmp) / "raw.sqlite3"))
        t_ours, made = clock(lambda: backup.create_backup(Path(tmp) / "b.mgbak"))
        t_enc, enc = clock(lambda: backup.create_backup(Path(tmp) / "e.mgbak", passphrase="bench"))
        t_back, _ = clock(lambda: restore.stage(made.path, Path(tmp) / "staged", None))
        t_copy, _ = clock(lambda: restore.stage(raw, Path(tmp) / "staged2", None))
        size_raw = raw.stat().st_size
        per_case = made.size / cases
        print(f"database: {cases} cases, {size_raw / 1e6:.1f} MB ({size_raw / cases / 1e3:.2f} KB per case)")
        print(f"{'step':34} {'s':>7} {'raw s':>7} {'ratio':>6} {'MB':>8}")
        print(f"{'backup, not encrypted':34} {t_ours:7.2f} {t_raw:7.2f} {t_ours / t_raw:6.1f} {made.size / 1e6:8.1f}")
        print(f"{'backup with a passphrase':34} {t_enc:7.2f} {t_raw:7.2f} {t_enc / t_raw:6.1f} {enc.size / 1e6:8.1f}")
        print(f"{'unpack + verify stream (restore)':34} {t_back:7.2f} {t_copy:7.2f} {t_back / t_copy:6.1f}")
        print(f"compression ratio {size_raw / made.size:.1f}; per case {per_case / 1e3:.2f} KB; "
              f"100,000 cases ≈ {per_case * 100_000 / 1e6:.0f} MB per copy (target < 150 MB)")
        with open(raw, "rb") as fh:
            sample = fh.read(args.sample << 20)
    assert backup_format.LEVEL == 3
    compressors(io.BytesIO(sample).getvalue())


if __name__ == "__main__":
    main()
