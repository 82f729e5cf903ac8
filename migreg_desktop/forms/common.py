"""What every form's data shares: the office, case number, date and QR code (conventions §6),
territory names in the form's language, people's names and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from migreg_desktop.cases import cases as case_service
from migreg_desktop.cases.persons import parse_date
from migreg_desktop.i18n import Translator, fmt_date, fmt_short_date, translator
from migreg_desktop.models import Case, Office, Territory
from migreg_desktop.refdata import refdata

FORM_LANGUAGES = ("kk", "ru")


def today() -> date:
    return date.today()


def office_name(code: str, lang: str, *, session: Session) -> str:
    office = session.get(Office, code)
    return office.name(lang) if office else code


def territory_path(kato: str | None, lang: str, *, session: Session) -> str:
    """"Ұзынағаш, Жамбыл ауданы, Алматы облысы": settlement up to its region."""
    if not kato:
        return ""
    try:
        t: Territory | None = refdata.territory(kato, session=session)
    except Exception:  # an unknown code is printed as it is: the form still serves as a record
        return kato
    names: list[str] = []
    while t is not None and len(names) < 5:
        names.append(t.name(lang))
        t = session.get(Territory, t.parent_kato) if t.parent_kato else None
    return ", ".join(names)


def person_name(p: dict[str, Any]) -> str:
    return " ".join(x for x in (p.get("surname"), p.get("name"), p.get("patronymic")) if x)


def short_name(p: dict[str, Any]) -> str:
    """"Құрманғазы Е.С." for signature lines."""
    initials = "".join(f"{x[0]}." for x in (p.get("name"), p.get("patronymic")) if x)
    return f"{p.get('surname', '')} {initials}".strip()


def day(value: Any) -> str:
    """Paper forms write dates as dd.MM.yyyy in both languages."""
    return fmt_short_date(parse_date(value)) if value else ""


def pair(label: str, value: Any) -> dict[str, str]:
    return {"label": label, "value": "" if value is None else str(value)}


def load_case(ref: str, *, session: Session) -> tuple[Case, dict[str, Any]]:
    case = case_service.get_case(ref, session=session)
    return case, case_service.case_dict(case, session=session)


def header(case: dict[str, Any] | None, lang: str, *, session: Session, office: str | None = None,
           printed: date | None = None, qr: str | None = None) -> dict[str, Any]:
    """Office, case number, date and QR payload: on every page of every document."""
    t = translator(lang)
    code = office or (case or {}).get("office") or ""
    printed = printed or today()
    out = {
        "office": office_name(code, lang, session=session),
        "office_code": code,
        "printed": t.gettext("Printed on {date}").format(date=fmt_date(printed, lang, "long")),
        "printed_short": fmt_short_date(printed),
        "page_label": t.pgettext("form", "Page {page} of {total}"),
        "qr": qr or (case or {}).get("id", ""),
        "qr_caption": t.pgettext("form", "QR: case id"),
    }
    out["footer"] = " · ".join(x for x in (code, (case or {}).get("number"), fmt_short_date(printed)) if x)
    if case:
        out["case_number"] = t.pgettext("form", "Case No. {number}").format(number=case["number"])
        out["case_number_plain"] = case["number"]
    return out


def act_name(t: Translator) -> str:
    """The Rules named in full, as an office's paper must (issue 14). The decision's number and
    date are the seed's; the title between them is not given by an official text seen (⚠): it
    is wording of the forms catalog, which the oblast office corrects without touching code."""
    return t.pgettext("form", "Rules of regulation of migration processes in Almaty oblast, approved by "
                      "decision No. 18-85 of the Almaty oblast maslikhat of 29 March 2024")


def clerk_line(login: str | None, *, session: Session) -> str:
    """A clerk as the paper names them: full name and position, never the login (issue 14); a
    login this office has no account for (a case from another office) is printed as it is."""
    if not login:
        return ""
    from migreg_desktop.accounts.accounts import display_name

    return display_name(login, session=session)


def signature(label: str, t: Translator, name: str = "") -> dict[str, str]:
    return {"label": label, "name": name, "caption": t.pgettext("form", "(signature, date)")}
