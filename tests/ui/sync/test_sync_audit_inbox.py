"""Issue 12 §7: the Inbox page shows an audit_rewound warning, in the clerk's language."""

from __future__ import annotations

from migreg_desktop import i18n
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import audit_witness
from migreg_desktop.ui.pages.sync_exchange import InboxPage


def _head(n: int, c: str) -> dict:
    return {"audit_head": {"sequence": n, "hash": c * 64}}


def test_inbox_shows_a_rewound_audit_trail(qtbot, app_context):
    with session_scope(app_context.engine) as s:
        assert audit_witness.check(_head(40, "a"), {"sender": "ALM-OBL", "sequence": 1}, session=s) == []
        (w,) = audit_witness.check(_head(12, "b"), {"sender": "ALM-OBL", "sequence": 2}, session=s)
        assert w["code"] == "audit_rewound" and w["seen"]["sequence"] == 40
    page = InboxPage(app_context)
    qtbot.addWidget(page)
    assert not page.alert.isHidden()
    assert "ALM-OBL" in page.alert.text() and "40" in page.alert.text() and "12" in page.alert.text()
    try:
        for lang in ("ru", "kk"):
            i18n.set_language(lang)
            page.retranslate_ui()
            assert "ALM-OBL" in page.alert.text() and "went back" not in page.alert.text()
    finally:
        i18n.set_language("en")


def test_no_warning_no_alert(qtbot, app_context):
    page = InboxPage(app_context)
    qtbot.addWidget(page)
    assert page.alert.isHidden()


def test_import_wizard_tells_refused_records_and_a_rewound_audit_trail(qtbot, app_context):
    from migreg_desktop.ui.sync_wizard import ImportWizard

    wizard = ImportWizard(app_context, None)
    qtbot.addWidget(wizard)
    warning = {"code": "audit_rewound", "office": "ALM-KNV", "sequence": 3, "seen": {"sequence": 40, "hash": "a"},
               "received": {"sequence": 12, "hash": "b"}, "message": "…"}
    doc = {"status": "applied", "dry_run": True, "sender": "ALM-KNV", "sequence": 3, "conflicts": 0,
           "counts": {"cases": {"applied": 1, "unchanged": 0, "conflicts": 0, "deleted": 0, "refused": 2}},
           "refused": 2, "warnings": [warning], "reason": None}
    try:
        i18n.set_language("ru")
        wizard._done(doc, dry_run=True)
        text = wizard.result_label.text()
        assert "2 записи отклонены" in text and "Журнал аудита офиса ALM-KNV" in text, text
        assert wizard.model.rows[0]["refused"] == 2
    finally:
        i18n.set_language("en")
