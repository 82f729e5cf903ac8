import pytest
from sqlmodel import select

from migreg_desktop.cases import cases
from migreg_desktop.cases.case_list import CaseFilter, list_cases
from migreg_desktop.errors import DuplicateError, NotFound, UserError, ValidationError
from migreg_desktop.models import AuditEntry, StatusChange

from ..conftest import count_rows


def test_register_numbers_and_denormalises(session, make_case):
    case = cases.register_case(make_case("resettler"), session=session)
    assert case.number.startswith("ALM-KNV-") and case.number.endswith("-000001")
    assert case.family_size == 4 and case.applicant_iin == "850612312344"
    assert case.status == "draft"
    doc = cases.case_dict(case, session=session)
    assert [m["relation"] for m in doc["family"]] == ["spouse", "child", "child"]
    assert doc["history"][0]["to"] == "draft"
    assert session.exec(select(AuditEntry).where(AuditEntry.entity_id == case.id)).first().user == "tester"


@pytest.mark.parametrize("query", ["құрманғазы", "ҚҰРМАНҒАЗЫ", "Kurmangazy", "курмангазы", "8506", "Әлия"])
def test_search_finds_person_in_any_spelling(session, make_case, query):
    cases.register_case(make_case("resettler"), session=session)
    cases.register_case(make_case("kandas"), session=session)
    rows = list_cases(CaseFilter(search=query), db=session)
    assert [r["applicant_iin"] for r in rows] == ["850612312344"]


def test_filters_by_kind_status_year_destination(session, make_case):
    for kind in ("resettler", "kandas", "intra_oblast"):
        cases.register_case(make_case(kind), session=session)
    assert len(list_cases(CaseFilter(kind="kandas"), db=session)) == 1
    assert len(list_cases(CaseFilter(year=2026), db=session)) == 3
    assert len(list_cases(CaseFilter(destination="550000000"), db=session)) == 1
    assert len(list_cases(CaseFilter(destination="190000000"), db=session)) == 1
    assert len(list_cases(CaseFilter(status="submitted"), db=session)) == 0


def test_duplicate_active_case_refused_until_closed(session, make_case):
    first = cases.register_case(make_case("resettler"), session=session)
    with pytest.raises(DuplicateError) as err:
        cases.register_case(make_case("resettler"), session=session)
    assert first.number in err.value.message()
    cases.change_status(first.id, "withdrawn", "changed mind", session=session)
    second = cases.register_case(make_case("resettler"), session=session)
    assert second.number.endswith("-000002")


def test_status_transitions_enforced_and_recorded(session, make_case):
    case = cases.register_case(make_case("kandas"), session=session)
    cases.change_status(case.number, "submitted", "docs complete", session=session)
    with pytest.raises(UserError):
        cases.change_status(case.id, "moved", None, session=session)
    history = session.exec(select(StatusChange).where(StatusChange.case_id == case.id)).all()
    assert [(h.from_status, h.to_status) for h in history] == [(None, "draft"), ("draft", "submitted")]


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["applicant"].update(iin="850612312345"), "applicant.iin"),
    (lambda d: d.update(destination_kato="999999999"), "destination_kato"),
    (lambda d: d.update(kind="tourist"), "kind"),
    (lambda d: d["family"][0].update(relation=None), "family.1.relation"),
    (lambda d: d["applicant"].update(birth_date="1985-13-40"), "applicant.birth_date"),
])
def test_bad_input_names_the_field_and_changes_nothing(engine, make_case, mutate, field):
    from migreg_desktop.storage.db import session_scope

    data = make_case("resettler")
    mutate(data)
    before = count_rows(engine, "cases", "person", "family_member", "audit_entry", "cases_fts_data", "case_search")
    with pytest.raises(ValidationError) as err, session_scope(engine, actor="t") as s:
        cases.register_case(data, session=s)
    assert field in [p[0] for p in err.value.problems]
    assert count_rows(engine, "cases", "person", "family_member", "audit_entry", "cases_fts_data", "case_search") == before


def test_iin_mismatch_needs_confirmation(session, make_case):
    data = make_case("resettler")
    data["applicant"]["birth_date"] = "1985-06-13"
    with pytest.raises(cases.NeedsConfirmation):
        cases.register_case(data, session=session)
    case = cases.register_case(data, session=session, confirm_warnings=True)
    assert str(cases.case_dict(case, session=session)["applicant"]["birth_date"]) == "1985-06-13"


def test_update_keeps_family_ids_and_bumps_version(session, make_case):
    case = cases.register_case(make_case("resettler"), session=session)
    doc = cases.case_dict(case, session=session)
    spouse_id = doc["family"][0]["id"]
    doc["family"] = doc["family"][:1]
    doc["applicant"]["phone"] = "+7 701 999 9999"
    updated = cases.update_case(case.id, doc, session=session)
    again = cases.case_dict(updated, session=session)
    assert again["family"][0]["id"] == spouse_id and updated.family_size == 2
    assert updated.version == 2


def test_unknown_case(session):
    with pytest.raises(NotFound):
        cases.get_case("ALM-KNV-2026-999999", session=session)


def test_update_keeps_document_ids_and_drops_removed(session, make_case):
    case = cases.register_case(make_case("resettler"), session=session)
    doc = cases.case_dict(case, session=session)
    kept = doc["documents"][0]["id"]
    doc["documents"] = doc["documents"][:1]
    doc["documents"][0]["number"] = "099999999"
    cases.update_case(case.id, doc, session=session)
    again = cases.case_dict(case, session=session)["documents"]
    assert [(d["id"], d["number"]) for d in again] == [(kept, "099999999")]
