"""A case as a typed document: the one gate every case crosses (issue 12 item 2).

``CaseDoc`` (with ``PersonDoc``, ``FamilyMemberDoc``, ``DocumentDoc``) checks what a case file,
the window's editor and — through ``services/records`` — a partner's package bring in: the keys
and their JSON types, the limits (name parts ≤ 100 characters, notes ≤ 4,000, family ≤ 30
members, documents ≤ 50; the file itself ≤ 1 MiB, checked on its bytes by the reader), Unicode
(NFC; control characters, bidi controls and invisible-only text refused: ``safe_text``) and the
IIN's digits (folded to ASCII, so ``７８…`` and ``78…`` are one person). The rules that need the
whole case or the database (required fields, KATO codes, one active case per IIN) run after it
in ``services/cases`` on the values it returns.

pydantic's errors become the project's ``ValidationError``: a field key such as
``family.2.relation`` and a message id translated when shown.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from migreg_desktop import fields
from migreg_desktop.cases.case_input import (
    BOOL,
    DATE,
    MSG_LIST,
    MSG_OBJECT,
    MSG_TYPE,
    MSG_UNKNOWN_KEYS,
    SHOWN_ONLY,
    TEXT,
    YEAR,
    found,
)
from migreg_desktop.cases.limits import (  # re-exported: the limits' old home
    CASE_FILE_MAX_BYTES as CASE_FILE_MAX_BYTES,
)
from migreg_desktop.cases.limits import (
    CODE_MAX,
    DOCUMENTS_MAX,
    FAMILY_MAX,
    FULL_NAME_MAX,
    LATIN_NAME_MAX,
    NAME_MAX,
    NOTE_MAX,
    TEXT_MAX,
)
from migreg_desktop.cases.limits import QUOTA_YEAR_MAX as QUOTA_YEAR_MAX
from migreg_desktop.cases.limits import QUOTA_YEAR_MIN as QUOTA_YEAR_MIN
from migreg_desktop.errors import ValidationError
from migreg_desktop.i18n import N_
from migreg_desktop.safe_text import SHORT, TextProblem, clean_short, clean_text, fold_digits

MSG_TOO_MANY = N_("at most {max} entries (found: {count})")
MSG_NOT_OBJECT = N_("must be a JSON object")
MSG_REQUIRED = N_("is required")
MSG_RANGE = fields.MSG_RANGE  # shared with the command line's numeric options (cli/usage.py)
Problems = list[tuple[str, str, dict[str, Any]]]


def fail(msgid: str, **params: Any) -> PydanticCustomError:
    """A pydantic error carrying our message id and its params (read back by ``problems``)."""
    return PydanticCustomError("migreg", msgid, {"msgid": msgid, **params})


def text_check(max_length: int, *, multiline: bool = False) -> Any:
    """A check of one text value: None passes, anything but a string is a type error."""
    def check(value: Any) -> Any:
        if value.__class__ is str and len(value) <= SHORT:  # clean_text's own first step, one call less
            try:
                return clean_short(value, max_length, multiline)
            except TextProblem as exc:
                raise fail(exc.msgid, **exc.params) from None
        if value is None:
            return None
        if not isinstance(value, str):
            raise fail(MSG_TYPE[TEXT], found=found(value))
        try:
            return clean_text(value, max_length, multiline=multiline)
        except TextProblem as exc:
            raise fail(exc.msgid, **exc.params) from None

    return check


def text(max_length: int, *, multiline: bool = False) -> BeforeValidator:
    return BeforeValidator(text_check(max_length, multiline=multiline))


_code = text_check(CODE_MAX)


def _iin(value: Any) -> Any:
    """Text rules, then any script's digits as ASCII (the IIN rules then check the digits)."""
    if type(value) is str and len(value) == 12 and value.isascii() and value.isdigit():
        return value  # twelve ASCII digits pass the text rules unchanged (an import: 375,000 of them)
    value = _code(value)
    return fold_digits(value) if value is not None else None


def _date(value: Any) -> Any:
    if value is None or isinstance(value, date):  # the window hands over date objects
        return value
    if not isinstance(value, str):
        raise fail(MSG_TYPE[DATE], found=found(value))
    return _code(value)


def _bool(value: Any) -> Any:
    if value is not None and not isinstance(value, bool):
        raise fail(MSG_TYPE[BOOL], found=found(value))
    return value


def _year(value: Any) -> Any:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if not isinstance(value, str):
        raise fail(MSG_TYPE[YEAR], found=found(value))
    return _code(value)


