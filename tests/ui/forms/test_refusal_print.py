"""The print dialog offers the refusal receipt (issue 14) and previews it in kk and ru; for a case
with complete papers it says why there is nothing to print instead of failing."""

from __future__ import annotations

from migreg_desktop import i18n

from ...conftest import example_case
from ...forms_helpers import pdf_text


def _case(app_context, documents):  # noqa: ANN001, ANN202
    from migreg_desktop.cases.cases import register_case

    data = example_case("resettler")
    data["documents"] = documents
    with app_context.session() as session:
        return register_case(data, session=session, confirm_warnings=True).id


def test_refusal_receipt_previewed_in_both_languages(qtbot, app_context, tmp_path, ui_lang):
    from migreg_desktop.ui.print_dialog import PrintDialog

    cid = _case(app_context, [{"doc_type": "identity_card", "issued_on": "2011-05-14", "expires_on": "2021-05-13"}])
    dialog = PrintDialog(app_context, cid, form="refusal_receipt")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.preview.page_count() >= 1, timeout=15000)
    assert dialog.form_name() == "refusal_receipt"
    title = {"kk": "Бас тарту туралы қолхат", "ru": "Расписка об отказе"}[ui_lang]
    assert dialog.form_box.currentText().startswith(title)
    langs = [dialog.lang_box.itemData(i) for i in range(dialog.lang_box.count())]
    assert langs == ["kk", "ru"]
    for lang, words in (("kk", "ұсынылмаған"), ("ru", "не представлен")):
        dialog.lang_box.setCurrentIndex(langs.index(lang))
        qtbot.waitUntil(lambda: not dialog.rendering, timeout=15000)
        text = " ".join(pdf_text(dialog.preview.save_to(tmp_path / f"r-{lang}.pdf")).split())
        assert words in text
    i18n.set_language("en")


def test_nothing_to_refuse_is_said_in_the_dialog(qtbot, app_context, ui_lang):
    from migreg_desktop.ui.print_dialog import PrintDialog

    cid = _case(app_context, example_case("resettler")["documents"])
    dialog = PrintDialog(app_context, cid, form="refusal_receipt")
    qtbot.addWidget(dialog)
    expected = {"kk": "бас тарту туралы қолхат басылмайды", "ru": "расписку об отказе печатать не нужно"}[ui_lang]
    qtbot.waitUntil(lambda: expected in dialog.status.text(), timeout=15000)
    assert not dialog.print_button.isEnabled()
    i18n.set_language("en")


def test_adaptation_referral_offered_for_a_kandas_case_only(qtbot, app_context):
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.ui.print_dialog import PrintDialog

    with app_context.session() as session:
        kandas = register_case(example_case("kandas"), session=session, confirm_warnings=True).id
    dialog = PrintDialog(app_context, kandas, form="adaptation_referral")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.preview.page_count() >= 1, timeout=15000)
    assert dialog.form_name() == "adaptation_referral"
    resettler = _case(app_context, example_case("resettler")["documents"])
    other = PrintDialog(app_context, resettler)
    qtbot.addWidget(other)
    assert "adaptation_referral" not in [other.form_box.itemData(i) for i in range(other.form_box.count())]
