"""What every command shares: data dir, language, actor, database, output, exit codes."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migreg_desktop import i18n, paths
from migreg_desktop.changes import Changes
from migreg_desktop.errors import MigregError, ValidationError
from migreg_desktop.i18n import N_
from migreg_desktop.safe_text import printable
from migreg_desktop.settings import Settings

if TYPE_CHECKING:  # the database layers load when a command first uses them (issue 17 §5)
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from migreg_desktop.storage.reader import Rows
    from migreg_desktop.storage.unit_of_work import UnitOfWork


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        if getattr(args, "data_dir", None):
            paths.set_data_dir(args.data_dir)
        self.settings = Settings() if paths.settings_path().parent.exists() else None
        lang = getattr(args, "lang", None) or os.environ.get("MIGREG_LANG") or self._setting("language") or "ru"
        i18n.set_language(lang)
        self._engine: Engine | None = None
        # Set by cli/access.authorize: the logged-in account, its role, and who is acting
        # (a services.permissions.Actor); all None in set-up mode.
        self.account: str | None = None
        self.role: str | None = None
        self.acting: Any = None
        self.read_only = False  # set by cli/access.guard_damaged
        self.changed = Changes()  # what this command's units of work committed (with follow-ups)

    def _setting(self, key: str) -> Any:
        return self.settings.get(key) if self.settings else None

    @property
    def actor(self) -> str:
        if self.account:
            return self.account
        return (getattr(self.args, "user", None) or os.environ.get("MIGREG_USER")
                or self._setting("clerk_name") or _login_name())

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from migreg_desktop.refdata.setup import open_existing

            self._engine = open_existing(actor=self.actor)
        return self._engine

    def set_engine(self, engine: Engine) -> None:
        self._engine = engine

    def close(self) -> None:
        """Close the database now, not at garbage collection: a late close checkpoints the WAL
        into whatever the file has become since (restore, repair), and Windows keeps it locked.
        A copy of a big write's WAL still running (storage/checkpoint.py) ends first, for the same
        reason: as at the end of the process, the command is done when its file is whole."""
        from migreg_desktop.storage import checkpoint

        checkpoint.wait()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def work(self) -> UnitOfWork:
        """The unit of work, built the same way as the window's (eligibility.watch.unit_of_work)."""
        from migreg_desktop.eligibility.watch import unit_of_work

        return unit_of_work(self.engine, lambda: self.acting or self.actor, notify=self._changed)

    def _changed(self, done: Changes) -> None:
        self.changed = self.changed | done

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.work.session() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Rows | Session]:
        """For a command that only reads: a read-only connection while the database needs
        nothing (no SQLAlchemy import: `case list` answers at once, issue 17 §5); else a session,
        which opens the full way (migrates, loads shipped data, refuses a damaged file)."""
        if self._engine is None and not self.read_only:
            from migreg_desktop.refdata.shipped import read_as_is

            with read_as_is() as db:
                if db is not None:
                    yield db
                    return
        with self.session() as session:
            yield session

    def info(self, text: str) -> None:
        """Human output: stdout without --json, stderr with it (stdout holds the JSON)."""
        print(printable(text), file=sys.stderr if self.json else sys.stdout)

    def progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty() and total:
            width = 30
            filled = int(width * done / total)
            print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
            if done >= total:
                print(file=sys.stderr)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows services
        return "clerk"


def _default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def emit_json(result: Any) -> None:
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=_default, indent=2) + "\n")


def _error_doc(exc: MigregError) -> dict[str, Any]:
    doc: dict[str, Any] = {"code": exc.exit_code, "message": exc.message(), "field": exc.field}
    if isinstance(exc, ValidationError):
        doc["errors"] = [{"field": f, "message": m} for f, m in
                         zip([p[0] for p in exc.problems], exc.messages(), strict=True)]
    else:  # the same shape for every error, so a script reads one key
        doc["errors"] = [{"field": exc.field, "message": doc["message"]}]
    if hasattr(exc, "messages") and hasattr(exc, "warnings"):
        doc["warnings"] = exc.messages()
    return doc


