"""The house's rules that a reviewer would otherwise check by grep (issue 13 §4, §5).

The floors themselves are import-linter's contracts (pyproject.toml, run by .ci/run); here: the
module graph has no cycle, raw sqlite3 stays in storage/, the doors and the forms hold no SQL,
and the migrations import nothing from the live code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[2] / "migreg_desktop"
SQL = re.compile(r"\b(SELECT\b.*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|DROP\s+(TABLE|INDEX|TRIGGER)|PRAGMA\s+\w+)")


def _cycles(adj: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for root in adj:
        if root in index:
            continue
        work = [(root, iter(sorted(adj[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(adj[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_cycle():
    graph = grimp.build_graph("migreg_desktop", exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if ".migrations" not in m}
    adj = {m: {d for d in graph.find_modules_directly_imported_by(m) if d in modules} for m in modules}
    assert _cycles(adj) == []


def _sources(*folders: str) -> list[Path]:
    return [p for f in folders for p in (PACKAGE / f).rglob("*.py")] if folders else \
        [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_raw_sqlite3_only_in_storage():
    users = sorted(str(p.relative_to(PACKAGE)) for p in _sources()
                   if "sqlite3" in _imports(p) and p.relative_to(PACKAGE).parts[0] != "storage")
    assert users == []


def test_no_sql_in_the_doors_or_the_forms():
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in _sources("ui", "cli", "forms")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
    assert found == []


def test_migrations_import_nothing_from_the_program():
    versions = sorted((PACKAGE / "migrations" / "versions").glob("*.py"))
    assert versions
    live = {str(p.name): sorted(m for m in _imports(p) if m.split(".")[0] == "migreg_desktop") for p in versions}
    assert {k: v for k, v in live.items() if v} == {}
