"""The rows a partner's package brings, through the same documents as typed input (issue 12 item 2).

A package carries table rows (``sync/records.py``), not case files; each row type has a model
here built on the fields of ``case_document`` — the same text limits, Unicode rules and IIN
folding — plus the rules a row must meet on its own: statuses, kinds, relations, sexes and
channels from their lists, a quota year in range, a valid IIN, a KATO code this office knows.
A row that fails is refused with its field and reason; the importer rejects the whole package
(nothing applied). Columns not declared here (ids, versions, timestamps) are checked by the
package schema (``sync/apply.validate``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import repeat
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo

from migreg_desktop.cases.case_document import (
    MSG_RANGE,
    Code,
    CodeText,
    DayValue,
    DocumentDoc,
    FullName,
    IinText,
    Name,
    Note,
    PersonDoc,
    Text,
    fail,
)
from migreg_desktop.cases.case_document import validate as validate_doc
from migreg_desktop.cases.cases import MSG_BAD_YEAR, MSG_UNKNOWN_KATO
from migreg_desktop.cases.limits import FAMILY_MAX, QUOTA_YEAR_MAX, QUOTA_YEAR_MIN
from migreg_desktop.cases.persons import MSG_BAD_DATE, MSG_CHOICE, MSG_REQUIRED
from migreg_desktop.models.case import CHANNELS, HOUSING
from migreg_desktop.models.person import CITIZENSHIPS, EMPLOYMENT, SEXES
from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.vocabulary import CASE_KINDS as KINDS
from migreg_desktop.vocabulary import RELATIONS, STATUSES


def one_of(choices: tuple[str, ...], *, required: bool = False) -> AfterValidator:
    def check(value: str | None) -> str | None:
        if value is None and required:
            raise fail(MSG_REQUIRED)
        if value is not None and value not in choices:
            raise fail(MSG_CHOICE, value=value, choices=", ".join(choices))
        return value

    return AfterValidator(check)


def _required(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise fail(MSG_REQUIRED)
    return value


def _valid_iin(value: str | None) -> str | None:
    if value is None:
        return None
    if iin_rules.plainly_valid(value, iin_rules.today()):  # exactly "check finds nothing" (issue 17 §3)
        return value
    result = iin_rules.check(value)
    if result.errors:
        msgid, params = result.errors[0]
        raise fail(msgid, **params)
    return result.iin


def _iso_date(value: str | date | None) -> str | date | None:
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise fail(MSG_BAD_DATE, value=value) from None
    return value


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not QUOTA_YEAR_MIN <= value <= QUOTA_YEAR_MAX:
        raise fail(MSG_BAD_YEAR, value=str(value)[:20])
    return value


def whole_number(low: int, high: int) -> BeforeValidator:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise fail(MSG_RANGE, value=str(value)[:20], min=low, max=high)
        return value

    return BeforeValidator(check)


def _kato(value: str | None, info: ValidationInfo) -> str | None:
    known: Callable[[str], bool] | None = (info.context or {}).get("kato_known")
    if value is not None and known is not None and not known(value):
        raise fail(MSG_UNKNOWN_KATO, kato=value)
    return value


# A rule that lets None pass sits inside the ``| None``: a null is then accepted by pydantic itself,
# not handed to Python (an imported row has many empty columns: issue 17 §3). A rule that refuses
# None (``_required``, ``one_of(required=True)``) sits outside it.
RecIin = Annotated[IinText, AfterValidator(_valid_iin)] | None
RecDay = Annotated[DayValue, AfterValidator(_iso_date)] | None
RequiredName = Annotated[Name, AfterValidator(_required)]
Kato = Annotated[CodeText, AfterValidator(_kato)] | None
Sex = Annotated[CodeText, one_of(SEXES)] | None
Citizenship = Annotated[CodeText, one_of(CITIZENSHIPS)] | None
Employment = Annotated[CodeText, one_of(EMPLOYMENT)] | None
Channel = Annotated[CodeText, one_of(CHANNELS)] | None
Housing = Annotated[CodeText, one_of(HOUSING)] | None
Status = Annotated[CodeText, one_of(STATUSES)] | None


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PersonRecord(PersonDoc):
    model_config = _Record.model_config  # a row has bookkeeping columns too (id, version …)
    iin: RecIin = None
    surname: RequiredName
    name: RequiredName
    birth_date: RecDay = None
    registered_since: RecDay = None
    jobseeker_since: RecDay = None
    kandas_certificate_date: RecDay = None
    sex: Sex = None
    citizenship: Citizenship = None
    employment_status: Employment = None
    owner_office: Code = None


class CaseRecord(_Record):
    number: Code = None
    office_code: Code = None
    kind: Annotated[Code, one_of(KINDS, required=True)]
    status: Annotated[Code, one_of(STATUSES, required=True)]
    quota_year: Annotated[Any, BeforeValidator(_year)]
    origin_kato: Kato = None
    destination_kato: Kato = None
    channel: Channel = None
    housing: Housing = None
    employer: Text = None
    notes: Note = None
    clerk: Text = None
    applicant_iin: RecIin = None
    applicant_name: FullName = None
    # It counts against the quota (counting "persons") and sizes the support payments.
    family_size: Annotated[int, whole_number(1, 1 + FAMILY_MAX)]
    owner_office: Code = None


class FamilyMemberRecord(_Record):
    relation: Annotated[Code, one_of(RELATIONS, required=True)]
    position: Annotated[int, whole_number(0, FAMILY_MAX - 1)] = 0


class DocumentRecord(DocumentDoc):
    model_config = _Record.model_config
    doc_type: Annotated[Text, AfterValidator(_required)]
    issued_on: RecDay = None
    expires_on: RecDay = None


class StatusChangeRecord(_Record):
    from_status: Status = None
    to_status: Annotated[Code, one_of(STATUSES, required=True)]
    by_user: Text = None
    comment: Note = None


RECORDS: dict[str, type[BaseModel]] = {
    "persons": PersonRecord, "cases": CaseRecord, "family_members": FamilyMemberRecord,
    "documents": DocumentRecord, "status_changes": StatusChangeRecord,
}


# Row types whose declared values repeat across rows (a handful of statuses, relations and
# positions): a distinct set of values is checked once per import (issue 17 §3).
REPEATING = frozenset({"family_members", "status_changes"})
MEMO_MAX = 10_000
_ABSENT = object()


def check_record(record_type: str, data: dict[str, Any], *, kato_known: Callable[[str], bool],
                 memo: dict[tuple[Any, ...], dict[str, Any]] | None = None) -> dict[str, Any]:
    """The row's declared values, normalised (NFC text, ASCII IIN digits); ValidationError with
    field keys such as ``surname`` or ``quota_year`` when one fails. Undeclared types pass.

    ``memo`` (one per import and type, for ``REPEATING`` types): what a set of declared values
    gave before; only values that passed are remembered, so a bad row is always refused."""
    model = RECORDS.get(record_type)
    if model is None:
        return {}
    key = None
    if memo is not None and record_type in REPEATING:
        key = tuple(map(data.get, model.model_fields, repeat(_ABSENT)))
        try:
            if key in memo:
                return dict(memo[key])
        except TypeError:  # an unhashable value: checked below like any other (and refused)
            key = None
    checked = validate_doc(model, data, record_type, {"kato_known": kato_known})
    changes = _changes(checked.__dict__, data)
    if key is not None:
        if len(memo) >= MEMO_MAX:  # type: ignore[arg-type]
            memo.clear()  # type: ignore[union-attr]
        memo[key] = dict(changes)  # type: ignore[index]
    return changes


def _changes(fields: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The checked values that differ from the row's own (NFC, ASCII digits): the model's field
    values as model_dump() would give them, without the copy (a model that ignores extra keys
    holds exactly its fields in __dict__); only the row's own keys count. Nearly always none,
    which one comparison in C shows (issue 17 §3): a field the row lacks compares its default
    with None, and any difference is looked at key by key."""
    if list(map(data.get, fields)) == list(fields.values()):
        return {}
    return {k: v for k, v in fields.items() if k in data and v != data[k]}
