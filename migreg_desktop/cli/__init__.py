"""`migreg`: every capability of the window as a subcommand, for admins' scripts and tests.

Each module in this package exposes ``register(sub, common)`` adding its subcommands; a command
function takes ``(args, ctx)`` and returns a JSON-able result (printed with ``--json``) or raises a
typed error. Exit codes: 0 ok, 1 rule said no, 2 bad input, 3 internal error.

A command answers at once (issue 17 §5): ``COMMANDS`` names every top-level command, its module
and its help line, so the parser is built from this light table and only the module of the
command being run is imported (with the database layers it needs); the others appear in
``--help`` from the table alone. tests/integration/test_cli_core.py checks the table against
what the modules register, so it cannot drift.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from migreg_desktop import parallel
from migreg_desktop.cli.usage import MigregParser, UsageError, usage_failure

# argparse asks gettext for its own words three times per parser, and the command list makes ~40
# parsers; each ask searches the disk for an argparse catalog (~0.3 ms). The answer is fixed for
# the process, so it is asked once per word: ~14 ms off every command's start (issue 17 §5).
argparse._ = functools.cache(argparse._)  # type: ignore[attr-defined]

# command → (module in this package, help): in the order --help lists them (module by module)
COMMANDS: dict[str, tuple[str, str]] = {
    "adaptation": ("adaptation", "oblast: adaptation and training of kandases (Rules §9–10)"),
    "audit": ("audit", "the audit trail"),
    "backup": ("backup", "back the database up (consistent while in use)"),
    "backups": ("backup", "list the backups folder"),
    "restore": ("backup", "restore a backup (verified; the current database is kept aside)"),
    "doctor": ("backup", "check the database: integrity, foreign keys, audit chain"),
    "case": ("case", "record and look up cases"),
    "init": ("core", "create the database of an office"),
    "offices": ("core", "list the offices of the shipped reference data"),
    "iin": ("core", "identity numbers"),
    "demo": ("demo", "add synthetic demo cases (never real people)"),
    "check": ("eligibility", "check a case's eligibility and store the decision"),
    "form": ("forms", "print one form of a case to a PDF file"),
    "form-batch": ("forms", "print one form of many cases to one PDF file"),
    "forms": ("forms", "list the printable forms"),
    "register": ("forms", "print the register of cases of an office for a period"),
    "slips": ("forms", "print all receipt slips of a day in one PDF"),
    "monitoring": ("monitoring", "oblast: monitoring of migration for a year (tables, xlsx with charts, PDF)"),
    "proposal": ("proposal", "oblast: draft the proposals to the Ministry (quotas, territories; Rules §4)"),
    "quota": ("quota", "regional quotas, allotments and reservations"),
    "settlements": ("settlements", "the oblast's settlement list of the year (Rules §6–8)"),
    "stats": ("stats", "oblast: official statistics of the districts for monitoring"),
    "settings": ("settings", "preferences of this data dir"),
    "support": ("support", "support measures of a case (MCI and tenge)"),
    "export": ("sync", "write a package of unsent changes for an office"),
    "import": ("sync", "verify and apply a package (data, ack or reference)"),
    "outbox": ("sync", "unsent and unacknowledged changes per receiver"),
    "inbox": ("sync", "packages imported here"),
    "ack": ("sync", "acknowledge the packages imported from an office"),
    "keys": ("sync", "this office's keys and the partners it trusts"),
    "refdata": ("sync", "reference data"),
    "conflicts": ("sync", "incoming edits waiting for a decision"),
    "duplicates": ("sync", "oblast: suspected duplicate persons"),
    "user": ("user", "clerks' accounts (admin)"),
}
_VALUED = ("--data-dir", "--lang", "--user")  # the common options that take a value
_FLAGS = ("--json", "--help")


def _common() -> MigregParser:
    common = MigregParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="data directory (default: user data dir)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")
    common.add_argument("--lang", choices=("kk", "ru", "en"), default=argparse.SUPPRESS, help="language of messages")
    common.add_argument("--user", default=argparse.SUPPRESS, help="who is acting (default MIGREG_USER)")
    return common


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` as argparse will read it (options before it skipped, with
    their values; argparse's unique prefixes too); None after ``-h``/``--help`` or when absent."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("-h",) or (arg.startswith("--") and "--help".startswith(arg) and len(arg) > 2
                                and not any(o.startswith(arg) for o in (*_VALUED, "--json"))):
            return None
        elif arg.startswith("-") and arg != "-":
            names = [o for o in (*_VALUED, *_FLAGS) if o.startswith(arg.split("=", 1)[0])]
            skip = "=" not in arg and len(names) == 1 and names[0] in _VALUED
        else:
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``argv``, only the module of its command is imported and the other
    commands are listed from ``COMMANDS`` (same names, same help, nothing to run)."""
    wanted = command_of(argv) if argv is not None else None
    load_all = argv is None or (wanted is not None and wanted not in COMMANDS)  # argparse words the error
    common = _common()
    parser = MigregParser(prog="migreg", parents=[common],
                          description="Migration cases of Almaty oblast career centres")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    registered: set[str] = set()
    for name, (module, help_text) in COMMANDS.items():
        if load_all or (wanted is not None and COMMANDS[wanted][0] == module):
            if module not in registered:
                registered.add(module)
                importlib.import_module(f"{__name__}.{module}").register(sub, common)
        else:  # listed in --help only (a line that names it loads it): no options to copy
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parallel.child_entry()  # a frozen build's worker process stops here (migreg_desktop.parallel)
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    try:
        try:
            args = parser.parse_args(argv)
            if not hasattr(args, "func"):
                raise LookupError(argv)
        except (UsageError, LookupError):  # a bad line, or a listed-only command: every command loaded
            parser = build_parser()
            args = parser.parse_args(argv)
    except UsageError:  # exit 2 with the message in --lang, and the JSON document with --json
        return usage_failure(parser, argv)
    except SystemExit as exc:  # argparse: 0 after --help
        return int(exc.code or 0)
    from migreg_desktop.cli.context import Context
    from migreg_desktop.cli.run import run_command

    ctx = Context(args)
    from migreg_desktop.storage.privacy import sweep_temp

    sweep_temp()  # plain personal data a killed command left in tmp/ (issue 12 §8)
    try:
        return run_command(args, ctx)
    finally:
        ctx.close()


def run() -> NoReturn:
    """The `migreg` program (its console script, ``python -m migreg_desktop``): ``main``, then the
    process ends without Python's teardown (process_end.py: ~0.1 s after a command that read the
    database). ``main`` is what tests call: it returns the exit code."""
    from migreg_desktop.process_end import end

    end(main())


if __name__ == "__main__":  # pragma: no cover
    run()
