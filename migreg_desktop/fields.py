"""Field keys used in errors ("applicant.iin", "family.2.relation") and their labels."""

from __future__ import annotations

from migreg_desktop.i18n import N_, _

MSG_RANGE = N_("{value} is out of range: from {min} to {max}")

LABELS = {
    "applicant": N_("Applicant"),
    "family": N_("Family member {n}"),
    "documents": N_("Document {n}"),
    "iin": N_("IIN"),
    "surname": N_("Surname"),
    "name": N_("Name"),
    "patronymic": N_("Patronymic"),
    "name_latin": N_("Name in Latin letters"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "citizenship": N_("Citizenship"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "registered_since": N_("Registered at the address since"),
    "employment_status": N_("Employment status"),
    "jobseeker_since": N_("Registered as jobseeker since"),
    "education": N_("Education"),
    "profession": N_("Profession"),
    "kandas_certificate_no": N_("Kandas certificate No."),
    "kandas_certificate_date": N_("Kandas certificate date"),
    "origin_country": N_("Country of origin"),
    "former_citizenship": N_("Former citizenship"),
    "nationality": N_("Nationality"),
    "legal_representative": N_("Legal representative"),
    "representative_basis": N_("Basis of representation"),
    "relation": N_("Relation"),
    "full_name": N_("Full name"),
    "position": N_("Position"),
    "kind": N_("Kind"),
    "status": N_("Status"),
    "origin_kato": N_("Origin"),
    "destination_kato": N_("Destination"),
    "quota_year": N_("Quota year"),
    "channel": N_("Application channel"),
    "housing": N_("Housing"),
    "employer": N_("Employer"),
    "doc_type": N_("Document type"),
    "number": N_("Number"),
    "issued_on": N_("Issued on"),
    "expires_on": N_("Valid until"),
    "office": N_("Office"),
    "file": N_("File"),
    "comment": N_("Comment"),
    "case": N_("Case"),
    "KATO": N_("KATO"),
    "kato": N_("KATO"),
    "region": N_("Region"),
    "year": N_("Year"),
    "limit": N_("Limit"),
    "slots": N_("Places"),
    "counting": N_("Counting"),
    "form": N_("Form"),
    "lang": N_("Language"),
    "out": N_("Output file"),
    "to": N_("Receiving office"),
    "conflict": N_("Conflict"),
    "note": N_("Note"),
    "allotment": N_("Allotment"),
    "persons": N_("Persons counted"),
    "version": N_("Version"),
    "versions": N_("Versions"),
    "rows": N_("Rows"),
    "fingerprint": N_("Key fingerprint"),
    "counts": N_("Records"),
    "acknowledges": N_("Acknowledges packages"),
    "other": N_("Other person"),
    "trigger": N_("Reason"),
    "sha256": N_("Checksum"),
    "password": N_("Password"),
    "reason": N_("Reason"),
    "via": N_("Through"),
    "output": N_("Printed to"),
    "from": N_("Sender"),
}
# "family" or "documents" without a member's number: the whole list (e.g. "must be a list").
LIST_LABELS = {"family": N_("Family members"), "documents": N_("Documents")}


def label(key: str) -> str:
    """Translate a field key: "family.2.iin" → "Family member 2 › IIN"."""
    parts = key.split(".")
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if part in ("family", "documents") and i + 1 < len(parts) and parts[i + 1].isdigit():
            out.append(_(LABELS[part]).format(n=int(parts[i + 1])))
            i += 2
            continue
        if part in LIST_LABELS:
            out.append(_(LIST_LABELS[part]))
            i += 1
            continue
        out.append(_(LABELS[part]) if part in LABELS else part)
        i += 1
    return " › ".join(out)
