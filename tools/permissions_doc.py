"""The permissions table of docs/accounts.md, generated from accounts/permissions.py.

    python tools/permissions_doc.py          # rewrite the block between the markers
    python tools/permissions_doc.py --check  # exit 1 if the document and the code differ

The CLI column is read from the commands themselves (``add_command(..., action=...)``), so the
document says which command performs each action without anyone writing it twice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "accounts.md"
BEGIN, END = "<!-- permissions:begin (tools/permissions_doc.py) -->", "<!-- permissions:end -->"
KIND_WORDS = {("district", "city", "oblast"): "every office", ("oblast",): "oblast Department only"}


def commands() -> dict[str, list[str]]:
    """action → the CLI commands whose door checks it (options included: ``import --accept-gap``)."""
    from migreg_desktop.cli import build_parser

    found: dict[str, list[str]] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{prefix}{name} ")
                return
        gate, flags = parser._defaults.get("gate"), parser._defaults.get("gate_flags") or {}
        if gate:
            found.setdefault(gate, []).append(prefix.strip())
        for flag, needed in flags.items():
            found.setdefault(needed, []).append(f"{prefix.strip()} --{flag.replace('_', '-')}")

    walk(build_parser(), "")
    return found


def table() -> str:
    from migreg_desktop.accounts.permissions import TABLE

    cli = commands()
    lines = ["| action | what | least role | where | CLI |", "|---|---|---|---|---|"]
    for p in TABLE.values():
        where = KIND_WORDS.get(p.kinds, ", ".join(p.kinds))
        used = ", ".join(f"`{c}`" for c in cli.get(p.action, [])) or "— (window only)"
        lines.append(f"| `{p.action}` | {p.title} | `{p.role}` | {where} | {used} |")
    return "\n".join(lines)


def render(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("docs/accounts.md: the permissions table differs from services/permissions.py; "
                  "run python tools/permissions_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
