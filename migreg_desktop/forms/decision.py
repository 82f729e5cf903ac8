"""Eligibility decision sheet and support measures calculation (amounts from the eligibility
issue's services; until they are merged, each form says plainly that nothing was checked yet)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit
from migreg_desktop.forms import labels as L
from migreg_desktop.forms.citations import official_citation
from migreg_desktop.forms.common import (
    clerk_line,
    day,
    header,
    load_case,
    pair,
    person_name,
    signature,
    territory_path,
)
from migreg_desktop.forms.decision_source import latest_decision, support_for
from migreg_desktop.forms.official import official_fields
from migreg_desktop.i18n import Translator, fmt_money, fmt_number, translator


def rule_label(rule: str, t: Translator) -> str:
    return {
        "region_designated": t.pgettext("form", "Destination region designated for this kind of case"),
        "settlement_listed": t.pgettext("form", "Settlement on the oblast's settlement list of the year"),
        "intra_oblast_conditions": t.pgettext("form", "Conditions of intra-oblast resettlement"),
        "kandas_status": t.pgettext("form", "Valid kandas status"),
        "resettler_registration": t.pgettext("form", "Jobseeker registration and permanent registration at origin"),
        "no_earlier_support": t.pgettext("form", "No earlier supported move"),
        "iin_valid": t.pgettext("form", "IIN valid and unique among active cases"),
        "quota_room": t.pgettext("form", "Room in the quota"),
        "documents_valid": t.pgettext("form", "Documents complete and valid"),
        "applicant_of_age": t.pgettext("form", "Applicant of age, or a legal representative recorded"),
    }.get(rule, rule)


def result_label(result: str, t: Translator) -> str:
    return {"ok": t.pgettext("form", "met"), "fail": t.pgettext("form", "not met"),
            "needs_check": t.pgettext("form", "to be checked")}.get(result, result)


def verdict_label(verdict: str | None, t: Translator) -> str:
    return {"eligible": t.pgettext("form", "Decision: eligible"),
            "not_eligible": t.pgettext("form", "Decision: not eligible"),
            "needs_check": t.pgettext("form", "Decision: some conditions still need checking")}.get(verdict or "", "")


def dataset_label(name: str, t: Translator) -> str:
    """Reference datasets named as the clerk knows them (resources/refdata/<name>.json)."""
    return {
        "designated_regions": t.pgettext("form", "designated regions"),
        "mci": t.pgettext("form", "MCI"),
        "quota_allotments": t.pgettext("form", "quota allotments to offices"),
        "quotas": t.pgettext("form", "quotas"),
        # «Қағидалар», never «Ережелер» (issue 14): a msgid of its own, not the old "rule parameters"
        "rule_parameters": t.pgettext("form", "parameters of the Rules"),
        "settlement_list": t.pgettext("form", "settlement list"),
        "settlement_potential": t.pgettext("form", "economic potential of settlements"),
        "support_measures": t.pgettext("form", "support measures"),
        "territories": t.pgettext("form", "territories"),
    }.get(name, name.replace("_", " "))


def versions_text(rules_version: str | None, reference_version: str | None,
                  t: Translator | None = None) -> str:
    """"Rules 2026.1 · reference data: MCI 2026.1, …" from the stored "mci=2026.1;quotas=…" string,
    in the sheet's language (``t``; None: the window's, for the decision panel).

    Spaces between the items let the line wrap at word boundaries; a no-break space keeps each
    dataset's last word with its version (the renderer breaks lines on plain spaces only)."""
    t = t or translator()
    items = []
    for part in filter(None, (p.strip() for p in (reference_version or "").split(";"))):
        name, sep, version = part.partition("=")
        items.append(f"{dataset_label(name.strip(), t)}\u00a0{version.strip()}" if sep else part)
    text = t.pgettext("form", "Rules {version}").format(version=rules_version) if rules_version else ""
    if items:
        data = t.pgettext("form", "reference data: {datasets}").format(datasets=", ".join(items))
        text = f"{text} · {data}" if text else data[:1].upper() + data[1:]
    return text


def reference_label(reference: str, t: Translator | None = None) -> str:
    """Legal references of the support measures come from refdata in English ("Social Code"):
    print them in the form's language (``t``; None: the CLI's); a text the catalogs do not know is
    printed as it is."""
    t = t or translator()
    if not reference.strip():
        return ""  # gettext("") would be the catalog header
    known = {"Social Code": t.pgettext("form", "Social Code")}
    return known.get(reference.strip()) or t.gettext(reference)


# The catalogs mark unconfirmed references with ⚠ (glossary.md), a sign Noto Sans does not have:
# on paper it would vanish silently, so the sheet prints "*" and explains it under the table.
UNCONFIRMED = "⚠"
UNCONFIRMED_MARK = "*"


