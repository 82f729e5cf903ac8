"""Benchmark: a register of about 1,000 A4 pages against a raw ReportLab script, in the same run.

    python benchmarks/bench_register.py [--cases 21500] [--lang ru]

The raw baseline reads the same rows (same columns, join and order) with one SQL query and
draws one string per cell with ``drawString`` at fixed positions, with the same two Noto Sans
TTFs embedded as subsets, the same number of pages and a header line per page; it measures
nothing and wraps nothing. It is a floor, not a twin: it shows the stored codes of kind and
status (ASCII) where the register shows their labels, the stored UTC date, and no table header,
grid, QR code, page furniture or totals. The register goes through the layout file, the data
function (chunked reads, localised numbers, dates and labels) and the renderer (wrapping,
alignment, grid, "page N of M"). Where the register gains on it: its table text is one text
object per row written by forms/pdftext.py, where ``drawString`` makes one per cell.
In the single pair the register runs first and pays the imports and the parse of the two fonts,
which the raw script then finds registered. Target: ratio ≤ 1.2 (issue 17 §6; was ≤ 2).

Memory: tracemalloc peak of the Python heap while rendering, for a tenth of the cases and for
all of them (rows are streamed in chunks; what grows is ReportLab's compressed page streams,
which it keeps until it writes the file).

The machine is shared: one ours-then-raw pair can swing either way. ``--pairs N`` times N pairs
in A B B A order (drift cancels) and prints each pair's wall and CPU ratio and their medians
(the CPU ratio is the steadier under load); ``--data-dir`` keeps
the set-up database between calls; ``--only ours|raw`` renders one side and prints its time, for
pairing whole processes with an outside timer (``/usr/bin/time``, hyperfine).

    python benchmarks/bench_register.py --data-dir /tmp/reg --pairs 5 --no-memory [--lean]

``--lean`` adds pairs against ``raw_lean``, a stricter yardstick than the issue's: the raw
script with one ReportLab text object a page instead of ``drawString`` per cell.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

START, END = date(2026, 1, 1), date(2026, 12, 31)


def setup(data_dir: Path, cases: int):  # noqa: ANN201
    from forms_helpers import bulk_cases

    from migreg_desktop import paths
    from migreg_desktop.refdata.setup import init_database, open_existing

    paths.set_data_dir(data_dir)
    if paths.db_path().exists():  # --data-dir of an earlier call: the same cases
        return open_existing()
    engine, _ = init_database("ALM-KNV")
    from datetime import UTC, datetime, timedelta

    first = datetime(2026, 1, 2, 5, 0, tzinfo=UTC)
    for step in range(0, cases, 5000):  # one case a minute from 2 January
        bulk_cases(engine, min(5000, cases - step), start=first + timedelta(minutes=step), base=step)
    return engine


def ours(engine, out: Path, lang: str, end: date = END) -> dict:  # noqa: ANN001
    from migreg_desktop.forms import render_register
    from migreg_desktop.storage.db import session_scope

    with session_scope(engine) as session:
        return render_register("ALM-KNV", START, end, lang, out, session=session)


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(ROOT / "resources" / "fonts" / f"{name}.ttf")))


def _raw_start(engine, out: Path, lang: str):  # noqa: ANN001, ANN202
    """What both raw scripts do first: the fonts, every row in one query, the canvas."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from sqlalchemy import text

    register_fonts()
    name_col = "t.name_kk" if lang == "kk" else "t.name_ru"
    sql = (f"SELECT c.number, c.created_at, c.applicant_name, c.applicant_iin, c.kind, c.family_size,"
           f" {name_col}, c.status FROM cases c LEFT JOIN territory t ON t.kato = c.destination_kato"
           " WHERE c.office_code = 'ALM-KNV' ORDER BY c.created_at, c.rowid")
    width, height = landscape(A4)
    canvas = Canvas(str(out), pagesize=(width, height), pageCompression=1, initialFontName="NotoSans-Regular")
    with engine.connect() as con:
        rows = con.execute(text(sql)).all()
    return canvas, rows, [x * mm for x in (12, 25, 63, 83, 140, 165, 195, 213, 253)], height, mm


