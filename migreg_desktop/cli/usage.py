"""Bad command lines answer like any other bad input (issue 3 §6): exit 2, a message in the
clerk's ``--lang`` on stderr and, with ``--json``, the standard error document on stdout.

argparse would print its English usage text and exit by itself; ``MigregParser.error`` raises
``UsageError`` instead, and the checks a script hits most (a value not among the choices, a
number that is not one) are worded by us, so they are translated too.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from migreg_desktop.errors import UserError
from migreg_desktop.fields import MSG_RANGE
from migreg_desktop.i18n import N_, _
from migreg_desktop.safe_text import printable

MSG_USAGE = N_("Invalid command line: {detail}")
MSG_CHOICE = N_("{value} is not one of: {choices}")
MSG_NUMBER = N_("{value} is not a whole number")
MSG_HELP = N_("See: {command} --help")
# argparse's own wording of the other failures (stable since Python 3.2) → ours; anything else
# is shown as argparse says it.
# The field is the option named (a missing one); an unrecognised argument is no field.
_KNOWN = (
    (re.compile(r"the following arguments are required: (?P<names>.+)", re.S), N_("missing: {names}"), True),
    (re.compile(r"unrecognized arguments: (?P<names>.+)", re.S), N_("unknown arguments: {names}"), False),
    (re.compile(r"expected one argument", re.S), N_("needs a value"), True),
)
_ARGUMENT = re.compile(r"argument (?P<names>[^:]+): (?P<detail>.*)", re.S)


class IntRange:
    """The type of every numeric option (issue 12 item 2): a whole number within bounds, so
    ``--limit -1`` or ``--cases 10^20`` is a usage error (exit 2), never a run until the disk
    is full nor an overflow deep in SQLite (exit 3)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, text: str) -> int:
        return int(text)

    def __repr__(self) -> str:
        return f"IntRange({self.low}, {self.high})"


class FloatRange(IntRange):
    """A number with decimals within bounds (a percentage threshold)."""

    def __call__(self, text: str) -> float:  # type: ignore[override]
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):  # NaN, ∞: not a number here
            raise ValueError(text)
        return value

    def __repr__(self) -> str:
        return f"FloatRange({self.low}, {self.high})"


LIMIT = IntRange(1, 100_000)  # rows listed at once
YEAR = IntRange(2000, 2100)
COUNT = IntRange(0, 1_000_000)  # quota places, demo cases
SEED = IntRange(0, 2**32 - 1)
ROW_ID = IntRange(1, 2**63 - 1)  # SQLite's integer keys


class UsageError(UserError):
    """The command line itself is wrong. Exit 2, like any bad input."""

    def __init__(self, detail: str, *, field: str | None, prog: str, usage: str) -> None:
        super().__init__(MSG_USAGE, field=field, detail=detail)
        self.prog, self.usage = prog, usage


class MigregParser(argparse.ArgumentParser):
    """Subparsers are made of the same class (argparse's parser_class default)."""

    def error(self, message: str) -> NoReturn:
        detail, field = _translate(message)
        raise UsageError(detail, field=field, prog=self.prog, usage=self.format_usage())

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(str(c) for c in action.choices)
            raise argparse.ArgumentError(action, _(MSG_CHOICE).format(value=value, choices=choices))

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        if action.type in (int, float) or isinstance(action.type, IntRange):
            shown = printable(arg_string[:40])
            try:
                value = action.type(arg_string)
            except ValueError:  # also a number of more than 4,300 digits (Python's limit)
                raise argparse.ArgumentError(action, _(MSG_NUMBER).format(value=shown)) from None
            bounds = action.type
            if isinstance(bounds, IntRange) and not bounds.low <= value <= bounds.high:
                raise argparse.ArgumentError(action, _(MSG_RANGE).format(
                    value=shown, min=f"{bounds.low:,}", max=f"{bounds.high:,}"))
            return value
        return super()._get_value(action, arg_string)


def _translate(message: str) -> tuple[str, str | None]:
    """(the detail in the clerk's language where we know the wording, the field it is about)."""
    for pattern, msgid, is_field in _KNOWN:
        m = pattern.fullmatch(message)
        if m:
            names = m.groupdict().get("names", "")
            return _(msgid).format(names=names), _field(names) if is_field else None
    m = _ARGUMENT.fullmatch(message)
    if m:
        names = m.group("names")
        for pattern, msgid, _is_field in _KNOWN:  # "argument --to: expected one argument"
            if pattern.fullmatch(m.group("detail")):
                return f"{names}: {_(msgid).format(names=names)}", _field(names)
        return f"{names}: {m.group('detail')}", _field(names)
    return message, None


def _field(names: str) -> str | None:
    """"--data-dir/-d" → "data_dir"; "COMMAND" (a subcommand) → "command"."""
    first = names.split(",")[0].split("/")[0].strip()
    return first.lstrip("-").replace("-", "_").lower() or None


def output_options(argv: Sequence[str]) -> tuple[str | None, bool, str | None]:
    """(--lang, --json, --data-dir) read straight from argv: after a usage error argparse has
    not produced them, and they may stand before or after the subcommand."""
    lang, as_json, data_dir = None, False, None
    items = list(argv)
    for i, item in enumerate(items):
        if item == "--":
            break
        value = items[i + 1] if i + 1 < len(items) else None
        if item == "--json":
            as_json = True
        elif item in ("--lang", "--data-dir") and value is not None:
            lang, data_dir = (value, data_dir) if item == "--lang" else (lang, value)
        elif item.startswith("--lang="):
            lang = item.split("=", 1)[1]
        elif item.startswith("--data-dir="):
            data_dir = item.split("=", 1)[1]
    return (lang if lang in ("kk", "ru", "en") else None), as_json, data_dir


def usage_failure(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    """Answer a bad command line. The language is known only now (from argv, else as every
    command chooses it), so the same argv is parsed again to word the error in it."""
    from migreg_desktop.cli.context import Context, _fail

    lang, as_json, data_dir = output_options(argv)
    given = {"lang": lang, "json": as_json, "data_dir": data_dir}
    ctx = Context(argparse.Namespace(**{k: v for k, v in given.items() if v}))
    try:
        parser.parse_args(argv)
    except UsageError as exc:
        print(exc.usage.rstrip(), file=sys.stderr)
        code = _fail(ctx, exc, None)
        print(_(MSG_HELP).format(command=exc.prog), file=sys.stderr)
        return code
    finally:
        ctx.close()
    return 2  # parsing is deterministic: not reached
