"""The one place that wires the window: paths, settings, language, database, hub, pages.

Start-up order is chosen for a fast first paint (benchmarks/bench_window.py): only PySide6 and
the light modules are imported before the window shows; the database (SQLModel, Alembic) is
opened in the first turn of the event loop, then the pages are added.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from migreg_desktop import parallel, paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.main_window import MainWindow

BENCH_ENV = "MIGREG_BENCH_STARTUP"
FIRST_PAGES = ("cases",)  # modules of ui/pages/ imported before the window is usable  # prints "first_paint <t>" / "ready <t>" and quits
log = logging.getLogger("migreg_desktop")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="migreg-desktop", description="Migration cases: the window")
    parser.add_argument("--data-dir", help="folder of the database and settings (default: user data dir)")
    parser.add_argument("--lang", choices=("kk", "ru", "en"), help="language of the window")
    return parser.parse_args(argv)


def setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    try:
        handler = RotatingFileHandler(paths.log_dir() / "migreg.log", maxBytes=1_000_000, backupCount=3,
                                      encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def setup_application(app: QApplication) -> None:
    """Ship our own fonts so Kazakh letters look the same on every machine (Noto Sans)."""
    from PySide6.QtGui import QFont, QFontDatabase

    app.setApplicationName("migreg-desktop")
    app.setOrganizationName("migreg")
    families: list[str] = []
    for style in ("Regular", "Bold"):
        font_id = QFontDatabase.addApplicationFont(str(paths.resource("fonts", f"NotoSans-{style}.ttf")))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    if families:
        font = QFont(families[0])
        font.setPointSize(10)
        app.setFont(font)


def open_database(office_code: str | None, stage: Callable[[str], None] | None = None) -> Any:
    """Create the database for ``office_code`` on first start, else open (and migrate) it;
    ``stage`` is told (a msgid) what takes long on the way."""
    from migreg_desktop.refdata import setup

    if office_code:
        engine, _loaded = setup.init_database(office_code)
        return engine
    return setup.open_existing(stage=stage)


def build_context(engine: Any, settings: Settings, hub: Any = None, ops: Any = None) -> AppContext:
    from migreg_desktop.accounts.office import current_office_code, role
    from migreg_desktop.storage.db import session_scope
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.hub import QtHub

    with session_scope(engine) as s:
        code, office_role = current_office_code(session=s), role(session=s)
    from migreg_desktop.eligibility.watch import unit_of_work

    extra = {"ops": ops} if ops is not None else {}
    hub = hub or QtHub()
    ctx = AppContext(engine=engine, settings=settings, hub=hub, office_code=code or "", role=office_role,
                     **extra)
    # The one unit of work of the window: every write commits, is re-checked, then repaints.
    ctx.work = unit_of_work(engine, lambda: ctx.actor, notify=hub.apply)
    return ctx


Authenticate = Callable[[Any, "Settings", Any], Any]  # ui.login.require_login's shape


def attach_pages(window: MainWindow, engine: Any, settings: Settings,
                 authenticate: Authenticate | None = None, defer_pages: bool = False) -> AppContext | None:
    """Context, registered pages, the first page shown (GUI thread).

    With ``authenticate`` (the program; tests pass none) nobody sees data before signing in:
    the login, or the first admin's account in set-up mode (issue 7).
    """
    from PySide6.QtCore import QTimer

    outcome = None
    if authenticate is not None:  # first: ``engine`` may still be opening (a function that waits)
        outcome = authenticate(engine, settings, window)
        if outcome is None:  # the caller quits (boot_async): nobody signed in
            return None
    if callable(engine):
        engine = engine()
    ctx = build_context(engine, settings, ops=window.ops)  # one runner for the window
    if authenticate is not None and outcome is not None:
        ctx.user = outcome.name
        ctx.hub.signInAgain.connect(lambda: sign_in_again(window, ctx, settings, authenticate))
    from migreg_desktop.ui import registry

    if defer_pages:
        # The clerk waits for the case list, not for the Audit or Backups page: only the first
        # page's module now; the others (and their imports) right after the list is painted
        # (issue 15: cold start <= 5x a bare window).
        registry.discover(FIRST_PAGES)
        window.attach(ctx)
        QTimer.singleShot(0, window.complete_pages)
    else:
        registry.discover()
        window.attach(ctx)
    if authenticate is not None:
        start_guards(window, ctx)
    return ctx


def sign_in_again(window: MainWindow, ctx: AppContext, settings: Settings, authenticate: Authenticate) -> bool:
    """After a restore the database has its own accounts: the window hides its data until
    someone of that database signs in; nobody → the program quits (issue 7 §1, §3)."""
    from PySide6.QtWidgets import QApplication

    window.hide()
    outcome = authenticate(ctx.engine, settings, None)
    if outcome is None:
        QApplication.quit()
        return False
    ctx.user = outcome.name
    window.refresh_pages()  # another account: the pages it may use (issue 15)
    ctx.hub.casesReset.emit()
    window.show()
    return True


def start_guards(window: MainWindow, ctx: AppContext) -> None:
    """What runs beside a signed-in clerk: integrity and audit-chain check in the background
    (warns the admin), the idle lock, the end-of-day backup on quit."""
    from PySide6.QtWidgets import QApplication

    from migreg_desktop.i18n import N_
    from migreg_desktop.storage import backup
    from migreg_desktop.ui.idle_lock import IdleLock
    from migreg_desktop.ui.pages.recheck import AutoRecheck
    from migreg_desktop.ui.startup_checks import StartupChecks

    window.startup_checks = StartupChecks(ctx, window)
    window.startup_checks.start()
    window.auto_recheck = AutoRecheck(ctx, window)
    window.auto_recheck.finished.connect(lambda n: window.show_message(
        N_("{n} open cases re-checked against the new reference data, {changed} of them changed"), 15000,
        n=n, changed=window.auto_recheck.changed) if n else None)
    window.idle_lock = IdleLock(window, ctx)
    window.idle_lock.quitRequested.connect(QApplication.quit)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lambda: _quiet(lambda: backup.end_of_day_backup(force=True)))


def _quiet(job: Callable[[], Any]) -> None:
    try:
        job()
    except Exception:  # a failed backup on quit is logged, never blocks quitting
        log.exception("end-of-day backup failed")


def boot(window: MainWindow, settings: Settings, office_code: str | None) -> AppContext | None:
    """Second step of start-up, synchronously (tests, scripts): database, context, pages."""
    from migreg_desktop.errors import MigregError

    try:
        engine = open_database(office_code)
    except MigregError as exc:
        from migreg_desktop.ui.startup_checks import refuse_to_open

        refuse_to_open(exc)
        return None
    return attach_pages(window, engine, settings)


def boot_async(window: MainWindow, settings: Settings, office_code: str | None,
               done: Callable[[AppContext], None] | None = None,
               authenticate: Authenticate | None = None) -> None:
    """The program's start-up: the database opens on the window's operation runner (the first
    window stays responsive: "Opening the database…"), the pages come after."""
    from PySide6.QtWidgets import QApplication

    if office_code is None and boot_first_screen(window, settings, done, authenticate):
        return

    def opened(engine: Any) -> None:
        ctx = attach_pages(window, engine, settings, authenticate, defer_pages=True)
        if ctx is None:
            QApplication.exit(0)
        elif done is not None:
            done(ctx)

    EngineOpening(window, opened, office_code).start()  # a first start creates the database


class EngineOpening:
    """The engine opening on the window's runner while the first screen is up (issue 15): ``wait``
    blocks until it is there (the first click that needs it, or the sign-in); ``opened`` runs on
    the GUI thread when it is; a database refused on the way ends the program as boot_async does."""

    def __init__(self, window: MainWindow, opened: Callable[[Any], None] | None = None,
                 office_code: str | None = None) -> None:
        self.window, self.opened, self.office_code = window, opened, office_code
        self.engine: Any = None
        self.task: Any = None

    def start(self) -> None:
        if self.task is None:
            self.task = self.window.booting = self.window.ops.run(
                self._open, done=self._done, failed=self._failed, name="open the database")

    def wait(self) -> Any:
        self.start()
        self.task.wait(120)
        if self.engine is None:
            raise self.task.error or RuntimeError("the database did not open")
        return self.engine

    def _open(self, _progress: Any, _cancelled: Any) -> Any:
        # SQLAlchemy is imported here, off the GUI thread; a long step is shown on the window's
        # loading line (the signal reaches it on the GUI thread)
        self.engine = open_database(self.office_code, stage=self.window.openingStage.emit)
        return self.engine

    def _done(self, engine: Any) -> None:
        if self.opened is not None:
            self.opened(engine)

    def _failed(self, _message: str) -> None:
        from PySide6.QtWidgets import QApplication

        from migreg_desktop.errors import MigregError

        error = self.task.error
        if isinstance(error, MigregError):
            from migreg_desktop.ui.startup_checks import refuse_to_open

            refuse_to_open(error)  # a database we must not touch: the message says why
        QApplication.exit(2 if isinstance(error, MigregError) else 3)  # 3: a bug, the runner has reported it


def boot_first_screen(window: MainWindow, settings: Settings, done: Callable[[AppContext], None] | None = None,
                      authenticate: Authenticate | None = None) -> bool:
    """The first screen at once, the database stack (SQLAlchemy, SQLModel, the models: ~0.5 s)
    loading on a worker (issue 15: a cold start to a filled list within 0.5 s):

    - with ``authenticate`` (the program): the sign-in dialog shows now; the engine opens while the
      clerk types, and the pages come once someone has signed in;
    - without (a start with no sign-in step: benchmarks/bench_window.py, tests): the case list is
      filled from a read-only connection (storage/reader.py), then the engine opens and the other
      pages follow.

    False when the database needs the full way first (new, older schema, newer shipped data)."""
    from migreg_desktop.refdata.shipped import read_as_is

    with read_as_is() as db:
        if db is None:
            return False
    if authenticate is not None:
        opening = EngineOpening(window)
        opening.start()
        ctx = attach_pages(window, opening.wait, settings, authenticate, defer_pages=True)
        if ctx is None:
            from PySide6.QtWidgets import QApplication

            if opening.task.error is None:  # nobody signed in (a refused file has exited 2 already)
                QApplication.exit(0)
        elif done is not None:
            done(ctx)
        return True
    _list_first(window, settings, done)
    return True


def _list_first(window: MainWindow, settings: Settings, done: Callable[[AppContext], None] | None) -> None:
    from PySide6.QtCore import QTimer

    from migreg_desktop.accounts import at_start
    from migreg_desktop.storage.reader import reading
    from migreg_desktop.ui import registry
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.hub import QtHub

    with reading() as db:
        office = at_start.office(db)
    ctx = AppContext(engine=None, settings=settings, hub=QtHub(), office_code=office.code, role=office.role,
                     ops=window.ops)

    def opened(engine: Any) -> None:
        if not ctx.opened:
            ctx.set_engine(engine)
        window.complete_pages()  # the other pages' modules, now that the models are loaded
        ctx.hub.databaseOpened.emit()

    opening = EngineOpening(window, opened)
    ctx.await_engine = opening.wait
    registry.discover(FIRST_PAGES)
    window.attach(ctx)
    if done is not None:
        done(ctx)
    # After the list is painted: the worker's imports would take the GIL from the first screen.
    QTimer.singleShot(0, opening.start)


def main(argv: list[str] | None = None) -> int:
    parallel.child_entry()  # a frozen build's worker process stops here (migreg_desktop.parallel)
    args = parse_args(argv)
    paths.set_data_dir(args.data_dir)
    from migreg_desktop import i18n
    from migreg_desktop.settings import Settings

    settings = Settings()
    lang = args.lang or settings.get("language")
    if lang not in i18n.LANGUAGES:  # first start: the system's language until the clerk chooses
        from migreg_desktop.ui.first_start import system_language

        lang = system_language()
    i18n.set_language(lang)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from migreg_desktop.ui.qt_refcount import guard

    guard()  # PySide6 6.12.0 on Python 3.11 leaks references to None: a long day would abort
    # instance() is typed QCoreApplication; in this process it is the window's QApplication.
    app = cast(QApplication, QApplication.instance() or QApplication([sys.argv[0]]))
    setup_application(app)
    from migreg_desktop.ui import theme

    theme.apply_settings(app, settings)  # font size and colours (Preferences)
    from migreg_desktop.ui.qt_language import QtLanguage

    app.qt_language = QtLanguage(app)  # type: ignore[attr-defined]  # kept alive with the app
    setup_logging()
    from migreg_desktop.storage import privacy

    privacy.tighten_data_dir()  # personal data: owner-only folder
    privacy.install_log_redaction(log)  # no IIN or phone number in the logs
    from migreg_desktop.ui import crash

    crash.install()
    office_code = None
    if not paths.db_path().exists():
        from migreg_desktop.ui.first_start import ask_first_start

        office_code = ask_first_start(settings)
        if office_code is None:
            return 1
    from migreg_desktop.ui.main_window import MainWindow

    window = MainWindow(settings)
    if os.environ.get(BENCH_ENV):
        _bench_hooks(window, settings, office_code)
    else:
        from migreg_desktop.ui.login import require_login

        QTimer.singleShot(0, lambda: boot_async(window, settings, office_code, authenticate=require_login))
    window.show()
    return int(app.exec())


def _bench_hooks(window: MainWindow, settings: Settings, office_code: str | None) -> None:
    """For benchmarks/bench_window.py: report the first paint and the ready first screen, then quit.
    MIGREG_BENCH_STARTUP=1: the case list filled (a start with no sign-in step); =signin: the
    program's own first screen, the sign-in dialog, painted."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    signin = os.environ.get(BENCH_ENV) == "signin"

    def painted() -> None:
        print(f"first_paint {time.time():.6f}", flush=True)
        QTimer.singleShot(0, lambda: boot_async(window, settings, office_code, ready,
                                                authenticate=sign_in_shown if signin else None))

    def ready(_ctx: AppContext) -> None:
        """The case list paints its first rows now (synchronously): the window is usable. The
        other pages' modules come in the next turn of the event loop, not measured here."""
        page: Any = window.pages.get("cases")
        (page.view.viewport() if page is not None else window).repaint()
        print(f"ready {time.time():.6f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)

    def sign_in_shown(source: Any, settings_: Settings, parent: Any) -> None:
        from migreg_desktop.ui.login import login_dialog_for

        dialog = login_dialog_for(source, settings_, parent)
        dialog.show()
        dialog.repaint()
        print(f"ready {time.time():.6f}", flush=True)  # None: nobody signed in, the program quits

    window.firstPainted.connect(painted)


if __name__ == "__main__":
    sys.exit(main())
