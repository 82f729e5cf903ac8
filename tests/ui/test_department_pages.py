"""Issue 16 in the window: the Department's pages of the oblast office (Monitoring, Sending the
list, Adaptation), clicked through in Kazakh and Russian on an oblast database with demo cases."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QDate, Qt
from sqlmodel import func, select

from migreg_desktop import paths
from migreg_desktop.i18n import tr
from migreg_desktop.models import Case
from migreg_desktop.models.department import (
    AdaptationMeasure,
    OfficialStat,
    SettlementListRecipient,
)
from migreg_desktop.storage.db import session_scope
from tests.ui.conftest import add_cases

DEMO = 60


def _oblast_with_demo_cases(root: Path) -> None:
    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.refdata.setup import init_database

    paths.set_data_dir(root / "oblast")
    engine, _loaded = init_database("ALM-OBL")
    generate_demo(engine, DEMO, seed=7)
    with engine.begin() as con:  # every case in this year: the page opens on it
        con.exec_driver_sql("UPDATE cases SET quota_year = ?", (date.today().year,))
    engine.dispose()


@pytest.fixture
def oblast_ctx(qtbot: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, ui_lang: str) -> Any:
    """The oblast Department's window context over a database with demo cases of every district:
    made once per test process and copied (tests/snapshots.py), each test on its own copy."""
    from migreg_desktop.refdata.setup import open_existing
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.hub import QtHub
    from tests.snapshots import copied

    copied("department-oblast", _oblast_with_demo_cases, tmp_path, tmp_path_factory)
    paths.set_data_dir(tmp_path / "oblast")
    engine = open_existing()
    ctx = AppContext(engine=engine, settings=Settings(), hub=QtHub(), office_code="ALM-OBL", role="oblast",
                     user="tester")
    yield ctx
    ctx.ops.shutdown()
    engine.dispose()


@pytest.fixture
def count_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page counts DEBOUNCE_MS (400 ms) after it opens or a filter moves, so that a burst of
    signals makes one query. A test that is not about that burst counts at once (the same query,
    the same task, 0 ms later); test_monitoring_follows_the_hub_debounced keeps the real delay."""
    from migreg_desktop.ui.pages import monitoring

    monkeypatch.setattr(monitoring, "DEBOUNCE_MS", 0)


def _wait(qtbot: Any, task: Any) -> None:
    if task is not None:
        with qtbot.waitSignal(task.ended, timeout=20000):
            pass


def _page(qtbot: Any, cls: Any, ctx: Any) -> Any:
    page = cls(ctx)
    qtbot.addWidget(page)
    return page


