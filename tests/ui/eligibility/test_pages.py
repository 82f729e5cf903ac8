"""Quotas page and settlement list page, standalone with the app_context fixture."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from migreg_desktop import i18n
from migreg_desktop.eligibility import quotas
from migreg_desktop.refdata import settlements
from migreg_desktop.ui.pages.quotas import USE_ROLE, Col, QuotaModel, QuotasPage
from migreg_desktop.ui.pages.settlements import SettlementModel, SettlementsPage

SHOTS = os.environ.get("MIGREG_SCREENSHOTS")


def _shot(widget, name, size=(980, 560)):
    if SHOTS:
        widget.resize(*size)
        widget.grab().save(os.path.join(SHOTS, name))


def _setup_quota(app_context, add_case, slots=10):
    with app_context.work.for_actor("oblast").session() as s:
        quotas.set_quota(2026, "550000000", "resettler", 1655, "family", session=s)
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", slots, session=s)
    cid = add_case("resettler")
    with app_context.session() as s:
        quotas.reserve(cid, session=s)
    return cid


def test_quota_page_bars_and_low_warning(qtbot, qtmodeltester, app_context, add_case, engine):
    page = QuotasPage(app_context)
    qtbot.addWidget(page)
    page.year.setValue(2026)
    assert page.model.rowCount() == 15 and page.warning.text() == ""
    with qtbot.waitSignal(app_context.hub.quotaChanged, timeout=2000):
        _setup_quota(app_context, add_case, slots=4)  # family of 4 takes the whole allotment
    office = next(r for r in page.model.rows if r["level"] == "office")
    assert (office["reserved"], office["remaining"], office["low"]) == (4, 0, True)
    assert "ALM-KNV" in page.warning.text()
    assert "Павлодар" in page.warning.text()  # which quota the office's low allotment is (issue 15)
    row = page.model.rows.index(office)
    assert page.model.index(row, Col.USE).data(USE_ROLE) == (4, 4)
    qtmodeltester.check(page.model)
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        app_context.hub.emit_language(lang)
        assert page.title.text() != "Quotas"
        _shot(page, f"quotas-{lang}.png")
    i18n.set_language("en")


def test_quota_model_empty(qtmodeltester):
    model = QuotaModel()
    model.set_quotas({"quotas": []})
    qtmodeltester.check(model)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen plugin, when a dialog opens
def test_settlement_page_lists_imports_and_edits(qtbot, qtmodeltester, app_context, tmp_path, engine):
    page = SettlementsPage(app_context)
    qtbot.addWidget(page)
    page.year.setValue(2026)
    assert page.model.rowCount() == 8 and "Sample" in page.banner.text()
    qtmodeltester.check(page.model)
    csv_file = tmp_path / "list.csv"
    csv_file.write_text("year,kato,kind,potential,fixed_on,source\n2026,191000000,city_oblast,high,2025-12-20,x\n"
                        "2026,12345,city_oblast,high,2025-12-10,x\n", encoding="utf-8")
    wizard = page.open_import()  # a child of the page: closed with it
    wizard.path.setText(str(csv_file))
    wizard.preview()
    ok = wizard.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and wizard.model.errors and wizard.problems.count() == 2
    csv_file.write_text("year,kato,kind,potential,fixed_on,source\n2026,191000000,city_oblast,high,2025-12-10,x\n"
                        "2026,196220100,city_district,medium,2025-12-10,x\n", encoding="utf-8")
    wizard.preview()
    assert ok.isEnabled() and "2 of 2" in wizard.summary.text()
    _shot(wizard, "settlement-import-en.png", (820, 480))
    with qtbot.waitSignal(wizard.accepted, timeout=20000):  # the import runs in the thread pool
        ok.click()
    assert page.model.rowCount() == 2 and "Sample" not in page.banner.text()
    page.table.selectRow(1)
    dialog = page.edit()
    qtbot.addWidget(dialog)
    dialog.potential.setCurrentIndex(dialog.potential.findData("high"))
    dialog.save()
    with app_context.session() as s:
        assert {e["kato"]: e["potential"] for e in settlements.entries(2026, session=s)}["196220100"] == "high"
    bad = page.add()
    qtbot.addWidget(bad)
    bad.kato.setText("999")
    bad.save()
    assert bad.error.text() and bad.isVisible()
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        app_context.hub.emit_language(lang)
        _shot(page, f"settlements-{lang}.png")
    i18n.set_language("en")


def test_settlement_model_preview_errors(qtmodeltester):
    model = SettlementModel()
    model.set_rows([{"kato": "1", "kind": "x"}], {1: "bad"})
    qtmodeltester.check(model)


def test_recheck_all_in_a_worker_and_cancel(qtbot, app_context, add_case, engine):
    from sqlalchemy import text

    from migreg_desktop.eligibility import eligibility
    from migreg_desktop.i18n import _

    for kind in ("resettler", "kandas"):
        add_case(kind)
    page = QuotasPage(app_context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recheck.done, timeout=20000) as blocker:
        page.recheck.start()
    assert blocker.args[0]["checked"] == 2 and "2" in page.recheck.status.text()
    # checked at registration already: nothing changed, nothing stored, and the bar says so (issue 17)
    assert blocker.args[0]["changed"] == 0
    assert _("{changed} of them changed and were stored").format(changed=0) in page.recheck.status.text()
    with app_context.engine.begin() as con:  # expired papers: a run that finishes stores both cases again
        con.execute(text("UPDATE document SET expires_on = '2020-01-01'"))
    with app_context.session() as s:
        before = sum(len(eligibility.history(c, session=s)) for c in ("ALM-KNV-2026-000001", "ALM-KNV-2026-000002"))
    with qtbot.waitSignal(page.recheck.done, timeout=20000) as blocker:
        page.recheck.start().cancel()
    with app_context.session() as s:
        after = sum(len(eligibility.history(c, session=s)) for c in ("ALM-KNV-2026-000001", "ALM-KNV-2026-000002"))
    assert after == (before if blocker.args[0] is None else before + 2)  # cancelled: nothing stored
    assert page.recheck.start_button.isEnabled()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_oblast_sets_a_quota_and_allots_places(qtbot, app_context, engine):
    app_context.role = "oblast"
    page = QuotasPage(app_context)
    qtbot.addWidget(page)
    page.year.setValue(2026)
    assert not page.set_button.isHidden() and not page.allot_button.isHidden()
    dialog = page.open_set()
    qtbot.addWidget(dialog)
    dialog.region.setText("123")  # unknown region: the dialog says so and stays open
    dialog.limit.setValue(10)
    dialog.save()
    assert "123" in dialog.error.text() and dialog.isVisible()
    dialog.region.setText("620000000")
    dialog.kind.setCurrentIndex(dialog.kind.findData("kandas"))
    dialog.counting.setCurrentIndex(dialog.counting.findData("family"))
    dialog.save()
    row = next(i for i, r in enumerate(page.model.rows) if r["region"] == "620000000" and r["kind"] == "kandas")
    assert page.model.rows[row]["counting"] == "family"
    page.table.selectRow(row)
    allot = page.open_allot()
    qtbot.addWidget(allot)
    allot.office.setCurrentIndex(allot.office.findData("ALM-ENB"))
    allot.slots.setValue(10)
    allot.save()
    with app_context.session() as s:
        q = next(q for q in quotas.show(2026, session=s)["quotas"] if q["region"] == "620000000" and q["kind"] == "kandas")
    assert q["offices"] == [{"office": "ALM-ENB", "slots": 10, "reserved": 0, "remaining": 10, "low": False}]


def test_district_does_not_see_quota_editing(qtbot, app_context):
    # Once accounts exist (set-up mode allows everything, as before accounts): even the
    # district's admin does not see it, the quotas are the oblast Department's (issue 12).
    from migreg_desktop.accounts import accounts

    with app_context.work.for_actor("tester").session() as s:
        accounts.add_account("tester", "admin", "password1", session=s)
    page = QuotasPage(app_context)
    qtbot.addWidget(page)
    assert page.set_button.isHidden() and page.allot_button.isHidden()


def test_reference_data_change_rechecks_open_cases_by_itself(qtbot, app_context, add_case, engine, tmp_path):
    from migreg_desktop.cases import cases
    from migreg_desktop.eligibility import eligibility
    from migreg_desktop.ui.pages.recheck import AutoRecheck

    open_id, closed_id = add_case("resettler"), add_case("kandas")
    with app_context.work.for_actor("tester").session() as s:
        cases.change_status(closed_id, "withdrawn", session=s)
    auto = AutoRecheck(app_context, delay_ms=10)
    new = tmp_path / "list.csv"
    new.write_text("year;kato;kind;potential;fixed_on;source\n2026;191800000;growth_centre;high;2025-12-12;oblast\n",
                   encoding="utf-8")
    with qtbot.waitSignal(auto.finished, timeout=20000) as blocker:
        with app_context.work.for_actor("tester").session() as s:  # the commit emits refdata_changed
            settlements.import_file(new, session=s)
    assert blocker.args == [1] and auto.changed == 0  # the open case only; its answer did not move
    with app_context.session() as s:  # its answer did not move: no new row, but current again (issue 17)
        latest = eligibility.latest(open_id, session=s)
        assert latest.trigger != "refdata_changed" and eligibility.stale_reason(latest, session=s) is None
        assert eligibility.stale_reason(eligibility.latest(closed_id, session=s), session=s) in \
            ("missing", "reference_changed")  # a withdrawn case is not re-checked


def test_removing_a_row_the_core_refuses_says_why_and_changes_nothing(qtbot, app_context, engine, monkeypatch):
    """A fixed list (Rules §7) refuses edits: the page shows the reason instead of a crash dialog."""
    from PySide6.QtWidgets import QMessageBox

    from migreg_desktop.errors import RuleRefused

    page = SettlementsPage(app_context)
    qtbot.addWidget(page)
    page.year.setValue(2026)
    before = page.model.rowCount()
    page.table.selectRow(0)
    shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))

    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise RuleRefused("The settlement list of {year} is fixed: reopen it first.", year=2026)

    monkeypatch.setattr(settlements, "delete_entry", refuse)
    page.delete()
    assert shown and "2026" in shown[0]
    assert page.model.rowCount() == before


@pytest.mark.parametrize(("lang", "said"), [("kk", "Олардың 0 шешімі өзгерді және сақталды"),
                                            ("ru", "Из них изменились и сохранены: 0")])
def test_recheck_bar_says_how_many_changed_in_the_clerks_language(qtbot, app_context, add_case, lang, said):
    add_case("kandas")  # checked when registered: a re-check changes nothing (issue 17)
    page = QuotasPage(app_context)
    qtbot.addWidget(page)
    i18n.set_language(lang)
    try:
        app_context.hub.emit_language(lang)
        with qtbot.waitSignal(page.recheck.done, timeout=20000) as blocker:
            page.recheck.start()
        assert blocker.args[0]["changed"] == 0 and said in page.recheck.status.text()
        assert "changed" not in page.recheck.status.text()
        _shot(page, f"recheck-{lang}.png")
    finally:
        i18n.set_language("en")
