"""A batch of a package's rows checked column by column in C (issue 17 §3): which rows plainly pass
``record_checks.check_record`` unchanged (the import's common case), without a pydantic model per row.

Each declared value of ``record_checks.RECORDS`` has a column rule here that accepts a value only
when the record's model would accept it *and give it back unchanged* (already NFC, ASCII IIN
digits, a known choice …). A column is first judged whole, in a few passes over all its values;
only a column that fails is looked at value by value, and only the rows it names go through the
model (which refuses them or normalises them). So the rule here may be stricter than the model,
never looser: tests/unit/sync/test_record_batch.py holds it to ``check_record`` on good rows and
on every kind of bad value. Imports nothing heavy: an import's worker process runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import repeat
from operator import itemgetter
from typing import Any

from migreg_desktop.cases.limits import (
    CODE_MAX,
    FAMILY_MAX,
    FULL_NAME_MAX,
    LATIN_NAME_MAX,
    NAME_MAX,
    NOTE_MAX,
    QUOTA_YEAR_MAX,
    QUOTA_YEAR_MIN,
    TEXT_MAX,
)
from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.safe_text import plainly_clean
from migreg_desktop.vocabulary import (
    CASE_KINDS,
    CHANNELS,
    CITIZENSHIPS,
    EMPLOYMENT,
    HOUSING,
    RELATIONS,
    SEXES,
    STATUSES,
)

ABSENT: Any = object()  # a row without the key: the model's default, or "is required"
_NONE = type(None)
Known = Callable[[str], bool]


class Column:
    """One declared value. ``none``: null passes unchanged; ``absent``: a row may lack the key."""

    types: frozenset[type] = frozenset({str})

    def __init__(self, *, none: bool = True, absent: bool | None = None) -> None:
        self.none, self.absent = none, none if absent is None else absent
        self.allowed = self.types | ({_NONE} if none else set()) | ({object} if self.absent else set())

    def plain(self, values: Sequence[Any], known: Known, today: date) -> bool:
        """True only when every value passes unchanged (values: ``ABSENT`` for a missing key)."""
        kinds = set(map(type, values))
        if not kinds <= self.allowed:
            return False
        given = values if len(kinds) == 1 and kinds <= self.types else [v for v in values if type(v) in self.types]
        return self.plain_given(given, known, today)

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        """``plain`` of the values of the column's own type."""
        raise NotImplementedError


class Text(Column):
    """``case_document.text``: NFC, printable, within the limit; ``required``: not blank either."""

    def __init__(self, limit: int, *, multiline: bool = False, required: bool = False) -> None:
        super().__init__(none=not required)
        self.limit, self.multiline, self.required = limit, multiline, required

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        distinct = list(set(given))  # names, offices, clerks repeat
        return (plainly_clean(distinct, self.limit, self.multiline)
                and (not self.required or all(map(str.strip, distinct))))


class Choice(Column):
    """``record_checks.one_of``: one of a list of codes (each a clean text: tested)."""

    def __init__(self, choices: tuple[str, ...], *, required: bool = False) -> None:
        super().__init__(none=not required)
        self.choices = frozenset(choices)

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        return self.choices.issuperset(given)


class Day(Column):
    """``record_checks.RecDay``: a code text that ``date.fromisoformat`` reads."""

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        distinct = list(set(given))
        if not plainly_clean(distinct, CODE_MAX):
            return False
        try:
            list(map(date.fromisoformat, distinct))
        except ValueError:
            return False
        return True


class Iin(Column):
    """``record_checks.RecIin``: twelve ASCII digits that ``rules.iin`` finds nothing to say about."""

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        return iin_rules.all_plainly_valid(given, today)


class Kato(Column):
    """``record_checks.Kato``: a code text this office knows."""

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        distinct = list(set(given))
        return plainly_clean(distinct, CODE_MAX) and all(map(known, distinct))


