"""Shared set-up for the sync attack tests (issue 12): a district and the oblast, and packages
made the way an attacker would (own keys, hand-made zips)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.unit.sync.kit import Office

ROOT = Path(__file__).resolve().parents[3]


def trust_one_way(truster: Office, trusted: Office, root: Path) -> None:
    pub = root / f"{trusted.code}-{id(trusted)}.pub"
    trusted.ok("keys", "export", "--out", str(pub))
    truster.ok("keys", "trust", str(pub), "--office", trusted.code)


def two_districts_and_the_oblast(root: Path, capsys: Any) -> tuple[Office, Office, Office]:
    """ALM-KNV, ALM-TLG and the oblast, each district trusted by the oblast and trusting it."""
    from tests.unit.sync.kit import setup_office

    knv, tlg, oblast = (setup_office(root, code, capsys) for code in ("ALM-KNV", "ALM-TLG", "ALM-OBL"))
    for district in (knv, tlg):
        trust_one_way(oblast, district, root)
        trust_one_way(district, oblast, root)
    return knv, tlg, oblast


def case_ids(office: Office, code: str = "ALM-KNV") -> set[str]:
    return {r["id"] for r in office.ok("case", "list", "--office", code)}


def run_measured(data_dir: Path, *args: str, limit_bytes: int = 1536 << 20) -> dict[str, Any]:
    """`migreg --data-dir D ARGS` in a child process (address space capped, so a runaway
    import fails instead of eating the shared machine); returns its answer, wall time and
    peak RSS (ru_maxrss of that child alone, measured by a wrapper process)."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        f"def cap(): resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))\n"
        "t = time.monotonic()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, preexec_fn=cap)\n"
        "print(json.dumps({'rc': r.returncode, 'out': r.stdout, 'err': r.stderr[-3000:],"
        " 'wall_s': time.monotonic() - t,"
        " 'peak_rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MIGREG_LANG": "en"}
    cmd = [sys.executable, "-c", wrapper, sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir), *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    return json.loads(proc.stdout)


def rows(office: Office, table: str, where: str = "1", params: tuple = ()) -> list[dict[str, Any]]:
    from migreg_desktop import ids
    from migreg_desktop.storage import records

    con = sqlite3.connect(office.db)
    ids.register_sql(con)  # ids are stored as 16 bytes: read as the text a package carries (issue 17 §1)
    con.row_factory = sqlite3.Row
    cols = [records.id_text_sql(table, r[1]) for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "rid"]
    try:
        return [dict(r) for r in con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", params)]
    finally:
        con.close()


def forge_data_package(sender: Office, receiver: str, sequence: int, lines: dict[str, list[dict[str, Any]]],
                       out: Path) -> Path:
    """A data package written by hand and signed with ``sender``'s own key: what a trusted but
    dishonest office can send (any record line it likes)."""
    from migreg_desktop import paths
    from migreg_desktop.storage import records
    from migreg_desktop.storage.db import session_scope
    from migreg_desktop.sync import container, keys, package

    paths.set_data_dir(sender.dir)
    engine = sender.engine()
    try:
        with session_scope(engine) as session:
            _verify, box = keys.partner_keys(receiver, session=session)
    finally:
        engine.dispose()
    with package.temp_file(".zip") as inner:
        writer = package.PackageWriter(inner)
        for rt in records.ordered():
            with writer.member(f"records/{rt.name}.jsonl") as member:
                for line in lines.get(rt.name, []):
                    member.line(line)
        manifest = writer.finish(package.base_manifest("data", sender.code, receiver, sequence, since_ack=0,
                                                       counts={k: len(v) for k, v in lines.items()}))
        container.write(out, {k: manifest[k] for k in package.HEADER_KEYS}, inner,
                        keys.load_keys(sender.code).signing, box)
    return out
