"""Outbox, Inbox, import wizard, conflict and duplicate pages, standalone with app_context."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from migreg_desktop import i18n, paths
from migreg_desktop.cases import cases
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import keys
from migreg_desktop.ui.pages.sync_exchange import InboxPage, OutboxPage
from migreg_desktop.ui.pages.sync_review import ConflictsPage, DuplicatesPage
from migreg_desktop.ui.registry import PAGES
from tests.unit.sync.kit import Office, case_doc, setup_office, trust_each_other

SHOTS = Path(os.environ.get("MIGREG_SHOTS", "/tmp/sync-shots"))


@pytest.fixture
def district_ctx(app_context, tmp_path, capsys):  # noqa: ANN001
    """app_context's district (ALM-KNV) with keys, trusting an oblast office in another data dir."""
    with session_scope(app_context.engine) as s:
        keys.init_keys(session=s)
        for n in (1, 2):
            cases.register_case(case_doc(n), session=s, confirm_warnings=True)
    oblast = setup_office(tmp_path / "obl", "ALM-OBL", capsys)
    me = Office(tmp_path, "data", capsys)
    me.code = "ALM-KNV"
    trust_each_other(me, oblast, tmp_path)
    paths.set_data_dir(tmp_path / "data")
    return app_context, oblast


def shot(widget, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.resize(900, 520)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_pages_are_registered():
    assert {"sync_outbox", "sync_inbox", "sync_conflicts", "sync_duplicates"} <= set(PAGES)
    assert PAGES["sync_duplicates"].roles == ("oblast",)


def test_outbox_shows_pending_and_exports_in_a_worker(qtbot, qtmodeltester, district_ctx, tmp_path):
    ctx, oblast = district_ctx
    page = OutboxPage(ctx)
    qtbot.addWidget(page)
    assert page.receiver.currentData() == "ALM-OBL"
    assert len(page.cases_model.rows) == 2 and "2" in page.summary.text() or "1" in page.summary.text()
    qtmodeltester.check(page.cases_model)
    out = tmp_path / "p1.migreg"
    job = page.export_to(out)
    with qtbot.waitSignal(job.done, timeout=20000):
        pass
    assert out.exists() and page.packages_model.rows[0]["sequence"] == 1
    assert all("package 1" in r["state"] for r in page.cases_model.rows)
    qtmodeltester.check(page.packages_model)
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        page.retranslate_ui()
        shot(page, f"outbox-{lang}")
    assert oblast.ok("import", str(out))["status"] == "applied"


def test_import_wizard_checks_then_applies_and_inbox_lists_it(qtbot, district_ctx, tmp_path):
    ctx, oblast = district_ctx
    # The oblast proposes a phone change on our case: the wizard imports it as one conflict.
    out = tmp_path / "p1.migreg"
    page = OutboxPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.export_to(out).done, timeout=20000):
        pass
    oblast.ok("import", str(out))
    paths.set_data_dir(oblast.dir)
    eng = oblast.engine()
    with session_scope(eng) as s:
        from migreg_desktop.models import Person

        person = s.exec(__import__("sqlmodel").select(Person).where(Person.iin == case_doc(1)["applicant"]["iin"])).one()
        person.phone = "+7 777 000 1111"
        s.add(person)
    eng.dispose()
    back = tmp_path / "o1.migreg"
    oblast.ok("export", "--to", "ALM-KNV", "--out", str(back))
    paths.set_data_dir(tmp_path / "data")

    inbox = InboxPage(ctx)
    qtbot.addWidget(inbox)
    wizard = inbox.open_wizard(show=False)
    wizard.path_edit.setText(str(back))
    with qtbot.waitSignal(_started(wizard, qtbot, dry=True), timeout=20000):
        pass
    assert wizard.preview["status"] == "applied" and wizard.preview["dry_run"] and wizard.apply_btn.isEnabled()
    assert "Verified" in wizard.result_label.text()
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        wizard.retranslate_ui()
        shot(wizard, f"wizard-{lang}")
    i18n.set_language("en")
    with qtbot.waitSignal(_started(wizard, qtbot, dry=False), timeout=20000):
        pass
    assert wizard.preview["status"] == "applied" and not wizard.preview["dry_run"]
    assert wizard.preview["conflicts"] == 1
    inbox.refresh()
    assert inbox.model.rows[0]["sender"] == "ALM-OBL" and inbox.model.rows[0]["acknowledged_in"] is None
    ack = tmp_path / "ack.migreg"
    with qtbot.waitSignal(inbox.acknowledge("ALM-OBL", ack).done, timeout=20000):
        pass  # on the operation runner: the office lock may wait for a running import
    assert ack.exists() and inbox.model.rows[0]["acknowledged_in"] is not None
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        inbox.retranslate_ui()
        shot(inbox, f"inbox-{lang}")
    i18n.set_language("en")

    conflicts_page = ConflictsPage(ctx)
    qtbot.addWidget(conflicts_page)
    conflicts_page.select_first()
    assert [r["field"] for r in conflicts_page.fields_model.rows] == ["phone"]
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        conflicts_page.retranslate_ui()
        conflicts_page.select_first()
        shot(conflicts_page, f"conflicts-{lang}")
    conflicts_page.decide(True)
    assert conflicts_page.model.rows == []
    with ctx.session() as s:
        assert cases.case_dict(cases.get_case("ALM-KNV-2026-000001", session=s), session=s)[
            "applicant"]["phone"] == "+7 777 000 1111"