def _bounded_list(max_items: int) -> BeforeValidator:
    """The count is checked before any item is: 10,000 members are refused, not validated."""
    def check(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            raise fail(MSG_LIST, found=found(value))
        if len(value) > max_items:
            raise fail(MSG_TOO_MANY, max=max_items, count=len(value))
        return value

    return BeforeValidator(check)


# ``Annotated[...] | None``: a null is accepted by pydantic itself, without a call into Python
# (an imported row has many empty columns; 100,000 cases are half a million rows).
Name = Annotated[str, text(NAME_MAX)] | None
FullName = Annotated[str, text(FULL_NAME_MAX)] | None
LatinName = Annotated[str, text(LATIN_NAME_MAX)] | None
CodeText = Annotated[str, text(CODE_MAX)]  # without the None: for rules that let None pass
Code = CodeText | None
Text = Annotated[str, text(TEXT_MAX)] | None
Note = Annotated[str, text(NOTE_MAX, multiline=True)] | None
IinText = Annotated[str, BeforeValidator(_iin)]
Iin = IinText | None
DayValue = Annotated[str | date, BeforeValidator(_date)]
Day = DayValue | None
Flag = Annotated[bool, BeforeValidator(_bool)] | None
Year = Annotated[int | str, BeforeValidator(_year)] | None


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonDoc(_Doc):
    """An applicant or family member as typed (keys: models.person.PERSON_FIELDS, plus ``id``)."""

    id: Code = None
    iin: Iin = None
    surname: Name = None
    name: Name = None
    patronymic: Name = None
    name_latin: LatinName = None
    birth_date: Day = None
    sex: Code = None
    citizenship: Code = None
    phone: Code = None
    address: Text = None
    registered_since: Day = None
    employment_status: Code = None
    jobseeker_since: Day = None
    education: Text = None
    profession: Text = None
    kandas_certificate_no: Code = None
    kandas_certificate_date: Day = None
    origin_country: Text = None  # kandas (issue 14): where they come from, and as whom
    former_citizenship: Text = None
    nationality: Text = None


class FamilyMemberDoc(PersonDoc):
    relation: Code = None


class DocumentDoc(_Doc):
    id: Code = None
    doc_type: Text = None
    number: Text = None
    issued_on: Day = None
    expires_on: Day = None
    note: Note = None


class CaseDoc(_Doc):
    """The `case add` JSON (README "Case files"). What `case show` adds (number, status, history …)
    is accepted and ignored, so a shown case can be edited and sent back."""

    kind: Code = None
    origin_kato: Code = None
    destination_kato: Code = None
    quota_year: Year = None
    channel: Code = None
    employer: Text = None
    has_job_offer: Flag = None
    has_business_plan: Flag = None
    housing: Code = None
    notes: Note = None
    legal_representative: Text = None  # a minor applicant's representative (issue 14)
    representative_basis: Text = None
    applicant: PersonDoc | None = None
    family: Annotated[list[FamilyMemberDoc] | None, _bounded_list(FAMILY_MAX)] = None
    documents: Annotated[list[DocumentDoc] | None, _bounded_list(DOCUMENTS_MAX)] = None


def read_case_doc(data: Any) -> CaseDoc:
    """``data`` (parsed JSON or the editor's dict) through ``CaseDoc``; ValidationError naming
    every field that is wrong."""
    if not isinstance(data, dict):
        raise ValidationError([("file", MSG_NOT_OBJECT, {})])
    try:
        return CaseDoc.model_validate({k: v for k, v in data.items() if k not in SHOWN_ONLY})
    except PydanticError as exc:
        raise ValidationError(problems(exc)) from None


def read_case(data: Any) -> dict[str, Any]:
    """``read_case_doc`` as a plain dict."""
    return read_case_doc(data).model_dump()


def read_comment(value: str | None) -> str | None:
    """A status change's comment: the rules of ``notes`` (it is printed in the history too)."""
    try:
        comment: str | None = _comment(value)
        return comment
    except PydanticCustomError as exc:
        ctx = dict(exc.context or {})
        raise ValidationError([("comment", ctx.pop("msgid"), ctx)]) from None


_comment = text_check(NOTE_MAX, multiline=True)


def validate(model: type[BaseModel], data: Any, root: str, context: Any = None) -> BaseModel:
    """Any document model; errors as our ValidationError with field keys under ``root``."""
    try:
        return model.model_validate(data, context=context)
    except PydanticError as exc:
        raise ValidationError(problems(exc, root)) from None


def problems(exc: PydanticError, root: str = "file") -> Problems:
    """pydantic's errors as (field, msgid, params); unknown keys grouped per object."""
    out: Problems = []
    unknown: dict[str, list[str]] = {}
    for err in exc.errors(include_url=False):
        loc = [str(p + 1) if isinstance(p, int) else p for p in err["loc"]]
        if err["type"] == "extra_forbidden":
            parent = ".".join(loc[:-1]) or root
            if parent not in unknown:
                unknown[parent] = []
                out.append((parent, MSG_UNKNOWN_KEYS, {"keys": unknown[parent]}))
            unknown[parent].append(loc[-1])
            continue
        out.append((".".join(map(str, loc)) or root, *_message(err)))
    for _field, msgid, params in out:
        if msgid == MSG_UNKNOWN_KEYS:
            params["keys"] = ", ".join(sorted(params["keys"]))
    return out


def _message(err: Any) -> tuple[str, dict[str, Any]]:
    if err["type"] == "migreg":
        ctx = dict(err["ctx"])
        return ctx.pop("msgid"), ctx
    if err["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return MSG_OBJECT, {"found": found(err.get("input"))}
    if err["type"] == "missing":
        return MSG_REQUIRED, {}
    if err["type"] == "list_type":
        return MSG_LIST, {"found": found(err.get("input"))}
    return N_("is not valid: {detail}"), {"detail": err["msg"]}  # not reached by JSON input


def shape_problems(data: Any) -> Problems:
    """Every problem of a case document before the rules run: unknown keys, JSON types, limits
    and Unicode. The one check is ``case_document.CaseDoc``; this is its list of problems."""
    from migreg_desktop.errors import ValidationError

    try:
        read_case(data)
    except ValidationError as exc:
        return exc.problems
    return []
