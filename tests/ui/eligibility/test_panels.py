"""Decision and support panels, standalone with the app_context fixture."""

from __future__ import annotations

import os

from migreg_desktop import i18n
from migreg_desktop.cases import cases
from migreg_desktop.eligibility import eligibility, quotas
from migreg_desktop.ui.panels.decision import DecisionPanel
from migreg_desktop.ui.panels.support import SupportPanel

from ...conftest import example_case

SHOTS = os.environ.get("MIGREG_SCREENSHOTS")  # a folder: save kk/ru screenshots there


def _shot(widget, name):
    if SHOTS:
        widget.resize(760, widget.sizeHint().height() + 20)
        widget.grab().save(os.path.join(SHOTS, name))


def test_decision_panel_lines_and_recheck_on_case_changed(qtbot, app_context, add_case, engine):
    cid = add_case("resettler")
    panel = DecisionPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(cid)
    states = panel.states()
    assert states["region_designated"] == "ok" and states["quota_room"] == "needs_check"
    assert states["kandas_status"] == "n/a"
    assert panel.verdict.text() == "Needs checking"
    # The case changes elsewhere: resettler now stays in the oblast → red line, after the commit signal.
    data = example_case("resettler")
    data["destination_kato"] = "190000000"
    with qtbot.waitSignal(app_context.hub.caseChanged, timeout=2000):
        with app_context.work.for_actor("tester").session() as s:
            cases.update_case(cid, data, session=s, confirm_warnings=True)
    assert panel.states()["region_designated"] == "fail"
    assert panel.verdict.text() == "Not eligible"


def test_decision_panel_turns_green_after_reservation(qtbot, app_context, add_case, engine):
    cid = add_case("resettler")
    panel = DecisionPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(cid)
    with app_context.work.for_actor("oblast").session() as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 10, session=s)
    with qtbot.waitSignal(app_context.hub.quotaChanged, timeout=2000):
        with app_context.work.for_actor("tester").session() as s:
            quotas.reserve(cid, session=s)
    assert panel.states()["quota_room"] == "ok" and panel.verdict.text() == "Eligible"


def test_check_again_stores_history_and_language_switch(qtbot, app_context, add_case, engine):
    cid = add_case("kandas")
    panel = DecisionPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(cid)
    with app_context.session() as s:
        before = len(eligibility.history(cid, session=s))
    panel.check_button.click()
    with app_context.session() as s:
        assert len(eligibility.history(cid, session=s)) == before + 1
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        app_context.hub.emit_language(lang)
        assert panel.heading.text() != "Eligibility"
        assert "Солтүстік Қазақстан" in panel.lines["region_designated"].reason.text() or lang == "ru"
        _shot(panel, f"decision-kandas-{lang}.png")
        assert "=" not in panel.footer.text() and ("АЕК" if lang == "kk" else "МРП") in panel.footer.text()
    i18n.set_language("en")


def test_decision_panel_without_case(qtbot, app_context):
    panel = DecisionPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(None)
    assert not panel.check_button.isEnabled()


def test_support_panel_shows_tenge(qtbot, app_context, add_case):
    cid = add_case("resettler")
    panel = SupportPanel(app_context)
    qtbot.addWidget(panel)
    i18n.set_language("ru")
    panel.load_case(cid)
    texts = [panel.form.itemAt(i).widget().text() for i in range(panel.form.count()) if panel.form.itemAt(i).widget()]
    assert any("1\xa0211\xa0000" in t and "₸" in t for t in texts)
    _shot(panel, "support-ru.png")
    i18n.set_language("en")


def test_decision_panel_rechecks_when_the_settlement_list_changes(qtbot, app_context, add_case, engine):
    from migreg_desktop.refdata import settlements

    cid = add_case("intra_oblast")  # to Қонаев, on the sample list
    panel = DecisionPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(cid)
    assert panel.states()["settlement_listed"] == "ok"
    with qtbot.waitSignal(app_context.hub.refdataChanged, timeout=2000):
        with app_context.work.for_actor("tester").session() as s:
            settlements.delete_entry(2026, "191000000", session=s)
    assert panel.states()["settlement_listed"] == "fail"
    assert panel.row.trigger == "refdata_changed"
