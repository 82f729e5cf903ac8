"""`demo --cases N [--seed S]`: synthetic cases for trying the program and for benchmarks."""

from __future__ import annotations

import argparse
import time
from typing import Any

from migreg_desktop.cli.context import Context, add_command
from migreg_desktop.cli.usage import SEED, IntRange
from migreg_desktop.i18n import _

DEMO_CASES = IntRange(1, 1_000_000)  # a million is the benchmarks' largest office


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "demo", cmd_demo, "add synthetic demo cases (never real people)",
                    action="demo.generate")
    p.add_argument("--cases", type=DEMO_CASES, required=True)
    p.add_argument("--seed", type=SEED, default=1)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    from migreg_desktop.cases.demo import generate_demo

    started = time.perf_counter()
    written = generate_demo(ctx.engine, args.cases, args.seed, progress=ctx.progress,
                            actor=ctx.acting or ctx.actor)
    seconds = round(time.perf_counter() - started, 2)
    ctx.info(_("{count} demo cases added in {seconds} s").format(count=written, seconds=seconds))
    return {"cases": written, "seconds": seconds}