def _raw_pages(engine, out: Path, pages: int, lang: str, draw_rows) -> int:  # noqa: ANN001
    canvas, rows, xs, height, mm = _raw_start(engine, out, lang)
    per_page = -(-len(rows) // pages)
    for p in range(pages):
        canvas.setFont("NotoSans-Bold", 10.5)
        canvas.drawString(12 * mm, height - 15 * mm, f"Register of cases — page {p + 1} of {pages}")
        cells = [(str(n), row[0], str(row[1])[:10], row[2], row[3] or "", row[4], str(row[5]), row[6] or "", row[7])
                 for n, row in enumerate(rows[p * per_page:(p + 1) * per_page], start=p * per_page + 1)]
        draw_rows(canvas, cells, xs, height - 38 * mm, 6 * mm)
        canvas.showPage()
    canvas.save()
    return pages


def raw(engine, out: Path, pages: int, lang: str) -> int:  # noqa: ANN001
    """The baseline: same rows, one drawString per cell, same fonts."""

    def draw_rows(canvas, rows, xs, y, step) -> None:  # noqa: ANN001
        canvas.setFont("NotoSans-Regular", 8.5)
        for cells in rows:
            for x, cell in zip(xs, cells, strict=True):
                canvas.drawString(x, y, cell)
            y -= step

    return _raw_pages(engine, out, pages, lang, draw_rows)


def raw_lean(engine, out: Path, pages: int, lang: str) -> int:  # noqa: ANN001
    """A stricter yardstick (--lean): the raw script with one text object a page (``setTextOrigin``
    and ``_textOut`` per cell, as the register did before issue 17) instead of ``drawString``'s one
    per cell and its width measurement."""

    def draw_rows(canvas, rows, xs, y, step) -> None:  # noqa: ANN001
        page_text = canvas.beginText()
        page_text.setFont("NotoSans-Regular", 8.5)
        for cells in rows:
            for x, cell in zip(xs, cells, strict=True):
                page_text.setTextOrigin(x, y)
                page_text._textOut(cell)
            y -= step
        canvas.drawText(page_text)

    return _raw_pages(engine, out, pages, lang, draw_rows)


def peak(fn) -> tuple[float, object]:  # noqa: ANN001
    tracemalloc.start()
    result = fn()
    _cur, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1e6, result


def timed(fn) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def timed_cpu(fn) -> tuple[float, float]:  # noqa: ANN001
    """Wall and CPU seconds of this process: on a shared machine the CPU figure is the steadier."""
    c0 = time.process_time()
    wall = timed(fn)
    return wall, time.process_time() - c0


def pairs(engine, tmp_path: Path, lang: str, pages: int, n: int, baseline=None) -> None:  # noqa: ANN001
    """n pairs in A B B A order; the median of the pair ratios is the figure to quote."""
    walls, cpus = [], []
    baseline = baseline or raw
    for i in range(n):
        run_ours = lambda: ours(engine, tmp_path / "register.pdf", lang)  # noqa: E731
        run_raw = lambda: baseline(engine, tmp_path / "raw.pdf", pages, lang)  # noqa: E731
        if i % 2 == 0:
            a, b = timed_cpu(run_ours), timed_cpu(run_raw)
        else:
            b, a = timed_cpu(run_raw), timed_cpu(run_ours)
        walls.append(a[0] / b[0])
        cpus.append(a[1] / b[1])
        print(f"pair {i + 1}: register {a[0]:.2f} s (cpu {a[1]:.2f}), {baseline.__name__} {b[0]:.2f} s (cpu {b[1]:.2f}), "
              f"ratio {walls[-1]:.2f} (cpu {cpus[-1]:.2f})")
    for name, ratios in (("wall", walls), ("cpu", cpus)):
        print(f"median {name} ratio of {n} pairs: {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}; target ≤ 1.2)")


def memory(engine, tmp_path: Path, cases: int, lang: str, result: dict) -> None:  # noqa: ANN001
    tenth = date(2026, 1, 2 + max(1, cases // 10 // 1440))
    small, res_small = peak(lambda: ours(engine, tmp_path / "small.pdf", lang, tenth))
    full, _ = peak(lambda: ours(engine, tmp_path / "full.pdf", lang))
    base, _ = peak(lambda: raw(engine, tmp_path / "raw2.pdf", result["pages"], lang))
    print(f"peak Python heap (tracemalloc): {small:.1f} MB for {res_small['pages']} pages, "
          f"{full:.1f} MB for {result['pages']} pages; raw script {base:.1f} MB")
    try:
        import resource

        print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    except ImportError:  # Windows
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=21500)
    parser.add_argument("--lang", default="ru", choices=("kk", "ru"))
    parser.add_argument("--data-dir", type=Path, help="keep the set-up database here between calls")
    parser.add_argument("--pairs", type=int, default=1, help="register/raw pairs to time (A B B A ...)")
    parser.add_argument("--only", choices=("ours", "raw"), help="render one side only and print its time")
    parser.add_argument("--pages", type=int, default=978, help="pages of the raw script with --only raw")
    parser.add_argument("--lean", action="store_true", help="also pairs against raw_lean (one text object a page)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        t0 = time.perf_counter()
        engine = setup(args.data_dir or tmp_path / "data", args.cases)
        print(f"setup: {args.cases} cases in {time.perf_counter() - t0:.1f} s")
        if args.only:
            run(engine, tmp_path, args)
        else:
            t0 = time.perf_counter()
            result = ours(engine, tmp_path / "register.pdf", args.lang)
            t_ours = time.perf_counter() - t0
            t_raw = timed(lambda: raw(engine, tmp_path / "raw.pdf", result["pages"], args.lang))
            size = os.path.getsize(tmp_path / "register.pdf") / 1e6
            print(f"register: {result['cases']} cases, {result['pages']} pages, {size:.1f} MB in {t_ours:.2f} s "
                  f"({1000 * t_ours / result['pages']:.1f} ms/page)")
            print(f"raw ReportLab, same rows and pages: {t_raw:.2f} s")
            print(f"ratio: {t_ours / t_raw:.2f} (target ≤ 1.2)")
            if args.pairs > 1:
                pairs(engine, tmp_path, args.lang, result["pages"], args.pairs)
            if args.lean:
                pairs(engine, tmp_path, args.lang, result["pages"], max(args.pairs, 1), raw_lean)
            if not args.no_memory:
                memory(engine, tmp_path, args.cases, args.lang, result)
        engine.dispose()


def run(engine, tmp_path: Path, args: argparse.Namespace) -> None:  # noqa: ANN001
    """One side only; raw needs ours' page count (--pages: 978 for the default 21,500 cases in ru)."""
    if args.only == "ours":
        result: dict = {}
        wall, cpu = timed_cpu(lambda: result.update(ours(engine, tmp_path / "register.pdf", args.lang)))
        print(f"register: {result['pages']} pages in {wall:.2f} s (cpu {cpu:.2f} s)")
    else:
        wall, cpu = timed_cpu(lambda: raw(engine, tmp_path / "raw.pdf", args.pages, args.lang))
        print(f"raw ReportLab: {args.pages} pages in {wall:.2f} s (cpu {cpu:.2f} s)")


if __name__ == "__main__":
    main()
