"""IIN (ЖСН / ИИН) validation as in shared/domain/iin.md (Gov decree 1427, IIN law).

Pure functions: no database. Each failure has its own message id so the clerk sees exactly
what is wrong; mismatches with typed birth date / sex are warnings the clerk confirms.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import mul

from migreg_desktop.i18n import N_
from migreg_desktop.safe_text import fold_digits

WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Digit 7: century and sex (1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s; odd = male).
CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

MSG_LENGTH = N_("must be exactly 12 digits")
MSG_DIGITS = N_("may contain digits only")
MSG_CENTURY = N_("the 7th digit (century and sex) must be 1–6")
MSG_DATE = N_("birth date {date} does not exist")
MSG_NO_CHECK = N_("no valid IIN has these first 11 digits (check sum is 10 twice)")
MSG_CHECK = N_("the check digit does not match")
MSG_CENTURY_ZERO = N_("century digit 0 (issued to some foreigners): birth date not checked")
MSG_BIRTH_MISMATCH = N_("the birth date typed ({typed}) differs from the IIN ({derived})")
MSG_SEX_MISMATCH = N_("the sex typed differs from the IIN")
MSG_FUTURE = N_("birth date {date} is in the future")


@dataclass
class IinCheck:
    iin: str
    valid: bool
    birth_date: date | None = None
    sex: str | None = None  # "M" | "F"
    errors: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    warnings: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def check_digit(first11: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no IIN can have them."""
    if len(first11) != 11:
        raise ValueError("11 digits expected")
    digits = [int(c) for c in first11]
    for weights in (WEIGHTS_1, WEIGHTS_2):
        s: int = sum(map(mul, weights, digits)) % 11  # checked once per imported person: kept cheap
        if s != 10:
            return s
    return None


# By the first 7 digits (275,000 IINs hold ~47,000): the birth date they give and their share of
# both weighted sums; _NOT_PLAIN (born after any day) when ``check`` would say something about them. The shares of both
# sums of digits 1–4, 5–7 and 8–11 by their spellings (at most 10,000 each), worked out as met.
_HEADS: dict[str, tuple[date, int, int]] = {}
_NOT_PLAIN = (date.max, 0, 0)
_SHARES: tuple[dict[str, tuple[int, int]], ...] = ({}, {}, {})
_PIECES = ((0, 4), (4, 7), (7, 11))


def _plain_birth(head: str) -> date | None:
    """The birth date the first 7 digits give, None when ``check`` would say anything about them."""
    c = int(head[6])
    if c not in CENTURY:
        return None
    try:
        return date(CENTURY[c] + int(head[0:2]), int(head[2:4]), int(head[4:6]))
    except ValueError:
        return None


def _share(piece: int, digits: str) -> tuple[int, int]:
    """Both weighted sums of ``digits``, the digits of piece ``piece`` of ``_PIECES``."""
    found = _SHARES[piece].get(digits)
    if found is None:
        first = _PIECES[piece][0]
        values = [int(c) for c in digits]
        found = _SHARES[piece][digits] = (sum(map(mul, WEIGHTS_1[first:], values)),
                                          sum(map(mul, WEIGHTS_2[first:], values)))
    return found


def _head(head: str) -> tuple[date, int, int]:
    born = _plain_birth(head)
    if born is None:
        found = _NOT_PLAIN
    else:
        (a1, a2), (b1, b2) = _share(0, head[:4]), _share(1, head[4:])
        found = (born, a1 + b1, a2 + b2)
    if len(_HEADS) < 1 << 17:  # bounded: every real birth date of a century fits
        _HEADS[head] = found
    return found


_DAY: tuple[float, float, date | None] = (0.0, 0.0, None)  # local midnight, the next one, that day


def today() -> date:
    """``date.today()`` (what ``check`` compares birth dates with), asked of the clock and the
    local time zone again only when the day may have changed: the bulk check asks once a case."""
    global _DAY
    since, until, day = _DAY
    now = time.time()
    if day is None or not since <= now < until:
        day = date.today()
        start = datetime.combine(day, datetime.min.time())
        _DAY = (start.timestamp(), (start + timedelta(days=1)).timestamp(), day)
    return day


