"""Running one command: who may, then the command, then the follow-up its changes call for
(a re-check of every open case after new reference data), then the output and the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from migreg_desktop import i18n
from migreg_desktop.cli.context import Context, _default, _fail, emit_json, internal_error
from migreg_desktop.errors import MigregError, RuleRefused
from migreg_desktop.safe_text import printable


def run_command(args: argparse.Namespace, ctx: Context) -> int:
    func: Callable[[argparse.Namespace, Context], Any] = args.func
    try:
        # Imported when a command runs, not when the parser is built (the CLI starts fast).
        from migreg_desktop.cli.access import authorize, damage_error, guard_damaged

        try:
            authorize(args, ctx)  # the role the command needs (cli/access.py; docs/accounts.md)
            guard_damaged(args, ctx)
            result = func(args, ctx)
            if ctx.changed:  # the policy is asked only when something changed (a read starts fast)
                from migreg_desktop.cli.eligibility import recheck_after
                from migreg_desktop.eligibility.watch import needs_full_recheck

                if needs_full_recheck(ctx.changed):  # issue 4 §2: new reference data: every open case again
                    result = recheck_after(ctx, result)
        except MigregError:
            raise
        except Exception as exc:  # a damaged file or a refused write: the clerk's words, not a trace
            known = damage_error(exc, ctx)
            if known is None:
                raise
            raise known from exc
    except RuleRefused as exc:
        return _fail(ctx, exc, getattr(exc, "result", None))
    except MigregError as exc:
        return _fail(ctx, exc, None)
    except KeyboardInterrupt:
        print(i18n._("Interrupted."), file=sys.stderr)
        return 3
    except Exception as exc:  # a bug: say so; the trace goes to the log, not to the screen
        return internal_error(ctx, exc)
    code = 0
    if isinstance(result, tuple):  # (document, exit code) for "rule said no" answers
        result, code = result
    if ctx.json and result is not None:
        emit_json(result)
    elif result is not None and not isinstance(result, dict | list):
        print(printable(str(result)))
    elif result is not None:
        print(printable(json.dumps(result, ensure_ascii=False, default=_default, indent=2)))
    return code
