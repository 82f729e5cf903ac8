"""Issue 15: the Quotas page is current — a Refresh button (another program wrote), live on the
hub's signals, and the demo's included cases show as reserved places, not 0 %."""

from __future__ import annotations

from PySide6.QtCore import Qt

from migreg_desktop.cases.demo import generate_demo
from migreg_desktop.eligibility import quotas
from migreg_desktop.ui.pages.quotas import USE_ROLE, Col, QuotasPage

from ...conftest import work_session


def _page(qtbot, app_context):  # noqa: ANN001, ANN202
    page = QuotasPage(app_context)
    qtbot.addWidget(page)
    page.show()
    page.year.setValue(2026)
    return page


def _reserved(page):  # noqa: ANN001, ANN202
    return sum(r["reserved"] for r in page.model.rows if r["level"] == "quota")


def _allot_and_reserve_elsewhere(app_context, add_case):  # noqa: ANN001, ANN202
    cid = add_case("resettler")
    with work_session(app_context.engine, actor="other") as s:  # no hub: like another program
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 10, session=s)
    with work_session(app_context.engine, actor="other") as s:
        quotas.reserve(cid, session=s)


def test_refresh_button_reads_what_another_program_wrote(qtbot, app_context, add_case, ui_lang):
    page = _page(qtbot, app_context)
    assert _reserved(page) == 0 and page.refresh_button.text() not in ("", "Refresh")
    _allot_and_reserve_elsewhere(app_context, add_case)
    assert _reserved(page) == 0  # nobody told the window
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert _reserved(page) == 1


def test_page_follows_reservations_from_the_window(qtbot, app_context, add_case, ui_lang):
    page = _page(qtbot, app_context)
    cid = add_case("resettler")
    with app_context.work.for_actor("oblast").session() as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 10, session=s)
    with qtbot.waitSignal(app_context.hub.quotaChanged, timeout=2000), app_context.session() as s:
        quotas.reserve(cid, session=s)
    assert _reserved(page) == 1


def test_demo_cases_show_as_reserved_after_cases_reset(qtbot, app_context, ui_lang):
    page = _page(qtbot, app_context)
    generate_demo(app_context.engine, 800, seed=3)  # the bulk path: no unit of work, no signal
    assert _reserved(page) == 0
    app_context.hub.casesReset.emit()  # what the window says after a demo, an import, a restore
    assert _reserved(page) > 0
    used = [page.model.index(n, Col.USE).data(USE_ROLE) for n, r in enumerate(page.model.rows)]
    assert any(u[0] > 0 for u in used)  # the bar is not 0 %


def test_page_reads_again_when_shown(qtbot, app_context, add_case, ui_lang):
    page = _page(qtbot, app_context)
    page.hide()
    _allot_and_reserve_elsewhere(app_context, add_case)
    page.show()
    assert _reserved(page) == 1
