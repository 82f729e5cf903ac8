"""Issue 14 in the case editor: the kandas keys (nationality, country of origin, former
citizenship) and the legal representative of an applicant under 18 are typed, saved, read back,
and reach the kandas application form; kk and ru."""

from __future__ import annotations

from typing import Any

from migreg_desktop.cases import cases
from migreg_desktop.forms import application

from .conftest import add_cases, type_text


def test_kandas_fields_and_representative_saved_and_printed(qtbot: Any, cases_page: Any, app_context: Any,
                                                            ui_lang: str) -> None:
    (cid,) = add_cases(app_context, "kandas")
    editor = cases_page.open_case(cid)
    form = editor.applicant
    # the example carries them: shown, not lost
    assert form.fields["origin_country"].text() == "Моңғолия / Монголия"
    assert form.labels["nationality"].text() == {"kk": "Ұлты", "ru": "Национальность"}[ui_lang]
    for key in ("origin_country", "former_citizenship", "nationality"):
        form.fields[key].clear()
    type_text(form.fields["origin_country"], "Қытай / Китай")
    type_text(form.fields["former_citizenship"], "Қытай / Китай")
    type_text(form.fields["nationality"], "қазақ / казах")
    rep = editor.representative
    assert rep.title().startswith({"kk": "Заңды өкілі", "ru": "Законный представитель"}[ui_lang])
    type_text(rep.fields["legal_representative"], "Оралбаева Гүлнар")
    type_text(rep.fields["representative_basis"], "туу туралы куәлік")
    assert editor.save()
    with app_context.session() as s:
        saved = cases.case_dict(cases.get_case(cid, session=s), session=s)
        printed = application.application_kandas(cid, ui_lang, session=s)
    assert saved["applicant"]["origin_country"] == "Қытай / Китай"
    assert saved["legal_representative"] == "Оралбаева Гүлнар"
    assert saved["representative_basis"] == "туу туралы куәлік"
    assert printed["f.origin_country"]["value"] == "Қытай / Китай"
    assert printed["f.former_citizenship"]["value"] == "Қытай / Китай"
    assert printed["f.nationality"]["value"] == "қазақ / казах"
    assert printed["f.representative"]["value"] == "Оралбаева Гүлнар, туу туралы куәлік"
    editor.load(cid)  # read back into the widgets
    assert rep.fields["legal_representative"].text() == "Оралбаева Гүлнар"
    assert not editor.is_dirty()
    editor.reject()
