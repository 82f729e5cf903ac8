"""Issue 15: the import wizard lists what a reference package changes (before and after it is
applied), and the Inbox lists the reference package like a case package — in kk and ru."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from migreg_desktop import i18n, paths
from migreg_desktop.ui.pages.sync_exchange import InboxPage
from tests.ui.sync.test_sync_pages import district_ctx  # noqa: F401  (fixture)

YEAR, REGION = "2026", "550000000"


def _run(qtbot, wizard, button) -> None:  # noqa: ANN001
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.task.done, timeout=30000):
        pass


def test_wizard_and_inbox_show_a_reference_package(qtbot, qtmodeltester, district_ctx, tmp_path, ui_lang):  # noqa: F811
    ctx, oblast = district_ctx
    oblast.ok("quota", "set", "--year", YEAR, "--region", REGION, "--kind", "resettler", "--limit", "45")
    ref = tmp_path / "ref.migreg"
    oblast.ok("refdata", "export", "--out", str(ref))
    paths.set_data_dir(tmp_path / "data")
    i18n.set_language(ui_lang)  # the kit's CLI calls leave the language in English
    inbox = InboxPage(ctx)
    qtbot.addWidget(inbox)
    wizard = inbox.open_wizard(show=False)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(ref))
    _run(qtbot, wizard, wizard.check_btn)  # verify and preview: nothing kept yet
    assert wizard.table.model() is wizard.ref_model
    qtmodeltester.check(wizard.ref_model)
    rows = {r["dataset"]: r for r in wizard.ref_model.rows}
    quotas = rows[i18n._("quotas")]
    assert quotas["what"].startswith(f"{YEAR}: ") and quotas["what"] != f"{YEAR}: 1 changed"
    assert "→" in quotas["versions"]
    assert wizard.ref_model.headerData(2, Qt.Orientation.Horizontal) == i18n._("What changed") != "What changed"
    assert not [r for r in inbox.model.rows if r["kind"] == "refdata"]  # a dry run leaves no history
    _run(qtbot, wizard, wizard.apply_btn)
    assert wizard.preview["status"] == "applied" and not wizard.preview["dry_run"]
    QApplication.processEvents()
    mine = [r for r in inbox.model.rows if r["kind"] == "refdata"]
    assert len(mine) == 1 and mine[0]["sender"] == "ALM-OBL"
    assert mine[0]["kind_label"] == i18n._("Reference data")
    assert mine[0]["content"].startswith(i18n._("quotas") + f" {YEAR}: ")
    assert mine[0]["ack_label"] == "—"  # nothing to acknowledge to the oblast for reference data


def test_audit_trail_says_what_a_reference_package_changed_in_words(ui_lang):
    import json

    from migreg_desktop.ui.audit_model import changes_text

    raw = json.dumps({"versions": [None, {"quotas": "2026.1.2"}], "sender": [None, "ALM-OBL"],
                      "refdata_changes": [None, [{"dataset": "quotas", "old": "2026.1.1", "new": "2026.1.2",
                                                  "years": {"2026": {"added": 0, "removed": 0, "changed": 1}}}]]})
    shown = changes_text(raw)
    assert i18n._("What changed") + ": " + i18n._("quotas") + " 2026: " in shown
    assert "{'" not in shown and "refdata_changes" not in shown  # never a Python dict or a raw key
    assert i18n._("Sender") + ": — → ALM-OBL" in shown
