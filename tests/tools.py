"""The repository's tools (tools/*.py) loaded as modules once per test process.

A test calls a tool's ``main`` here, the same entry as ``python tools/NAME.py``, instead of
starting Python again: that start costs ~0.3 s, and ~1.5 s more for a tool that builds the whole
command tree (permissions_doc). The catalog tool's extraction of every message from the source
(~1.2 s, Babel) is made once per process: the source does not change while the tests run.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_tool", ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if name == "i18n":
        module.extracted = functools.cache(module.extracted)  # read, never changed, by its callers
    return module
