"""Checking the rows of an imported table (the settlement list, official statistics): every row's
problems with its row number, a second row of the same (year, KATO) refused as a duplicate, and
nothing clean unless the caller decides so (it writes only when there are no errors at all)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from migreg_desktop.i18n import N_, _

Problem = tuple[str, str, dict[str, Any]]  # (field, msgid, params)
RowCheck = Callable[[dict[str, Any]], tuple[dict[str, Any], list[Problem]]]
MSG_DUPLICATE = N_("duplicate of row {row} (same year and KATO)")


def check_rows(rows: Iterable[tuple[int, dict[str, Any]]], check: RowCheck
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(clean rows, errors {"row", "field", "message", "msgid"}) for numbered raw rows."""
    clean: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[Any, Any], int] = {}  # (year, KATO) of the clean rows so far
    for n, raw in rows:
        row, problems = check(raw)
        key = (row.get("year"), row.get("kato"))
        if not problems and key in seen:
            problems.append(("kato", MSG_DUPLICATE, {"row": seen[key]}))
        for field, msgid, params in problems:
            errors.append({"row": n, "field": field, "message": _(msgid).format(**params), "msgid": msgid})
        if not problems:
            seen[key] = n
            clean.append(row)
    return clean, errors
