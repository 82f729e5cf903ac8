"""Applications: inclusion in the regional quota of kandases / of resettlers (Rules §2.4, §2.6) and
intra-oblast resettlement (Rules §2.7). The wording is ours, not an official form ⚠: it lives in
the forms catalog so the oblast office can correct it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.forms import labels as L
from migreg_desktop.forms.common import (
    clerk_line,
    day,
    header,
    load_case,
    pair,
    person_name,
    short_name,
    signature,
    territory_path,
)
from migreg_desktop.i18n import N_, Translator, translator

MSG_WRONG_KIND = N_("form {form} is for {kind} cases; case {number} is a {case_kind} case")


def _check_kind(form: str, case: dict[str, Any], kind: str, t: Translator) -> None:
    if case["kind"] != kind:
        raise UserError(MSG_WRONG_KIND, field="form", form=form, kind=L.kind_label(kind, t),
                        number=case["number"], case_kind=L.kind_label(case["kind"], t))


def applicant_fields(case: dict[str, Any], t: Translator) -> dict[str, Any]:
    a = case["applicant"]
    out = {
        "f.name": pair(t.pgettext("form", "Surname, name, patronymic"), person_name(a)),
        "f.iin": pair(t.pgettext("form", "IIN"), a.get("iin")),
        "f.birth": pair(t.pgettext("form", "Date of birth"), day(a.get("birth_date"))),
        "f.sex": pair(t.pgettext("form", "Sex"), L.sex_label(a.get("sex"), t)),
        "f.citizenship": pair(t.pgettext("form", "Citizenship or status"),
                              L.citizenship_label(a.get("citizenship"), t)),
        "f.address": pair(t.pgettext("form", "Address of permanent registration"), a.get("address")),
        "f.registered": pair(t.pgettext("form", "Registered at this address since"), day(a.get("registered_since"))),
        "f.phone": pair(t.pgettext("form", "Phone"), a.get("phone")),
        "f.employment": pair(t.pgettext("form", "Employment status"), _employment(a, t)),
        "f.profession": pair(t.pgettext("form", "Profession, education"),
                             ", ".join(x for x in (a.get("profession"), a.get("education")) if x)),
    }
    if a.get("kandas_certificate_no") or case["kind"] == "kandas":
        cert = " ".join(x for x in (a.get("kandas_certificate_no"),
                                    day(a.get("kandas_certificate_date"))) if x)
        out["f.certificate"] = pair(t.pgettext("form", "Kandas certificate No., date"), cert)
    if case["kind"] == "kandas":  # issue 14: where a kandas comes from, and as whom
        out["f.nationality"] = pair(t.pgettext("form", "Nationality"), a.get("nationality"))
        out["f.origin_country"] = pair(t.pgettext("form", "Country of origin"), a.get("origin_country"))
        out["f.former_citizenship"] = pair(t.pgettext("form", "Former citizenship"), a.get("former_citizenship"))
    if case.get("legal_representative"):  # an applicant under 18 applies through them (Civil Code art. 17)
        rep = ", ".join(x for x in (case["legal_representative"], case.get("representative_basis")) if x)
        out["f.representative"] = pair(t.pgettext("form", "Legal representative (basis)"), rep)
    return out


def _employment(a: dict[str, Any], t: Translator) -> str:
    text = L.employment_label(a.get("employment_status"), t)
    if a.get("jobseeker_since"):
        text += " " + t.pgettext("form", "(registered since {date})").format(date=day(a["jobseeker_since"]))
    return text


def family_table(case: dict[str, Any], t: Translator) -> dict[str, Any]:
    rows = [{"n": str(i), "name": person_name(m), "relation": L.relation_label(m.get("relation"), t),
             "iin": m.get("iin") or "", "birth": day(m.get("birth_date"))}
            for i, m in enumerate(case["family"], start=1)]
    return {"columns": {"n": "№", "name": t.pgettext("form", "Surname, name, patronymic"),
                        "relation": t.pgettext("form", "Relation"), "iin": t.pgettext("form", "IIN"),
                        "birth": t.pgettext("form", "Date of birth")},
            "rows": rows, "empty": t.pgettext("form", "No family members move with the applicant.")}


def documents_table(case: dict[str, Any], t: Translator) -> dict[str, Any]:
    rows = [{"n": str(i), "doc": L.document_label(d.get("doc_type"), t), "number": d.get("number") or "",
             "issued": day(d.get("issued_on")), "expires": day(d.get("expires_on"))}
            for i, d in enumerate(case["documents"], start=1)]
    return {"columns": {"n": "№", "doc": t.pgettext("form", "Document"), "number": t.pgettext("form", "Number"),
                        "issued": t.pgettext("form", "Issued on"), "expires": t.pgettext("form", "Valid until")},
            "rows": rows, "empty": t.pgettext("form", "No documents recorded.")}


def move_fields(case: dict[str, Any], t: Translator, *, session: Session) -> dict[str, Any]:
    return {
        "m.origin": pair(t.pgettext("form", "Place of departure"),
                         territory_path(case["origin_kato"], t.lang, session=session)),
        "m.destination": pair(t.pgettext("form", "Place of settlement"),
                              territory_path(case["destination_kato"], t.lang, session=session)),
        "m.year": pair(t.pgettext("form", "Quota year"), case["quota_year"]),
        "m.persons": pair(t.pgettext("form", "Persons moving (with the applicant)"), 1 + len(case["family"])),
        "m.channel": pair(t.pgettext("form", "Application received"), L.channel_label(case.get("channel"), t)),
    }


def common_texts(case: dict[str, Any], t: Translator, clerk: str = "") -> dict[str, Any]:
    a = case["applicant"]
    return {
        "h.applicant": t.pgettext("form", "1. Applicant"),
        "h.family": t.pgettext("form", "2. Family members moving with the applicant"),
        "h.move": t.pgettext("form", "3. Departure and settlement"),
        "h.documents": t.pgettext("form", "4. Documents attached"),
        "consent": t.pgettext("form", "I consent to the collection and processing of my personal data and the personal "
                              "data of my family members named above, as required to consider this application, "
                              "under the Law of the Republic of Kazakhstan \"On personal data and their protection\"."),
        "truth": t.pgettext("form", "I confirm that the information given is true and the documents are genuine. "
                            "I have been informed that false information is a ground for refusal."),
        "sign_applicant": signature(t.pgettext("form", "Applicant"), t, short_name(a)),
        "sign_clerk": signature(t.pgettext("form", "Application received by"), t, clerk),
    }


def _application(ref: str, t: Translator, kind: str, form: str, *,
                 session: Session) -> tuple[dict[str, Any], dict[str, Any]]:
    _c, case = load_case(ref, session=session)
    _check_kind(form, case, kind, t)
    data = header(case, t.lang, session=session)
    data.update(applicant_fields(case, t))
    data.update(move_fields(case, t, session=session))
    data.update(common_texts(case, t, clerk_line(case.get("clerk"), session=session)))
    data["family"] = family_table(case, t)
    data["documents"] = documents_table(case, t)
    data["to"] = t.pgettext("form", "To: {office}").format(office=data["office"])
    data["applicant_name"] = person_name(case["applicant"])
    return data, case


def application_kandas(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    t = translator(lang)
    data, case = _application(ref, t, "kandas", "application_kandas", session=session)
    data["title"] = t.pgettext("form", "Application for inclusion in the regional quota of kandases")
    data["request"] = t.pgettext(
        "form", "I, {name}, ask to include me and the family members named below in the regional quota of "
        "kandases for {year} for settling in {destination}.").format(
        name=data["applicant_name"], year=case["quota_year"], destination=data["m.destination"]["value"])
    return data


def application_resettler(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    t = translator(lang)
    data, case = _application(ref, t, "resettler", "application_resettler", session=session)
    data["title"] = t.pgettext("form", "Application for inclusion in the regional quota of resettlers")
    data["request"] = t.pgettext(
        "form", "I, {name}, ask to include me and the family members named below in the regional quota of "
        "resettlers for {year} for voluntary resettlement to {destination}.").format(
        name=data["applicant_name"], year=case["quota_year"], destination=data["m.destination"]["value"])
    return data


def application_intra_oblast(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    t = translator(lang)
    data, case = _application(ref, t, "intra_oblast", "application_intra_oblast", session=session)
    data["title"] = t.pgettext("form", "Application for intra-oblast resettlement")
    data["request"] = t.pgettext(
        "form", "I, {name}, ask to take part in intra-oblast resettlement from {origin} to {destination} "
        "in {year} (Rules §2.7).").format(
        name=data["applicant_name"], origin=data["m.origin"]["value"],
        destination=data["m.destination"]["value"], year=case["quota_year"])
    data["h.conditions"] = t.pgettext("form", "4. Conditions of the move (Rules §2.7)")
    data["h.documents"] = t.pgettext("form", "5. Documents attached")
    data["c.housing"] = pair(t.pgettext("form", "Housing at the destination"), L.housing_label(case.get("housing"), t))
    job = L.yes_no(bool(case.get("has_job_offer")), t)
    if case.get("employer"):
        job = f"{job}: {case['employer']}"
    data["c.job"] = pair(t.pgettext("form", "Permanent job offered"), job)
    data["c.business"] = pair(t.pgettext("form", "Business plan"), L.yes_no(bool(case.get("has_business_plan")), t))
    return data
