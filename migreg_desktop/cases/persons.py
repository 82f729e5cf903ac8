"""Validating and storing the people of a case (applicant and family members)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from migreg_desktop.errors import ValidationError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Person
from migreg_desktop.models.person import CITIZENSHIPS, EMPLOYMENT, PERSON_FIELDS, SEXES
from migreg_desktop.rules import iin as iin_rules
from migreg_desktop.storage.search import transliterate
from migreg_desktop.vocabulary import RELATIONS

if TYPE_CHECKING:
    from migreg_desktop.cases.case_document import PersonDoc

DATE_FIELDS = ("birth_date", "registered_since", "jobseeker_since", "kandas_certificate_date")
MSG_REQUIRED = N_("is required")
MSG_BAD_DATE = N_("{value} is not a date (YYYY-MM-DD)")
MSG_CHOICE = N_("{value} is not one of: {choices}")
MSG_FUTURE_DATE = N_("{value} is in the future")

Problems = list[tuple[str, str, dict[str, Any]]]


def parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def clean_person(
    data: PersonDoc, prefix: str, problems: Problems, warnings: Problems,
    *, iin_required: bool,
) -> dict[str, Any]:
    """Normalised person fields; adds (field, msgid, params) to problems / warnings."""
    # ``data`` has passed case_document.PersonDoc (types, limits, Unicode).
    out: dict[str, Any] = {k: getattr(data, k) for k in PERSON_FIELDS}
    for key in ("surname", "name", "patronymic", "phone", "address", "name_latin", "iin"):
        if isinstance(out[key], str):
            out[key] = out[key].strip() or None
    for key in ("surname", "name"):
        if not out[key]:
            problems.append((f"{prefix}.{key}", MSG_REQUIRED, {}))
    for key in DATE_FIELDS:
        try:
            out[key] = parse_date(out[key])
        except ValueError:
            problems.append((f"{prefix}.{key}", MSG_BAD_DATE, {"value": str(out[key])}))
            out[key] = None
    _check_choices(out, prefix, problems)
    _check_iin(out, prefix, problems, warnings, iin_required)
    if out["birth_date"] and out["birth_date"] > date.today():
        problems.append((f"{prefix}.birth_date", MSG_FUTURE_DATE, {"value": out["birth_date"].isoformat()}))
    if not out["name_latin"] and out["surname"] and out["name"]:
        out["name_latin"] = transliterate(f"{out['surname']} {out['name']}")
    out["citizenship"] = out["citizenship"] or "citizen"
    return out


def _check_choices(out: dict[str, Any], prefix: str, problems: Problems) -> None:
    for key, choices in (("sex", SEXES), ("citizenship", CITIZENSHIPS), ("employment_status", EMPLOYMENT)):
        value = out.get(key)
        if value not in (None, "") and value not in choices:
            problems.append((f"{prefix}.{key}", MSG_CHOICE, {"value": value, "choices": ", ".join(choices)}))


def _check_iin(out: dict[str, Any], prefix: str, problems: Problems, warnings: Problems, required: bool) -> None:
    if not out["iin"]:
        if required:
            problems.append((f"{prefix}.iin", MSG_REQUIRED, {}))
        return
    result = iin_rules.check(out["iin"])
    out["iin"] = result.iin
    for msgid, params in result.errors:
        problems.append((f"{prefix}.iin", msgid, params))
    for msgid, params in result.warnings:
        warnings.append((f"{prefix}.iin", msgid, params))
    if not result.valid:
        return
    for msgid, params in iin_rules.compare_typed(result, out["birth_date"], out["sex"]):
        warnings.append((f"{prefix}.iin", msgid, params))
    # Derive what was not typed; never overwrite what was (iin.md).
    out["birth_date"] = out["birth_date"] or result.birth_date
    out["sex"] = out["sex"] or result.sex


def clean_relation(value: Any, prefix: str, problems: Problems) -> str | None:
    if not value:
        problems.append((f"{prefix}.relation", MSG_REQUIRED, {}))
        return None
    if value not in RELATIONS:
        problems.append((f"{prefix}.relation", MSG_CHOICE, {"value": value, "choices": ", ".join(RELATIONS)}))
    return str(value)


def raise_if(problems: Problems) -> None:
    if problems:
        raise ValidationError(problems)


def save_person(values: dict[str, Any], *, session: Session, person: Person | None = None,
                owner: str | None = None) -> tuple[Person, dict[str, list[Any]]]:
    """Create or update a person row; returns it with the changed fields (for the audit)."""
    from migreg_desktop.accounts.audit import diff

    if person is None:
        person = Person(surname=values["surname"], name=values["name"], owner_office=owner)
        old: dict[str, Any] = {}
    else:
        old = {k: getattr(person, k) for k in PERSON_FIELDS}
    for key in PERSON_FIELDS:
        setattr(person, key, values.get(key))
    changes = diff(old, {k: getattr(person, k) for k in PERSON_FIELDS})
    if old and changes:
        person.version += 1
    session.add(person)
    session.flush()  # no ORM relationships: rows that point at the person come after it
    return person, changes


def person_dict(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {"id": person.id}
    for key in PERSON_FIELDS:
        value = getattr(person, key)
        out[key] = value.isoformat() if isinstance(value, date) else value
    return out
