"""A process of this program ends without Python's teardown once its work is done (issue 17 §4, §5).

At its exit, Python frees every object the process made, module after module: ~0.07 s after a
command imported SQLAlchemy, SQLModel and the table classes, ~0.1 s after `migreg check --all`,
~0.5 s in a worker process that judged its share of 100,000 cases; the admin's script, or the
program waiting for its workers, waits for it. Nothing this program writes depends on it: a file
is closed by its ``with`` block, the database by the command's ``Context.close`` (after its WAL
copy), and SQLite keeps whatever was committed on a connection left open.

So ``end`` does what a normal exit does that matters, in the same order and with CPython's own
functions, and then ``os._exit``: the threads that are not daemons are waited for (an executor
left open first finishes its jobs), the exit handlers run (storage/privacy.py
removes the temporary folder of personal data; multiprocessing stops what it started), and the
standard streams are flushed.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def end(code: int, *, handlers: bool = True) -> NoReturn:
    """Exit with ``code`` as described above. ``handlers=False``: called *by* an exit handler
    (a worker process's, parallel.py), when the others have run already."""
    if handlers:
        # CPython's own first steps of an exit: threading's exit callbacks (an executor still open
        # finishes its jobs and stops), every thread that is no daemon waited for; the exit handlers
        stop_threads = getattr(threading, "_shutdown", None)
        run_handlers = getattr(atexit, "_run_exitfuncs", None)
        if stop_threads is None or run_handlers is None:  # not CPython: the usual exit, teardown and all
            sys.exit(code)
        stop_threads()
        run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # no stream, a closed one, a reader gone (a pipe)
            pass
    os._exit(code)
