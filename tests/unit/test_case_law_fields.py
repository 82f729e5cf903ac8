"""Issue 14 case keys: the kandas fields and the legal representative are stored, shown, audited,
and survive an update from a document that does not carry them (the window's editor)."""

from __future__ import annotations

from migreg_desktop.cases import cases


def test_kandas_fields_and_representative_round_trip(session, make_case):
    data = make_case("kandas")
    data["legal_representative"] = "Оралбаева Гүлнар"
    data["representative_basis"] = "қорғаншылық туралы шешім № 12 / решение об опеке № 12"
    case = cases.register_case(data, session=session)
    shown = cases.case_dict(case, session=session)
    assert shown["applicant"]["origin_country"] == "Моңғолия / Монголия"
    assert shown["applicant"]["nationality"] == "қазақ / казах"
    assert shown["legal_representative"] == "Оралбаева Гүлнар"

    without = {k: v for k, v in shown.items() if k not in ("legal_representative", "representative_basis")}
    without["applicant"] = {k: v for k, v in shown["applicant"].items()
                            if k not in ("origin_country", "former_citizenship", "nationality")}
    cases.update_case(case.id, without, session=session)
    again = cases.case_dict(case, session=session)
    assert again["legal_representative"] == "Оралбаева Гүлнар"
    assert again["applicant"]["former_citizenship"] == "Моңғолия / Монголия"

    cleared = {**again, "legal_representative": None, "applicant": {**again["applicant"], "nationality": None}}
    cases.update_case(case.id, cleared, session=session)
    last = cases.case_dict(case, session=session)
    assert last["legal_representative"] is None and last["applicant"]["nationality"] is None
    assert last["representative_basis"]  # not named in the document: kept


def test_unknown_key_still_refused(session, make_case):
    import pytest

    from migreg_desktop.errors import ValidationError

    data = make_case("kandas")
    data["applicant"]["origin_contry"] = "MN"
    with pytest.raises(ValidationError):
        cases.register_case(data, session=session)
