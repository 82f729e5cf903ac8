"""Keys page: make keys, save the public key, trust a partner (with the fingerprint asked),
clerks only look, and the oblast publishes a reference package a district imports."""

from __future__ import annotations

import json

from migreg_desktop import i18n, paths
from migreg_desktop.accounts import accounts
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import keys
from migreg_desktop.ui.pages.sync_keys import KeysPage
from migreg_desktop.ui.registry import PAGES
from tests.ui.sync.test_sync_pages import shot
from tests.unit.sync.kit import setup_office


def test_registered_for_both_roles():
    assert PAGES["sync_keys"].roles == ("district", "oblast")


def test_admin_makes_keys_saves_and_trusts(qtbot, app_context, tmp_path, capsys):
    oblast = setup_office(tmp_path / "obl", "ALM-OBL", capsys)
    obl_pub = tmp_path / "obl.pub.json"
    oblast.ok("keys", "export", "--out", str(obl_pub))
    paths.set_data_dir(tmp_path / "data")
    page = KeysPage(app_context)
    qtbot.addWidget(page)
    assert "no keys yet" in page.mine.text()
    assert page.init_btn.isEnabled() and not page.trust_btn.isEnabled()  # set-up mode: admin

    assert page.make_keys()
    fp = keys.load_keys("ALM-KNV").public_doc()["fingerprint"]
    assert fp in page.mine.text() and page.trust_btn.isEnabled()
    mine = tmp_path / "knv.pub.json"
    assert page.export_public(mine)
    assert json.loads(mine.read_text(encoding="utf-8"))["fingerprint"] == fp

    asked: list[str] = []
    page.confirm = lambda _t, text: asked.append(text) or False  # the admin says no: nothing trusted
    assert not page.trust_file(obl_pub) and page.model.rows == []
    page.confirm = lambda _t, text: asked.append(text) or True
    assert page.trust_file(obl_pub)
    obl_fp = oblast.ok("keys", "list")["fingerprint"]
    paths.set_data_dir(tmp_path / "data")  # the CLI run moved the process to the oblast's dir
    assert obl_fp in asked[-1] and "ALM-OBL" in asked[-1]
    assert [(r["office"], r["fingerprint"]) for r in page.model.rows] == [("ALM-OBL", obl_fp)]

    page.confirm = lambda _t, _text: False  # replacing keys asks first; "no" keeps them
    assert not page.make_keys()
    assert keys.load_keys("ALM-KNV").public_doc()["fingerprint"] == fp
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        page.retranslate_ui()
        shot(page, f"keys-{lang}")
    i18n.set_language("en")


def test_bad_key_file_is_explained_and_nothing_trusted(qtbot, app_context, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    page = KeysPage(app_context)
    qtbot.addWidget(page)
    page.make_keys()
    i18n.set_language("ru")
    try:
        assert not page.trust_file(bad)
        assert "не файл открытого ключа" in page.message.text() or "ключ" in page.message.text()
        assert not page.export_public(tmp_path / "no-such-folder" / "k.json")
        assert "no-such-folder" in page.message.text()
        russian = page.message.text()
        i18n.set_language("kk")
        page.retranslate_ui()  # the outcome is re-worded, not left in the old language
        assert page.message.text() != russian and "no-such-folder" in page.message.text()
    finally:
        i18n.set_language("en")
    assert page.model.rows == []


def test_clerk_only_looks(qtbot, app_context):
    with session_scope(app_context.engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s)
        accounts.add_account("tester", "clerk", "password1", session=s)
    page = KeysPage(app_context)
    qtbot.addWidget(page)
    assert not page.init_btn.isEnabled() and not page.trust_btn.isEnabled()
    assert "Only the admin" in page.message.text()


def test_oblast_publishes_reference_package(qtbot, app_context, tmp_path, capsys):
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.ui.context import AppContext

    district = setup_office(tmp_path / "knv", "ALM-KNV", capsys)
    paths.set_data_dir(tmp_path / "oblast")
    eng, _ = init_database("ALM-OBL")
    try:
        ctx = AppContext(engine=eng, settings=app_context.settings, hub=app_context.hub,
                         office_code="ALM-OBL", role="oblast", user="tester")
        page = KeysPage(ctx)
        qtbot.addWidget(page)
        assert page.ref_btn.isVisibleTo(page) and not page.ref_btn.isEnabled()  # no keys yet
        page.make_keys()
        pub = tmp_path / "obl.pub.json"
        page.export_public(pub)
        out = tmp_path / "ref.migreg"
        with qtbot.waitSignal(page.export_refdata(out).done, timeout=20000):
            pass
        assert out.exists() and str(out) in page.message.text()
    finally:
        eng.dispose()
    district.ok("keys", "trust", str(pub), "--office", "ALM-OBL")
    assert district.ok("import", str(out))["status"] == "applied"
