from datetime import date, timedelta

from openpyxl import load_workbook

from migreg_desktop.accounts import accounts
from migreg_desktop.cases import cases
from migreg_desktop.storage.db import session_scope
from migreg_desktop.ui.pages.audit import AuditPage
from tests.conftest import example_case


def _setup(engine, role="admin"):
    with session_scope(engine, actor="tester") as s:  # the first admin adds the others
        accounts.add_account("tester", "admin", "password1", session=s)
        accounts.add_account("aida", "clerk", "password1", session=s)
        if role != "admin":
            accounts.add_account("boss", "admin", "password1", session=s)
            accounts.set_role("tester", role, session=s)
    with session_scope(engine, actor="tester") as s:
        number = cases.register_case(example_case("kandas"), session=s).number
        cases.change_status(number, "submitted", "ok", session=s)
    with session_scope(engine, actor="aida") as s:
        cases.register_case(example_case("resettler"), session=s)
    return number


def test_model_passes_qtmodeltester(qtmodeltester, app_context):
    _setup(app_context.engine)
    page = AuditPage(app_context)
    qtmodeltester.check(page.model)


def test_filters_by_user_action_case_person_and_date(qtbot, app_context):
    number = _setup(app_context.engine)
    page = AuditPage(app_context)
    qtbot.addWidget(page)
    total = len(page.model.ids)
    page.user.setCurrentIndex(page.user.findData("aida"))
    page.apply_filter()
    assert len(page.model.ids) == 1
    page.user.setCurrentIndex(0)
    page.action.setCurrentIndex(page.action.findData("status"))
    page.apply_filter()
    assert len(page.model.ids) == 1
    assert "Draft → Submitted" in page.model.index(0, 4).data()
    page.action.setCurrentIndex(0)
    page.case.setText(number)
    page.apply_filter()
    assert len(page.model.ids) == 2 and page.model.index(0, 3).data().endswith(number)
    page.case.clear()
    page.person.setText(example_case("kandas")["applicant"]["iin"])
    page.apply_filter()
    assert len(page.model.ids) == 2
    page.person.clear()
    page.date_from.setDate(date.today() + timedelta(days=1))
    page.apply_filter()
    assert page.model.ids == []
    page.date_from.setDate(date.today())
    page.apply_filter()
    assert len(page.model.ids) == total


def test_export_csv_and_xlsx_and_verify(qtbot, app_context, tmp_path):
    _setup(app_context.engine)
    page = AuditPage(app_context)
    qtbot.addWidget(page)
    page.action.setCurrentIndex(page.action.findData("create"))
    page.apply_filter()
    assert page.export_to(tmp_path / "a.xlsx") == 2
    rows = list(load_workbook(tmp_path / "a.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "id"
    assert page.export_to(tmp_path / "a.csv") == 2
    assert page.verify().ok
    with app_context.engine.begin() as con:
        con.exec_driver_sql("UPDATE audit_entry SET changes='{}' WHERE id=3")
    report = page.verify()
    assert not report.ok and "3" in page.status.text()
    page.status.clear()
    # The task's done signal follows the page's own callback, before the filter's timer can
    # repaint the count: the chain's verdict is what the status says at that moment.
    with qtbot.waitSignal(page.verify_in_background().done, timeout=20000):
        pass
    assert "3" in page.status.text()


def test_clerk_sees_no_audit(qtbot, app_context):
    _setup(app_context.engine, role="clerk")
    page = AuditPage(app_context)
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.denied and page.model.ids == []
