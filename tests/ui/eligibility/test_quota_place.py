"""Issue 15: reserve and release a quota place from the window — the case editor's status tab and
the case list's menu — with the core's refusal in the clerk's language next to the action."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from migreg_desktop.eligibility import quotas
from migreg_desktop.ui.case_editor import CaseEditor
from migreg_desktop.ui.status_box import StatusBox

from ...conftest import count_rows

LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")  # an English word (office codes are upper-case, allowed)


def _allot(app_context, slots):  # noqa: ANN001, ANN202
    with app_context.work.for_actor("oblast").session() as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", slots, session=s)


def _held(app_context, cid):  # noqa: ANN001, ANN202
    with app_context.session() as s:
        return quotas.held_by_case(cid, session=s)[0]


def _editor(qtbot, app_context, cid):  # noqa: ANN001, ANN202
    editor = CaseEditor(app_context, cid)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentWidget(editor.status_box)
    editor.show()
    return editor.status_box.quota


def _english(text: str) -> list[str]:
    return [w for w in LATIN_WORD.findall(text) if not w.isupper()]


def test_reserve_and_release_by_clicking_in_the_editor(qtbot, app_context, add_case, ui_lang):
    _allot(app_context, 10)
    cid = add_case("resettler")
    box = _editor(qtbot, app_context, cid)
    assert box.reserve_button.isEnabled() and not box.release_button.isEnabled()
    with qtbot.waitSignal(app_context.hub.quotaChanged, timeout=2000):
        qtbot.mouseClick(box.reserve_button, Qt.MouseButton.LeftButton)
    assert _held(app_context, cid) == 1
    assert not box.error.isVisible() and "ALM-KNV" in box.text.text() and not _english(box.text.text())
    assert not box.reserve_button.isEnabled() and box.release_button.isEnabled()
    qtbot.mouseClick(box.release_button, Qt.MouseButton.LeftButton)
    assert _held(app_context, cid) == 0 and box.reserve_button.isEnabled()
    assert count_rows(app_context.engine, "quota_ledger")["quota_ledger"] == 2


def test_refusal_shown_next_to_the_button_in_the_clerks_language(qtbot, app_context, add_case, ui_lang):
    cid = add_case("resettler")  # the office was given no places of this quota
    box = _editor(qtbot, app_context, cid)
    before = count_rows(app_context.engine, "quota_ledger", "audit_entry")
    qtbot.mouseClick(box.reserve_button, Qt.MouseButton.LeftButton)
    assert box.error.isVisible() and "ALM-KNV" in box.error.text()
    assert not _english(box.error.text()), box.error.text()
    assert count_rows(app_context.engine, "quota_ledger", "audit_entry") == before
    other = "ru" if ui_lang == "kk" else "kk"  # a language switch re-says the refusal
    from migreg_desktop import i18n

    first = box.error.text()
    i18n.set_language(other)
    box.retranslate_ui()
    assert box.error.text() != first and not _english(box.error.text())


def test_not_eligible_refusal(qtbot, app_context, add_case, ui_lang):
    _allot(app_context, 10)
    expired = [{"doc_type": "identity_card", "number": "045612378", "issued_on": "2011-05-14",
                "expires_on": "2021-05-13"}, {"doc_type": "address_certificate", "issued_on": "2026-03-01"}]
    cid = add_case("resettler", documents=expired)
    box = _editor(qtbot, app_context, cid)
    qtbot.mouseClick(box.reserve_button, Qt.MouseButton.LeftButton)
    assert box.error.isVisible() and _held(app_context, cid) == 0
    assert ("Құжат" if ui_lang == "kk" else "Документ") in box.error.text() and not _english(box.error.text()), box.error.text()  # the rule named


def test_status_included_from_the_status_box_reserves(qtbot, app_context, add_case, ui_lang):
    _allot(app_context, 10)
    cid = add_case("resettler")
    box = StatusBox(app_context)
    qtbot.addWidget(box)
    box.ask = lambda *_a: True
    for step in ("submitted", "forwarded", "included"):
        from migreg_desktop.cases import cases

        with app_context.session() as s:
            case = cases.get_case(cid, session=s)
            box.load(cid, case.status, [])
        box.target.setCurrentIndex(box.target.findData(step))
        qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
        assert not box.error.isVisibleTo(box), box.error.text()
    assert _held(app_context, cid) == 1


def test_status_included_refused_shows_why(qtbot, app_context, add_case, ui_lang):
    from migreg_desktop.cases import cases

    _allot(app_context, 0)
    cid = add_case("resettler")
    for step in ("submitted", "forwarded"):
        with app_context.session() as s:
            cases.change_status(cid, step, session=s)
    box = StatusBox(app_context)
    qtbot.addWidget(box)
    box.load(cid, "forwarded", [])
    box.target.setCurrentIndex(box.target.findData("included"))
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert box.error.isVisibleTo(box) and not _english(box.error.text()), box.error.text()
    with app_context.session() as s:
        assert cases.get_case(cid, session=s).status == "forwarded"
    from migreg_desktop import i18n

    first = box.error.text()
    i18n.set_language("ru" if ui_lang == "kk" else "kk")
    box.retranslate_ui()  # the refusal is said again in the new language
    assert box.error.text() != first and not _english(box.error.text())


def test_case_list_menu_reserves_and_releases(qtbot, app_context, cases_page, add_case, ui_lang):
    _allot(app_context, 10)
    cid = add_case("resettler")

    def action(menu: QMenu, name: str):  # noqa: ANN202
        return next(a for a in menu.actions() if a.objectName() == name)

    menu = cases_page.case_menu(cid)
    assert action(menu, "reserveQuota").isEnabled() and not action(menu, "releaseQuota").isEnabled()
    assert not _english(action(menu, "reserveQuota").text())
    action(menu, "reserveQuota").trigger()
    assert _held(app_context, cid) == 1 and cases_page.export_status.text()
    menu = cases_page.case_menu(cid)
    assert not action(menu, "reserveQuota").isEnabled() and action(menu, "releaseQuota").isEnabled()
    action(menu, "releaseQuota").trigger()
    assert _held(app_context, cid) == 0
    other = add_case("kandas")  # its office has no allotment of that quota: the refusal under the list
    action(cases_page.case_menu(other), "reserveQuota").trigger()
    assert "ALM-KNV" in cases_page.export_status.text() and not _english(cases_page.export_status.text())