def internal_error(ctx: Context, exc: BaseException) -> int:
    """Exit 3 with a generic message and where the report is. The exception's text stays out of
    stdout and stderr: it may quote personal data (an SQL error prints the row it could not
    write); the report in the owner-only data dir is redacted like every log (services/privacy)."""
    log_file = write_crash_report(exc)
    kind = type(exc).__name__
    message = (i18n._("Internal error ({kind}): this is a bug. The report is in {path}; please send it "
                      "to the administrator.").format(kind=kind, path=log_file) if log_file else
               i18n._("Internal error ({kind}): this is a bug.").format(kind=kind))
    print(message, file=sys.stderr)
    if ctx.json:
        emit_json({"error": {"code": 3, "message": message, "field": None,
                             "errors": [{"field": None, "message": message}]}})
    return 3


def write_crash_report(exc: BaseException) -> Path | None:
    """Append the redacted traceback to logs/crash.log (the window's crash dialog writes there
    too); None when the log cannot be written."""
    from datetime import UTC

    from migreg_desktop import __version__
    from migreg_desktop.storage.privacy import redact_report

    text = redact_report("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    head = f"migreg {__version__} (command line), {datetime.now(UTC).isoformat(timespec='seconds')}\n"
    try:
        path = paths.log_dir() / "crash.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(head + text + "-" * 72 + "\n")
    except OSError:
        return None
    return path


def _fail(ctx: Context, exc: MigregError, result: Any) -> int:
    lines = exc.messages() if isinstance(exc, ValidationError) else [exc.message()]
    for line in lines:  # a message may quote what was typed: escaped like all human output
        print(printable(line), file=sys.stderr)
    if ctx.json:
        emit_json(result if result is not None else {"error": _error_doc(exc)})
    return exc.exit_code


def add_command(sub: Any, common: argparse.ArgumentParser, name: str, func: Callable[..., Any],
                help_text: str, *, action: str | None = None, login: bool = True,
                flag_actions: dict[str, str] | None = None,
                allow_damaged: bool = False) -> argparse.ArgumentParser:
    """``action``: what the command does in the permissions table (services/permissions.py), which
    alone says who may run it; None = any logged-in account. ``flag_actions``: an option that
    needs another action when given (``--accept-gap`` → ``sync.accept_gap``). ``login=False``:
    no login (the command touches no database). ``allow_damaged``: runs even when the database
    cannot be read (doctor, restore). Checked centrally by run_command → cli/access.authorize."""
    if action is not None:
        from migreg_desktop.accounts.permissions import permission

        permission(action)  # an unknown name fails when the parser is built, not when run
    parser = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
    # "gate", not "action": `audit list --action` has its own
    parser.set_defaults(func=func, gate=action, login=login, gate_flags=flag_actions or {},
                        allow_damaged=allow_damaged)
    return parser


def add_group(sub: Any, common: argparse.ArgumentParser, name: str, help_text: str) -> Any:
    parser = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
    group = parser.add_subparsers(dest=f"{name}_command", metavar="ACTION")
    group.required = True
    return group


MSG_TOO_BIG = N_("{path} is larger than {max} bytes; nothing was read")


def read_json_file(path: str, field: str = "file", *, max_bytes: int | None = None) -> Any:
    """The JSON in ``path`` ('-': stdin). With ``max_bytes``, at most that many bytes are read and
    a larger file is refused before anything is parsed (a 10 MB case file is not one)."""
    from migreg_desktop.errors import UserError

    try:
        raw = _read_bytes(path, max_bytes)
    except OSError as exc:
        raise UserError("cannot read {path}: {error}", field=field, path=path, error=exc.strerror or str(exc)) from exc
    if max_bytes is not None and len(raw) > max_bytes:  # before decoding: the cut may split a letter
        raise UserError(MSG_TOO_BIG, field=field, path=path, max=format(max_bytes, ","))
    try:
        text = raw if isinstance(raw, str) else raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # e.g. saved as UTF-16 or Windows-1251 by a text editor
        raise UserError("{path} is not UTF-8 text (byte {offset}); save the file as UTF-8",
                        field=field, path=path, offset=exc.start) from exc
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than Python's stack
        raise UserError("{path} is not valid JSON: {error}", field=field, path=path, error=str(exc)) from exc


def _read_bytes(path: str, max_bytes: int | None) -> bytes | str:
    """At most ``max_bytes + 1`` bytes (one more than allowed tells that the file is too big)."""
    size = -1 if max_bytes is None else max_bytes + 1
    if path == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        # Bytes when the stream has them (decoded as UTF-8 like a file); a test's StringIO has not.
        return buffer.read(size) if buffer is not None else sys.stdin.read(size)
    with Path(path).open("rb") as fh:
        return fh.read(size)