def _started(wizard, qtbot, dry: bool):  # noqa: ANN001, ANN202
    (wizard.check if dry else wizard.apply)()
    return wizard.task.done


def test_duplicates_page(qtbot, qtmodeltester, app_context):
    from sqlalchemy import text

    with app_context.engine.begin() as con:
        for pid, iin in (("p1", "850612310109"), ("p2", "850612310109")):
            con.execute(text("INSERT INTO person (id, iin, surname, name, birth_date, citizenship, owner_office, "
                             "version, base_version, updated_at) VALUES (:id, :iin, 'Құрманғазы', 'Ерлан', "
                             "'1985-06-12', 'citizen', :o, 1, 0, '2026-11-24 10:00:00')"),
                         {"id": pid, "iin": iin, "o": "ALM-KNV" if pid == "p1" else "ALM-TLG"})
        con.execute(text("INSERT INTO sync_duplicate (person_id, other_id, match_kind, status, created_at) "
                         "VALUES ('p1', 'p2', 'iin', 'open', '2026-11-24 10:00:00')"))
    page = DuplicatesPage(app_context)
    qtbot.addWidget(page)
    assert len(page.model.rows) == 1
    qtmodeltester.check(page.model)
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        page.retranslate_ui()
        shot(page, f"duplicates-{lang}")
    page.select_first()
    page.decide(False)
    assert page.model.rows == []
    assert json.dumps(page.model.rows) == "[]"


def test_import_wizard_cancel_stops_the_job_and_says_so(qtbot, app_context, monkeypatch, tmp_path):
    """Cancel reaches the running import (its cancel callback); the wizard is usable again."""
    import threading

    from migreg_desktop.errors import SyncError
    from migreg_desktop.sync import jobs
    from migreg_desktop.ui.pages.sync_exchange import InboxPage

    started = threading.Event()

    def slow_import(_engine, _path, *, progress, cancel, **_kw):  # noqa: ANN001, ANN202
        started.set()
        for i in range(2000):
            progress(i, 2000)
            if cancel():
                raise SyncError("Import cancelled; nothing was changed.")
            threading.Event().wait(0.01)
        return {"status": "applied"}

    monkeypatch.setattr(jobs, "run_import", slow_import)
    inbox = InboxPage(app_context)
    qtbot.addWidget(inbox)
    wizard = inbox.open_wizard(show=False)
    wizard.path_edit.setText(str(tmp_path / "p.migreg"))
    wizard.check()
    assert started.wait(10) and wizard.cancel_btn.isEnabled() and not wizard.check_btn.isEnabled()
    with qtbot.waitSignal(wizard.task.failed, timeout=20000):
        wizard.cancel_btn.click()
    assert "cancelled" in wizard.result_label.text() and wizard.check_btn.isEnabled()
    assert not wizard.cancel_btn.isEnabled()