def printable(text: str) -> str:
    return text.replace(f" {UNCONFIRMED}", UNCONFIRMED_MARK).replace(UNCONFIRMED, UNCONFIRMED_MARK)


def _case_fields(prefix: str, case: dict[str, Any], t: Translator, session: Session) -> dict[str, Any]:
    a = case["applicant"]
    return {
        f"{prefix}.applicant": pair(t.pgettext("form", "Applicant"), person_name(a)),
        f"{prefix}.iin": pair(t.pgettext("form", "IIN"), a.get("iin")),
        f"{prefix}.kind": pair(t.pgettext("form", "Kind of case"), L.kind_label(case["kind"], t)),
        f"{prefix}.destination": pair(t.pgettext("form", "Place of settlement"),
                                      territory_path(case["destination_kato"], t.lang, session=session)),
        f"{prefix}.persons": pair(t.pgettext("form", "Persons moving (with the applicant)"), 1 + len(case["family"])),
    }


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).strftime("%d.%m.%Y %H:%M")
        except ValueError:
            return day(value) if len(value) == 10 else value
    return ""


def decision(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    t = translator(lang)
    _c, case = load_case(ref, session=session)
    data = header(case, lang, session=session)
    data.update(_case_fields("d", case, t, session))
    data["title"] = t.pgettext("form", "Decision on the right to take part")
    data["applicant_name"] = person_name(case["applicant"])
    data["sign_clerk"] = signature(t.pgettext("form", "Prepared by"), t, clerk_line(case.get("clerk"),
                                                                                    session=session))
    found = latest_decision(case["id"], lang, session=session)
    data.update(official_fields(case, found, data["office"], clerk_line(audit.actor(session), session=session),
                                t, session=session))
    if found is None:
        data["verdict"] = t.pgettext("form", "Eligibility not checked yet: check the case before printing "
                                     "this sheet.")
        data["d.checked"] = pair(t.pgettext("form", "Checked on"), t.pgettext("form", "not checked yet"))
        return data
    data["verdict"] = verdict_label(found["verdict"], t)
    data["d.checked"] = pair(t.pgettext("form", "Checked on"), _when(found.get("checked_at")))
    data["d.versions"] = pair(t.pgettext("form", "Rules and reference data"),
                              versions_text(found.get("rules_version"), found.get("reference_version"), t))
    rows = [{"n": str(i), "rule": rule_label(r["rule"], t), "result": result_label(r["result"], t),
             "reason": printable(r["reason"]),
             "reference": printable(official_citation(r.get("reference_id", ""), t) or r["reference"])}
            for i, r in enumerate(found["rules"], start=1)]
    data["rules"] = {
        "columns": {"n": "№", "rule": t.pgettext("form", "Condition"), "result": t.pgettext("form", "Result"),
                    "reason": t.pgettext("form", "Reason"), "reference": t.pgettext("form", "Legal reference")},
        "rows": rows,
    }
    data["note"] = t.pgettext("form", "The decision was made by the program from the data recorded in the case; "
                              "the applicant may ask for it to be reviewed.")
    if data["unconfirmed"] or any(UNCONFIRMED in r["reference"] + r["reason"] for r in found["rules"]):
        data["note"] += "\n" + t.pgettext("form", "* Not yet confirmed by an official text; to be checked.")
    return data


def support(ref: str, lang: str, *, session: Session) -> dict[str, Any]:
    """The support sheet says what the support panel and `support --json` say (issue 14): one of
    three entitlement states, the family's measures and total, the employer's subsidy apart."""
    t = translator(lang)
    _c, case = load_case(ref, session=session)
    data = header(case, lang, session=session)
    data.update(_case_fields("s", case, t, session))
    data["title"] = t.pgettext("form", "Calculation of support measures")
    data["applicant_name"] = person_name(case["applicant"])
    data["sign_clerk"] = signature(t.pgettext("form", "Calculated by"), t, clerk_line(case.get("clerk"), session=session))
    found = support_for(case["id"], lang, session=session)
    people = [(case["applicant"], t.pgettext("form", "applicant"))] + \
        [(m, L.relation_label(m.get("relation"), t)) for m in case["family"]]
    if found is None:
        data["h.family"] = t.pgettext("form", "Relocation subsidy per family member")
        data["pending"] = t.pgettext("form", "Support not calculated yet: the amounts appear once the case "
                                     "has been checked.")
        data["members"] = _members(people, None, None, t)
        return data
    data["s.entitlement"] = pair(t.pgettext("form", "Entitlement"), found["entitlement_text"])
    if found["entitlement"] == "none":  # Rules: measures are for people included in a quota
        data["pending"] = " — ".join(filter(None, (found["entitlement_text"][:1].upper()
                                                   + found["entitlement_text"][1:],
                                                   found["entitlement_reason_text"])))
        return data
    if found["entitlement"] == "forecast":
        data["title"] = t.pgettext("form", "Calculation of support measures (forecast)")
    data["h.family"] = t.pgettext("form", "Relocation subsidy per family member")
    return _fill_support(data, found, people, case, t)


def _rows(measures: list[dict[str, Any]], t: Translator) -> list[dict[str, str]]:
    """One row a measure; an amount not confirmed by an official text carries "*" (footnote)."""
    lang = t.lang
    return [{"n": str(i), "measure": (m["name"] or m["code"]) + ("" if m["confirmed"] else UNCONFIRMED_MARK),
             "basis": _basis(m, t), "mci": fmt_number(m["mci"], lang) if m["mci"] is not None else "—",
             "amount": _amount(m, t)}
            for i, m in enumerate(measures, start=1)]


def _columns(t: Translator) -> dict[str, str]:
    return {"n": "№", "measure": t.pgettext("form", "Measure"), "basis": t.pgettext("form", "Basis"),
            "mci": t.pgettext("form", "MCI"), "amount": t.pgettext("form", "Amount, tenge")}


def _fill_support(data: dict[str, Any], found: dict[str, Any], people: list[Any], case: dict[str, Any],
                  t: Translator) -> dict[str, Any]:
    lang = t.lang
    mci = found.get("mci")
    year = found.get("year") or case["quota_year"]
    data["s.year"] = pair(t.pgettext("form", "Year"), year)
    if mci:
        data["s.mci"] = pair(t.pgettext("form", "MCI of the year"), fmt_money(mci, lang))
    family = [m for m in found["measures"] if m["recipient"] != "employer"]
    employer = [m for m in found["measures"] if m["recipient"] == "employer"]
    per_person = next((m["per_person_mci"] or (m["mci"] / len(people) if m["mci"] else None)
                       for m in family if "relocation" in str(m["code"])), None)
    data["members"] = _members(people, per_person, mci, t)
    data["h.measures"] = t.pgettext("form", "Support measures for the family")
    data["measures"] = {"columns": _columns(t), "rows": _rows(family, t)}
    total = found.get("total_tenge")
    if total is None:
        total = sum(m["tenge"] or 0 for m in family)
    label = t.pgettext("form", "Total for the family (forecast): {amount}") if found["entitlement"] == "forecast" \
        else t.pgettext("form", "Total for the family: {amount}")
    data["total"] = label.format(amount=fmt_money(total, lang))
    if employer:  # Social Code: paid to the employer who helps resettle, never the family's money
        data["h.employer"] = t.pgettext("form", "Paid to the employer (not part of the family's total)")
        data["employer"] = {"columns": _columns(t), "rows": _rows(employer, t)}
    data["note"] = t.pgettext("form", "Amounts are in monthly calculation indices (MCI) of the year, converted "
                              "to tenge; they are paid after arrival and inclusion in the quota.")
    if not all(m["confirmed"] for m in found["measures"]):
        data["note"] += "\n" + t.pgettext("form", "* Not yet confirmed by an official text; to be checked.")
    return data


def _basis(m: dict[str, Any], t: Translator) -> str:
    """Legal reference, then how the amount is reckoned ("70 MCI × 4 persons"), on its own line."""
    return "\n".join(filter(None, (reference_label(m["reference"], t) if m["reference"] else "", m["detail"])))


def _amount(m: dict[str, Any], t: Translator) -> str:
    lang = t.lang
    if m["tenge"] is not None:
        return fmt_money(m["tenge"], lang)
    if m["cap_tenge"] is not None:  # a ceiling, not a sum paid: "up to 4 200 000 ₸" (Social Code)
        return t.pgettext("form", "up to {amount}").format(amount=fmt_money(m["cap_tenge"], lang))
    return m["tenge_text"] or "—"


def _members(people: list[Any], per_person_mci: float | None, mci: float | None, t: Translator) -> dict[str, Any]:
    lang = t.lang
    rows = []
    for i, (p, relation) in enumerate(people, start=1):
        row = {"n": str(i), "name": person_name(p), "relation": relation, "mci": "—", "amount": "—"}
        if per_person_mci:
            row["mci"] = fmt_number(per_person_mci, lang)
            if mci:
                row["amount"] = fmt_money(per_person_mci * mci, lang)
        rows.append(row)
    return {"columns": {"n": "№", "name": t.pgettext("form", "Surname, name, patronymic"),
                        "relation": t.pgettext("form", "Relation"), "mci": t.pgettext("form", "MCI"),
                        "amount": t.pgettext("form", "Amount, tenge")}, "rows": rows}
