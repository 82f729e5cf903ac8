"""The year filter reads its years once, relabels on a language switch without a query, and reads
them again when an import or a restore (casesReset) may have brought a new year."""

from migreg_desktop import i18n
from migreg_desktop.cases import cases
from migreg_desktop.ui.pages.cases import CasesPage
from tests.conftest import example_case, work_session


def _years(page):
    return [page.year.itemData(i) for i in range(1, page.year.count())]


def test_years_follow_new_cases_not_language_switches(qtbot, app_context, engine):
    page = CasesPage(app_context)
    qtbot.addWidget(page)
    assert _years(page) == []
    doc = example_case("kandas") | {"quota_year": 2025}
    with work_session(engine) as s:  # written behind the window's back, as an import does
        cases.register_case(doc, session=s, confirm_warnings=True)
    i18n.set_language("kk")
    page.retranslate_ui()
    assert _years(page) == [] and page.year.itemText(0) == i18n._("All years")  # relabelled, not re-read
    app_context.hub.casesReset.emit()
    assert _years(page) == [2025]
    i18n.set_language("en")
