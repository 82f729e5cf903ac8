"""process_end.end: a process ends without Python's teardown, after what a normal exit does that
matters (issue 17 §4, §5: ~0.1 s of every `migreg` command that read the database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each effect writes a file: the exit handler, a thread that is no daemon (it finishes after the
# call), and an object freed only by the teardown (it must not run). Output without a newline: a
# buffered pipe holds it until the flush.
_SCRIPT = textwrap.dedent("""
    import atexit, sys, threading, time
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path
    from migreg_desktop.process_end import end

    out = Path(sys.argv[1])

    class Teardown:
        def __del__(self):
            (out / "torn-down").write_text("freed")

    kept = Teardown()
    atexit.register(lambda: (out / "handler").write_text("ran"))

    def late():
        time.sleep(0.3)
        (out / "thread").write_text("done")

    threading.Thread(target=late).start()
    pool = ThreadPoolExecutor(1)  # left open: its threads stop once its job is done, not never
    pool.submit(lambda: (time.sleep(0.2), (out / "job").write_text("done")))
    sys.stdout.write("the answer")
    end(int(sys.argv[2]), handlers=sys.argv[3] == "1")
""")


def _run(tmp_path: Path, code: int, handlers: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path), str(code), "1" if handlers else "0"],
                          capture_output=True, text=True, env=env, timeout=60)


def test_a_process_ends_after_its_threads_handlers_and_output_without_its_teardown(tmp_path):
    done = _run(tmp_path, 3, handlers=True)
    assert (done.returncode, done.stdout) == (3, "the answer"), done.stderr
    assert (tmp_path / "thread").read_text() == "done"  # waited for, as a normal exit waits
    assert (tmp_path / "job").read_text() == "done"
    assert (tmp_path / "handler").read_text() == "ran"
    assert not (tmp_path / "torn-down").exists()  # the teardown, and only it, skipped


def test_called_by_an_exit_handler_it_runs_no_handler_again(tmp_path):
    done = _run(tmp_path, 0, handlers=False)
    assert (done.returncode, done.stdout) == (0, "the answer"), done.stderr
    assert not (tmp_path / "handler").exists() and not (tmp_path / "torn-down").exists()


@pytest.mark.parametrize("args, code", [(("offices", "--json"), 0), (("case", "show", "NO-SUCH", "--json"), 2),
                                         (("case", "list", "--limit", "x", "--json"), 2)])
def test_migreg_as_a_program_ends_with_its_commands_code_and_whole_output(tmp_path, args, code):
    """``python -m migreg_desktop`` (and the console script: cli.run) ends through ``end``: the
    command's exit code, and its whole JSON document on the way out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGREG_")}
    env.update(PYTHONPATH=str(ROOT), MIGREG_LANG="en")
    done = subprocess.run([sys.executable, "-m", "migreg_desktop", "--data-dir", str(tmp_path / "d"), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == code, done.stderr
    doc = json.loads(done.stdout)
    assert ("error" in doc) == (code != 0)
