"""`migreg`: every capability of the window as a subcommand, for admins' scripts and tests.

Each module in this package exposes ``register(sub, common)`` adding its subcommands; a command
function takes ``(args, ctx)`` and returns a JSON-able result (printed with ``--json``) or raises a
typed error. Exit codes: 0 ok, 1 rule said no, 2 bad input, 3 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from migreg_desktop.cli.context import Context
from migreg_desktop.cli.run import run_command
from migreg_desktop.cli.usage import MigregParser, UsageError, usage_failure


def build_parser() -> argparse.ArgumentParser:
    common = MigregParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="data directory (default: user data dir)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")
    common.add_argument("--lang", choices=("kk", "ru", "en"), default=argparse.SUPPRESS, help="language of messages")
    common.add_argument("--user", default=argparse.SUPPRESS, help="who is acting (default MIGREG_USER)")
    parser = MigregParser(prog="migreg", parents=[common],
                          description="Migration cases of Almaty oblast career centres")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name in ("context", "usage"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError:  # exit 2 with the message in --lang, and the JSON document with --json
        return usage_failure(parser, argv)
    except SystemExit as exc:  # argparse: 0 after --help
        return int(exc.code or 0)
    ctx = Context(args)
    from migreg_desktop.storage.privacy import sweep_temp

    sweep_temp()  # plain personal data a killed command left in tmp/ (issue 12 §8)
    try:
        return run_command(args, ctx)
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