def plainly_valid(iin: str | None, today: date) -> bool:
    """True exactly when ``check(iin, today)`` finds no error and no warning: the bulk check's
    fast path (issue 17 §4: 275,000 IINs per `check --all`). False means "ask ``check``"."""
    return all_plainly_valid((iin,), today)


def all_plainly_valid(iins: Iterable[str | None], today: date) -> bool:
    """``all(plainly_valid(iin, today) for iin in iins)`` in one loop: a case's people at once
    (rules/person.iin_valid_key), a column of an import's batch of persons (cases/record_batch)."""
    heads, tails = _HEADS, _SHARES[2]
    for iin in iins:
        if not iin or len(iin) != 12 or not (iin.isascii() and iin.isdigit()):  # ASCII digits only, as ``check`` wants
            return False
        born, head1, head2 = heads.get(iin[:7]) or _head(iin[:7])
        if born > today:  # or not plain at all (_NOT_PLAIN)
            return False
        tail1, tail2 = tails.get(iin[7:11]) or _share(2, iin[7:11])
        s = (head1 + tail1) % 11
        if s == 10:
            s = (head2 + tail2) % 11
        if s == 10 or s != ord(iin[11]) - 48:
            return False
    return True


def check(raw: str, today: date | None = None) -> IinCheck:
    # Any script's digits as ASCII (full-width ７ is 7): stored and compared in one spelling only.
    iin = fold_digits((raw or "").strip().replace(" ", ""))
    result = IinCheck(iin=iin, valid=False)
    if not (iin.isascii() and iin.isdigit()):
        result.errors.append((MSG_DIGITS, {}))
        return result
    if len(iin) != 12:
        result.errors.append((MSG_LENGTH, {}))
        return result
    _check_date_and_sex(iin, result, today or date.today())
    expected = check_digit(iin[:11])
    if expected is None:
        result.errors.append((MSG_NO_CHECK, {}))
    elif expected != int(iin[11]):
        result.errors.append((MSG_CHECK, {}))
    result.valid = not result.errors
    return result


def _check_date_and_sex(iin: str, result: IinCheck, today: date) -> None:
    yy, mm, dd, c = int(iin[0:2]), int(iin[2:4]), int(iin[4:6]), int(iin[6])
    if c == 0:  # ⚠ foreigners: accept with a warning, no century known
        result.warnings.append((MSG_CENTURY_ZERO, {}))
        return
    if c not in CENTURY:
        result.errors.append((MSG_CENTURY, {}))
        return
    result.sex = "M" if c % 2 else "F"
    try:
        born = date(CENTURY[c] + yy, mm, dd)
    except ValueError:
        result.errors.append((MSG_DATE, {"date": f"{dd:02d}.{mm:02d}.{CENTURY[c] + yy}"}))
        return
    if born > today:
        result.errors.append((MSG_FUTURE, {"date": born.strftime("%d.%m.%Y")}))
        return
    result.birth_date = born


def compare_typed(result: IinCheck, birth_date: date | None, sex: str | None) -> list[tuple[str, dict[str, str]]]:
    """Warnings when what the clerk typed differs from what the IIN says (never overwritten)."""
    warnings: list[tuple[str, dict[str, str]]] = []
    if birth_date and result.birth_date and birth_date != result.birth_date:
        warnings.append((MSG_BIRTH_MISMATCH, {
            "typed": birth_date.strftime("%d.%m.%Y"),
            "derived": result.birth_date.strftime("%d.%m.%Y"),
        }))
    if sex and result.sex and sex != result.sex:
        warnings.append((MSG_SEX_MISMATCH, {}))
    return warnings


def make(birth: date, sex: str, serial: int) -> str | None:
    """A synthetic IIN for test and demo data (never a real person's number)."""
    century = (birth.year // 100) * 100
    base = {1800: 1, 1900: 3, 2000: 5}[century] + (0 if sex == "M" else 1)
    first11 = f"{birth:%y%m%d}{base}{serial % 10000:04d}"
    digit = check_digit(first11)
    return None if digit is None else first11 + str(digit)
