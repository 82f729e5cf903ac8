"""SIGKILL during a backup: the previous backup under that name stays intact, no half file kept."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from migreg_desktop import paths
from migreg_desktop.storage import backup

ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from migreg_desktop import paths
    from migreg_desktop.storage import backup
    paths.set_data_dir(sys.argv[1])

    def progress(done, total):
        print("copying", done, total, flush=True)
        time.sleep(60)  # the parent kills us here, mid-copy

    backup.create_backup(Path(sys.argv[2]), progress=progress, pages=8)
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.slow
def test_sigkill_during_backup_keeps_old_backup_and_no_half_file(engine, tmp_path):
    with engine.begin() as con:  # enough pages that the copy takes several steps
        con.exec_driver_sql("CREATE TABLE filler (b BLOB)")
        for _ in range(40):
            con.exec_driver_sql("INSERT INTO filler VALUES (randomblob(8000))")
    out = tmp_path / "office.sqlite3"
    backup.create_backup(out)
    old = out.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(paths.data_dir()), str(out)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("copying"), line
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
        child.stdout.close()
    assert out.read_bytes() == old  # the old backup is intact
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != out.name and p.is_file()]
    assert all(".partial" in name for name in leftovers)  # only a marked temp file
    backup.cleanup_partials(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [out.name]
    backup.create_backup(out)  # and the next backup works
    assert out.read_bytes() != b""
