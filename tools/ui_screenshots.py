"""Screenshots of every page, the case editor and the print dialog in Kazakh and Russian, on a
1366×768 laptop screen (docs/screenshots).

    python tools/ui_screenshots.py [OUT_DIR]

Builds a throw-away data dir with the example cases, so the pictures never show real people. The
offscreen platform is given a 1366×768 screen, so dialogs size themselves as on a clerk's laptop.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCREEN = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96,
                        "logicalBaseDpi": 96, "dpr": 1}]}
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # plain offscreen has an 800×800 screen
    _config = Path(tempfile.mkdtemp(prefix="migreg-screen-")) / "laptop.json"
    _config.write_text(json.dumps(SCREEN), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
TASKBAR, TITLE_BAR = 40, 32  # what the window manager takes of the 768 px


def save(widget, path: Path) -> None:  # noqa: ANN001
    widget.grab().save(str(path))


def print_dialog(ctx, case_id: str, parent, path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEventLoop, QTimer

    from migreg_desktop.ui.print_dialog import PrintDialog

    dialog = PrintDialog(ctx, case_id, parent, form="application_resettler")
    dialog.show()
    loop = QEventLoop()
    dialog.task.ended.connect(loop.quit)
    QTimer.singleShot(20000, loop.quit)
    if dialog.rendering:
        loop.exec()
    QTimer.singleShot(1500, loop.quit)  # QPdfView paints its pages from a thread of its own
    loop.exec()
    save(dialog, path)
    dialog.reject()


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from migreg_desktop import i18n, paths
    from migreg_desktop.app import build_context, setup_application
    from migreg_desktop.cases import cases
    from migreg_desktop.eligibility import eligibility, quotas
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.settings import Settings
    from migreg_desktop.storage.db import session_scope
    from migreg_desktop.ui import registry
    from migreg_desktop.ui.main_window import MainWindow
    from migreg_desktop.ui.qt_refcount import guard

    guard()  # hundreds of screenshots make far more Qt calls than None has references (PySide6 6.12.0)
    app = QApplication([])
    setup_application(app)
    paths.set_data_dir(tempfile.mkdtemp(prefix="migreg-shots-"))
    engine, _ = init_database("ALM-KNV")
    ids = []
    for kind in ("kandas", "resettler", "intra_oblast"):
        data = json.loads((ROOT / "examples" / f"case-{kind}.json").read_text(encoding="utf-8"))
        with session_scope(engine, actor="Әлия Серікқызы") as s:
            ids.append(cases.register_case(data, session=s, confirm_warnings=True).id)
    with session_scope(engine, actor="Әлия Серікқызы") as s:
        cases.change_status(ids[1], "submitted", "Құжаттар толық", session=s)
    with session_scope(engine, actor="Әлия Серікқызы") as s:
        quotas.set_quota(2026, "550000000", "resettler", 1655, "family", session=s)
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 12, session=s)
    with session_scope(engine, actor="Әлия Серікқызы") as s:
        for cid in ids:
            eligibility.check_case(cid, session=s)
    with session_scope(engine, actor="Әлия Серікқызы") as s:  # a reservation needs a current decision
        quotas.reserve(ids[1], session=s)
    from migreg_desktop.cases.demo import generate_demo

    generate_demo(engine, 400, seed=2)  # a filled list and quotas in use (synthetic people)
    settings = Settings()
    settings.set("clerk_name", "Әлия Серікқызы")
    ctx = build_context(engine, settings)
    registry.discover()
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("kk", "ru"):
        i18n.set_language(lang)
        window = MainWindow(settings)
        window.attach(ctx)
        window.resize(1366, 768 - TASKBAR - TITLE_BAR)  # maximised above the taskbar
        window.show()
        app.processEvents()
        save(window, out / f"main-window-{lang}.png")
        for spec in window.specs[1:]:  # every other page, as the clerk sees it
            window.show_page(spec.key)
            app.processEvents()
            save(window, out / f"page-{spec.key}-{lang}.png")
        window.show_page("cases")
        print_dialog(ctx, ids[1], window, out / f"print-dialog-{lang}.png")
        editor = window.pages["cases"].open_case(ids[1])
        app.processEvents()
        save(editor, out / f"editor-applicant-{lang}.png")
        editor.tabs.setCurrentWidget(editor.family)
        app.processEvents()
        save(editor, out / f"editor-family-{lang}.png")
        editor.tabs.setCurrentIndex(3)
        app.processEvents()
        save(editor, out / f"editor-move-{lang}.png")
        editor.tabs.setCurrentWidget(editor.status_box)
        app.processEvents()
        save(editor, out / f"editor-status-{lang}.png")  # the quota place it holds (issue 15)
        for i in range(editor.tabs.count()):  # the panels other features add (decision, support …)
            title = editor.tabs.widget(i).property("panel_title")
            if title:
                editor.tabs.setCurrentIndex(i)
                app.processEvents()
                save(editor, out / f"editor-panel-{i}-{lang}.png")
        editor.close()
        refused = window.pages["cases"].open_case(ids[2])  # intra-oblast: no quota of that kind, no place
        refused.tabs.setCurrentWidget(refused.status_box)
        refused.status_box.quota.reserve()
        app.processEvents()
        save(refused, out / f"editor-status-refused-{lang}.png")
        refused.close()
        window.resize(910 - 2, 485 - TITLE_BAR)  # 1366×768 at 150 %: about 910×485 logical pixels
        window.show_page("users")
        app.processEvents()
        save(window, out / f"page-users-150-{lang}.png")
        window.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