def _count(ctx: Any, model: Any) -> int:
    with session_scope(ctx.engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


# ---- Monitoring ---------------------------------------------------------------------------------

def _monitoring(qtbot: Any, ctx: Any) -> Any:
    from migreg_desktop.ui.pages.monitoring import MonitoringPage

    page = _page(qtbot, MonitoringPage, ctx)
    qtbot.waitUntil(lambda: page.result is not None and page.task is None, timeout=20000)
    return page


def _all_cases(page: Any) -> int:
    return page.models["totals"].table.rows[0][1]


def test_monitoring_shows_the_tables_and_charts_in_the_clerks_language(qtbot, oblast_ctx, ui_lang, count_at_once):
    page = _monitoring(qtbot, oblast_ctx)
    assert _all_cases(page) == DEMO
    offices = page.models["by_office"]
    assert offices.headerData(2, Qt.Orientation.Horizontal) == tr("Cases", ui_lang)
    assert sum(r[2] for r in offices.table.rows) == DEMO
    assert page.charts["office"].items and sum(v for _l, v in page.charts["office"].items) == DEMO
    assert sum(v for _l, v in page.charts["month"].items) == DEMO
    assert page.tabs.tabText(1) == tr("Totals", ui_lang) and page.tabs.tabText(0) != "Charts"
    # a filter: one kind only, counted again off the GUI thread
    page.kind.setCurrentIndex(page.kind.findData("kandas"))
    qtbot.waitUntil(lambda: page.result["filter"].kind == "kandas", timeout=20000)
    with session_scope(oblast_ctx.engine) as s:
        kandas = s.exec(select(func.count()).select_from(Case).where(Case.kind == "kandas")).one()
    assert _all_cases(page) == kandas


def test_monitoring_follows_the_hub_debounced(qtbot, oblast_ctx, ui_lang):
    page = _monitoring(qtbot, oblast_ctx)
    runs = []
    oblast_ctx.ops.started.connect(runs.append)
    add_cases(oblast_ctx, "resettler", "kandas")  # two commits, two caseChanged signals: one query
    qtbot.waitUntil(lambda: page.result and _all_cases(page) == DEMO + 2, timeout=20000)
    assert len([t for t in runs if t.op.name == "monitoring"]) == 1


def test_monitoring_exports_both_files(qtbot, oblast_ctx, ui_lang, count_at_once, tmp_path):
    page = _monitoring(qtbot, oblast_ctx)
    _wait(qtbot, page.export(tmp_path / "m.xlsx", "xlsx"))
    _wait(qtbot, page.export(tmp_path / "m.pdf", "pdf"))
    wb = load_workbook(tmp_path / "m.xlsx")
    assert tr("Totals", ui_lang) in wb.sheetnames and tr("Quota fill", ui_lang) in wb.sheetnames
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    assert page.status.text().endswith("m.pdf")


def _stats_file(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["year", "kato", "name", "population", "arrivals", "departures", "births", "deaths"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_statistics_import_lists_bad_rows_and_writes_nothing(qtbot, oblast_ctx, ui_lang, count_at_once, tmp_path):
    page = _monitoring(qtbot, oblast_ctx)
    year = date.today().year
    bad = _stats_file(tmp_path / "bad.xlsx", [[year, "196200000", "", 100000, 500, 800, 1500, 700],
                                              [year, "999", "", 100, "many", 1, None, None]])
    _wait(qtbot, page.import_stats(bad))
    lines = [page.stats_errors.list.item(i).text() for i in range(page.stats_errors.list.count())]
    assert lines and all("3" in line for line in lines)  # the sheet's row 3
    assert any(tr("Arrivals", ui_lang) in line for line in lines) and not any("arrivals" in line for line in lines)
    assert _count(oblast_ctx, OfficialStat) == 0
    page.stats_errors.close()
    good = _stats_file(tmp_path / "good.xlsx", [[year, "196200000", "", 100000, 500, 800, 1500, 700]])
    _wait(qtbot, page.import_stats(good))
    assert _count(oblast_ctx, OfficialStat) == 1
    qtbot.waitUntil(lambda: bool(page.models["indicators"].table.rows), timeout=20000)


def test_statistics_template_and_proposal(qtbot, oblast_ctx, ui_lang, count_at_once, tmp_path):
    page = _monitoring(qtbot, oblast_ctx)
    _wait(qtbot, page.write_template(tmp_path / "t.xlsx"))
    assert load_workbook(tmp_path / "t.xlsx").worksheets[0]["B2"].value  # districts' KATO filled
    dialog = page.open_proposal()
    qtbot.addWidget(dialog)
    dialog.lang.setCurrentIndex(dialog.lang.findData(ui_lang))
    dialog.texts["foreign_labour"].setPlainText("Шетелдік жұмыс күші квотасы сақталсын.")
    dialog.xlsx.setChecked(True)
    _wait(qtbot, dialog.write(tmp_path / "p.pdf"))
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "p.xlsx").is_file()
    dialog.load()  # saved with the draft, per language
    assert dialog.texts["foreign_labour"].toPlainText() == "Шетелдік жұмыс күші квотасы сақталсын."


# ---- Sending the settlement list ----------------------------------------------------------------

def _desk(qtbot: Any, ctx: Any, year: int = 2026) -> Any:
    from migreg_desktop.ui.pages.list_desk import ListDeskPage

    page = _page(qtbot, ListDeskPage, ctx)
    page.confirm = lambda _text: True
    page.year.setValue(year)  # the shipped sample list's year
    return page


def test_fix_mark_sent_and_publish_the_list(qtbot, oblast_ctx, ui_lang, tmp_path):
    from migreg_desktop.sync import keys

    page = _desk(qtbot, oblast_ctx)
    assert page.fix_button.isEnabled() and not page.publish_button.isEnabled()
    assert page.banner.text()  # after 15 December 2025 the list of 2026 is late (Rules §7)
    doc = page.fix()
    assert doc and doc["status"] == "fixed" and "⚠" in page.message.text()
    assert not page.fix_button.isEnabled() and page.publish_button.isEnabled()
    lmc = page.model.rows[0]
    assert lmc["key"] == "LMC" and page.model.data(page.model.index(0, 2)) == tr("not yet", ui_lang)
    page.sent_on.setDate(QDate.currentDate().addDays(1))  # tomorrow: refused, nothing recorded
    page.table.selectRow(0)
    assert page.mark_sent() == [] and _count(oblast_ctx, SettlementListRecipient) == 0
    page.sent_on.setDate(QDate.currentDate())
    page.table.selectRow(1)
    assert len(page.mark_sent()) == 1
    assert page.doc["sent"] == 1 and page.model.rows[1]["sent_on"] == date.today().isoformat()
    with session_scope(oblast_ctx.engine, actor="tester") as s:
        keys.init_keys(session=s)
    out = tmp_path / "out"
    out.mkdir()
    _wait(qtbot, page.publish(out))
    listed = [page.files.item(i).text() for i in range(page.files.count())]
    assert len(listed) == 4 and (out / "settlements-2026-kk.pdf").is_file() and (out / "refdata-2026.migreg").is_file()


def test_reopen_is_an_admins_act(qtbot, oblast_ctx, ui_lang):
    from migreg_desktop.accounts import accounts

    with session_scope(oblast_ctx.engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s)
        accounts.add_account("tester", "head", "password1", session=s)
    head = _desk(qtbot, oblast_ctx)
    assert head.fix_button.isVisibleTo(head) and not head.reopen_button.isVisibleTo(head)
    head.fix()
    oblast_ctx.user = "boss"
    admin = _desk(qtbot, oblast_ctx)
    assert admin.reopen_button.isVisibleTo(admin) and admin.reopen_button.isEnabled()
    assert admin.reopen()["status"] == "open" and admin.fix_button.isEnabled()


# ---- Adaptation ---------------------------------------------------------------------------------

def _case_number(ctx: Any, kind: str, family: bool = False) -> str:
    with session_scope(ctx.engine) as s:
        query = select(Case.number).where(Case.kind == kind).order_by(Case.number)
        return s.exec(query.where(Case.family_size > 1) if family else query).first()


def test_adaptation_add_list_remove(qtbot, oblast_ctx, ui_lang):
    from migreg_desktop.ui.pages.adaptation import AdaptationPage

    page = _page(qtbot, AdaptationPage, oblast_ctx)
    page.case.setText(_case_number(oblast_ctx, "kandas", family=True))
    assert page.show_case() == [] and page.person.count() > 1  # the applicant and the family, by name
    page.kind.setCurrentIndex(page.kind.findData("language_course"))
    page.outcome.setCurrentIndex(page.outcome.findData("completed"))
    start = date.today() - timedelta(days=30)
    page.started.setDate(QDate(start.year, start.month, start.day))
    page.has_end.setChecked(True)
    page.ended.setDate(QDate(start.year, start.month, start.day).addDays(-1))  # ends before it starts
    assert page.add() is None and page.message.text() and _count(oblast_ctx, AdaptationMeasure) == 0
    page.ended.setDate(QDate.currentDate())
    assert page.add()["kind"] == "language_course"
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == tr("language course", ui_lang)
    assert page.model.data(page.model.index(0, 0)) == tr("applicant", ui_lang)
    page.table.selectRow(0)
    assert page.remove() is not None and page.model.rowCount() == 0
    assert _count(oblast_ctx, AdaptationMeasure) == 0
    page.person.setCurrentIndex(1)  # a family member, chosen by name: recorded for that person (by IIN)
    member = page.add()
    assert member and not member["applicant"] and member["person_iin"] == page.person.itemData(1)
    assert page.model.data(page.model.index(0, 0)) == member["person_iin"]


def test_the_charts_draw_their_bars(qtbot, oblast_ctx, ui_lang, count_at_once):
    from migreg_desktop.ui.charts import BAR, OVER

    page = _monitoring(qtbot, oblast_ctx)
    for key in ("office", "month"):
        chart = page.charts[key]
        chart.resize(500, 300)
        image = chart.grab().toImage()
        bar = [(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
               if image.pixelColor(x, y) == BAR]
        assert len(bar) > 50, key
    page.charts["quota"].set_data("", [("x", 150.0)], percent=True)  # over the limit: red
    image = page.charts["quota"].grab().toImage()
    assert any(image.pixelColor(x, y) == OVER for x in range(0, image.width(), 2) for y in range(0, image.height(), 4))


def test_adaptation_refuses_a_resettler_case(qtbot, oblast_ctx, ui_lang):
    from migreg_desktop.ui.pages.adaptation import AdaptationPage

    page = _page(qtbot, AdaptationPage, oblast_ctx)
    page.case.setText(_case_number(oblast_ctx, "resettler"))
    page.show_case()
    assert page.add() is None and "§9" in page.message.text()
    assert _count(oblast_ctx, AdaptationMeasure) == 0


# ---- the pages in the oblast's window: fit the laptop, speak the language ------------------------

@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_department_pages_fit_the_laptop_and_speak_the_language(qtbot, oblast_ctx, ui_lang, count_at_once, monkeypatch, tmp_path):
    from PySide6.QtCore import QSize

    from migreg_desktop.ui import registry, window_size
    from migreg_desktop.ui.main_window import MainWindow
    from tests.ui.screen_audit import FRAME, SCREEN, english_on_screen, too_big

    monkeypatch.setattr(window_size, "available", lambda _w: QSize(1366, 728) - window_size.FRAME)
    registry.discover()
    win = MainWindow(oblast_ctx.settings)
    win.ask = lambda _parent, _title, _text: True
    qtbot.addWidget(win)
    win.attach(oblast_ctx)
    win.resize(SCREEN - FRAME)
    win.show()
    assert {"monitoring", "list_desk", "adaptation"} <= {s.key for s in win.specs}
    found: list[str] = []
    monitoring = win.show_page("monitoring")
    qtbot.waitUntil(lambda: monitoring.result is not None, timeout=20000)
    for i in range(monitoring.tabs.count()):
        monitoring.tabs.setCurrentIndex(i)
        found += english_on_screen(win)
    desk = win.show_page("list_desk")
    desk.year.setValue(2026)
    found += english_on_screen(win) + too_big(win)
    adaptation = win.show_page("adaptation")
    adaptation.case.setText(_case_number(oblast_ctx, "kandas"))
    adaptation.show_case()
    found += english_on_screen(win) + too_big(win)
    dialog = monitoring.open_proposal()
    found += english_on_screen(dialog) + too_big(dialog)
    dialog.reject()
    assert not found, "\n".join(found)


def test_a_district_window_has_no_department_pages():
    from migreg_desktop.ui import registry

    registry.discover()
    keys = {s.key for s in registry.pages_for("district")}
    assert not keys & {"monitoring", "list_desk", "adaptation"}
    assert {"monitoring", "list_desk", "adaptation"} <= {s.key for s in registry.pages_for("oblast")}
