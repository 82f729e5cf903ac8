"""Move modules to new packages and rewrite every import (issue 13 §4).

Usage: python tools/move_modules.py [--only-rewrite]  (rewrites imports in a tree; git mv first).
Kept in the repo so branches made before the move can be rewritten the same way.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P = "migreg_desktop"

MOVES: dict[str, str] = {
    # storage: the database, its change log, files, backups, restore, integrity
    "db": "storage.db",
    "sync.triggers": "storage.triggers",
    "sync.records": "storage.records",
    "services.integrity_schema": "storage.integrity_schema",
    "services.backup_crypto": "storage.backup_crypto",
    "services.privacy": "storage.privacy",
    "services.high_water": "storage.high_water",
    "services.search": "storage.search",
    "services.backup": "storage.backup",
    "services.restore": "storage.restore",
    "services.integrity": "storage.integrity",
    "services.setup": "refdata.setup",
    # accounts: who acts, what they may do, what they did
    "services.accounts": "accounts.accounts",
    "services.accounts_history": "accounts.accounts_history",
    "services.audit": "accounts.audit",
    "services.audit_chain": "accounts.audit_chain",
    "services.audit_query": "accounts.audit_query",
    "services.office": "accounts.office",
    "services.permissions": "accounts.permissions",
    # refdata: territories, values, datasets, the settlement list
    "services.refdata": "refdata.refdata",
    "services.refvalues": "refdata.refvalues",
    "services.settlements": "refdata.settlements",
    "services.datasets.eligibility_params": "refdata.datasets.eligibility_params",
    "services.datasets.quotas": "refdata.datasets.quotas",
    "services.datasets.settlement_list": "refdata.datasets.settlement_list",
    "services.datasets": "refdata.datasets",
    # cases
    "services.cases": "cases.cases",
    "services.persons": "cases.persons",
    "services.case_input": "cases.case_input",
    "services.case_document": "cases.case_document",
    "services.case_changes": "cases.case_changes",
    "services.case_list": "cases.case_list",
    "services.fields": "fields",
    "services.status": "cases.status",
    "services.record_checks": "cases.record_checks",
    "services.register_query": "cases.register_query",
    "services.demo": "cases.demo",
    "services.demo_names": "cases.demo_names",
    # eligibility and quotas
    "services.eligibility": "eligibility.eligibility",
    "services.eligibility_facts": "eligibility.eligibility_facts",
    "services.eligibility_watch": "eligibility.watch",
    "services.quotas": "eligibility.quotas",
    "services.support": "eligibility.support",
    # the Department's desk
    "services.monitoring": "department.monitoring",
    "services.monitoring_report": "department.monitoring_report",
    "services.monitoring_xlsx": "department.monitoring_xlsx",
    "services.proposal": "department.proposal",
    "services.settlement_desk": "department.settlement_desk",
    "services.adaptation": "department.adaptation",
    "services.stats": "department.stats",
    # pure functions
    "services.iin": "rules.iin",
    "services.safe_text": "safe_text",
}


def path_of(mod: str) -> Path:
    p = ROOT / P / Path(*mod.split("."))
    return p if p.is_dir() else p.with_suffix(".py")


def absolutize(file: Path) -> str:
    """Turn relative imports of a module inside the package into absolute ones."""
    rel = file.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    pkg = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    text = file.read_text(encoding="utf-8")

    def repl(m: re.Match[str]) -> str:
        dots, rest = m.group(2), m.group(3)
        base = pkg[: len(pkg) - (len(dots) - 1)]
        target = ".".join(base + ([rest] if rest else []))
        return f"{m.group(1)}from {target} import"

    return re.sub(r"(^[ \t]*)from (\.+)([\w.]*) import", repl, text, flags=re.M)


def _split_from(indent: str, pkg: str, names: str) -> str:
    comment = ""
    if "#" in names and not names.strip().startswith("("):
        names, comment = names[: names.index("#")], "  " + names[names.index("#"):]
    raw = names.strip().strip("()").replace("\n", " ")
    items = [n.strip() for n in raw.split(",") if n.strip() and not n.strip().startswith("#")]
    lines: dict[str, list[str]] = {}
    for item in items:
        name, _, alias = (x.strip() for x in item.partition(" as "))
        new = MOVES.get(f"{pkg}.{name}" if pkg else name)
        if new is None:
            target_pkg, target_name = (P + "." + pkg) if pkg else P, name
        else:
            target_pkg, _, target_name = (P + "." + new).rpartition(".")
        if target_name != name and not alias:
            alias = name
        lines.setdefault(target_pkg, []).append(target_name + (f" as {alias}" if alias else ""))
    out = [f"{indent}from {tp} import {', '.join(ns)}" for tp, ns in lines.items()]
    out[0] += comment
    return "\n".join(out)


def rewrite(text: str) -> str:
    # 1. "from migreg_desktop.services import a, b" -> one line per target package
    pkgs = {m.rpartition(".")[0] for m in MOVES} | {""}
    for pkg in sorted(pkgs, key=len, reverse=True):
        mod = P + ("." + pkg if pkg else "")
        pat = re.compile(rf"(^[ \t]*)from {re.escape(mod)} import (\([^)]*\)|[^\n]*)", re.M)
        text = pat.sub(lambda m, pkg=pkg: _split_from(m.group(1), pkg, m.group(2)), text)
    # 2. dotted names anywhere (imports "from X.Y import", strings for patch/monkeypatch, docs)
    for old in sorted(MOVES, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(P + '.' + old)}\b", P + "." + MOVES[old], text)
    return text


def files() -> list[Path]:
    out: list[Path] = []
    for top in (P, "tests", "benchmarks", "tools"):
        out += [p for p in (ROOT / top).rglob("*.py") if p.name != "move_modules.py"]
    return out


def main() -> None:
    if "--only-rewrite" not in sys.argv:
        for f in (ROOT / P).rglob("*.py"):
            if "migrations" not in f.parts:
                f.write_text(absolutize(f), encoding="utf-8")
        for old, new in MOVES.items():
            src, dst = path_of(old), ROOT / P / Path(*new.split("."))
            if src.is_dir():
                continue
            dst = dst.with_suffix(".py")
            dst.parent.mkdir(parents=True, exist_ok=True)
            init = dst.parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
                subprocess.run(["git", "add", str(init)], cwd=ROOT, check=True)
            subprocess.run(["git", "mv", str(src), str(dst)], cwd=ROOT, check=True)
        ds = ROOT / P / "services" / "datasets" / "__init__.py"
        if ds.exists():
            subprocess.run(["git", "mv", str(ds), str(ROOT / P / "refdata" / "datasets" / "__init__.py")], cwd=ROOT, check=True)
    for f in files():
        old = f.read_text(encoding="utf-8")
        new = rewrite(absolutize(f) if P in f.relative_to(ROOT).parts[:1] and "migrations" not in f.parts else old)
        if new != old:
            f.write_text(new, encoding="utf-8")
    for f in [ROOT / "pyproject.toml", ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]:
        old = f.read_text(encoding="utf-8")
        new = old
        for o in sorted(MOVES, key=len, reverse=True):
            new = re.sub(rf"\b{re.escape(P + '.' + o)}\b", P + "." + MOVES[o], new)
        if new != old:
            f.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