class Whole(Column):
    """A whole number (not a bool) from ``low`` to ``high``."""

    types = frozenset({int})

    def __init__(self, low: int, high: int, *, absent: bool = False) -> None:
        super().__init__(none=False, absent=absent)
        self.low, self.high = low, high

    def plain_given(self, given: Sequence[Any], known: Known, today: date) -> bool:
        return not given or (self.low <= min(given) and max(given) <= self.high)


_CODE, _NAME, _TEXT = Text(CODE_MAX), Text(NAME_MAX), Text(TEXT_MAX)
_NOTE, _DAY, _IIN, _KATO = Text(NOTE_MAX, multiline=True), Day(), Iin(), Kato()
_REQUIRED_NAME = Text(NAME_MAX, required=True)

# record_checks.RECORDS, value by value (tests/unit/sync/test_record_batch.py: the same names).
COLUMNS: dict[str, dict[str, Column]] = {
    "persons": {
        "id": _CODE, "iin": _IIN, "surname": _REQUIRED_NAME, "name": _REQUIRED_NAME, "patronymic": _NAME,
        "name_latin": Text(LATIN_NAME_MAX), "birth_date": _DAY, "sex": Choice(SEXES),
        "citizenship": Choice(CITIZENSHIPS), "phone": _CODE, "address": _TEXT, "registered_since": _DAY,
        "employment_status": Choice(EMPLOYMENT), "jobseeker_since": _DAY, "education": _TEXT,
        "profession": _TEXT, "kandas_certificate_no": _CODE, "kandas_certificate_date": _DAY,
        "origin_country": _TEXT, "former_citizenship": _TEXT, "nationality": _TEXT, "owner_office": _CODE,
    },
    "cases": {
        "number": _CODE, "office_code": _CODE, "kind": Choice(CASE_KINDS, required=True),
        "status": Choice(STATUSES, required=True), "quota_year": Whole(QUOTA_YEAR_MIN, QUOTA_YEAR_MAX),
        "origin_kato": _KATO, "destination_kato": _KATO, "channel": Choice(CHANNELS), "housing": Choice(HOUSING),
        "employer": _TEXT, "notes": _NOTE, "clerk": _TEXT, "applicant_iin": _IIN,
        "applicant_name": Text(FULL_NAME_MAX), "family_size": Whole(1, 1 + FAMILY_MAX), "owner_office": _CODE,
    },
    "family_members": {
        "relation": Choice(RELATIONS, required=True), "position": Whole(0, FAMILY_MAX - 1, absent=True),
    },
    "documents": {
        "id": _CODE, "doc_type": Text(TEXT_MAX, required=True), "number": _TEXT, "issued_on": _DAY,
        "expires_on": _DAY, "note": _NOTE,
    },
    "status_changes": {
        "from_status": Choice(STATUSES), "to_status": Choice(STATUSES, required=True), "by_user": _TEXT,
        "comment": _NOTE,
    },
}


def unplain_rows(record_type: str, datas: Sequence[dict[str, Any]], known: Known) -> list[int]:
    """The positions of the rows (each a dict) that ``record_checks.check_record`` must see, in
    order: the others pass it unchanged. None at all in the common case; a record type with no
    declared values has none."""
    columns = COLUMNS.get(record_type)
    if not columns or not datas:
        return []
    today = iin_rules.today()
    bad: set[int] = set()
    for column, values in zip(columns.values(), _table(tuple(columns), datas), strict=True):
        if not column.plain(values, known, today):
            bad.update(i for i, value in enumerate(values) if not column.plain((value,), known, today))
    return sorted(bad)


def _table(names: tuple[str, ...], datas: Sequence[dict[str, Any]]) -> list[Sequence[Any]]:
    """The rows' values of ``names``, column by column (``ABSENT`` where a row lacks one)."""
    if len(names) > 1:
        try:  # every row has every column (an export writes them all): one pass in C
            return list(zip(*map(itemgetter(*names), datas), strict=True))
        except KeyError:
            pass
    return [list(map(dict.get, datas, repeat(name), repeat(ABSENT))) for name in names]
