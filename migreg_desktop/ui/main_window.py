"""The main window: navigation of the registered pages, menus, live language switch, status bar.

Built in two steps so the first paint comes before the database is opened (start-up speed):
``MainWindow(settings)`` paints a frame at once; ``attach(ctx)`` adds the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from migreg_desktop import __version__, i18n
from migreg_desktop.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _
from migreg_desktop.storage.reader import rows
from migreg_desktop.ui.operations import OperationRunner, Task

if TYPE_CHECKING:
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.idle_lock import IdleLock
    from migreg_desktop.ui.pages.recheck import AutoRecheck
    from migreg_desktop.ui.registry import PageSpec
    from migreg_desktop.ui.startup_checks import StartupChecks


NAV_MAX = 22  # characters: the navigation takes at most this width of a laptop's screen


def _ask(parent: QWidget, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


OPENING = N_("Opening the database…")  # the loading line until a longer step says more (openingStage)


class MainWindow(QMainWindow):
    firstPainted = Signal()
    # What opening the database is doing (a msgid), emitted from the runner's thread by
    # app.EngineOpening: Qt delivers it here on the GUI thread
    openingStage = Signal(str)
    # Set by app.py: opening the database, then the window's background services.
    booting: Task
    startup_checks: StartupChecks
    auto_recheck: AutoRecheck
    idle_lock: IdleLock

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ctx: AppContext | None = None
        self.specs: list[PageSpec] = []
        self.pages: dict[str, QWidget] = {}
        self._painted = False
        self.ask = _ask  # tests replace it
        self.ops = OperationRunner(self)  # the long jobs before the pages exist (opening the database)
        self.setObjectName("mainWindow")
        from migreg_desktop.ui import window_size

        window_size.fit(self, QSize(1280, 720))  # never taller than a 1366×768 laptop's free area
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setWordWrap(True)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.stack = QStackedWidget(self)
        self.loading = QLabel(self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self._opening = OPENING
        self.openingStage.connect(self._show_opening_stage)
        self.stack.addWidget(self.loading)
        self.splitter = splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([140, 1140])
        self.setCentralWidget(splitter)
        self.office_label, self.clerk_label = QLabel(self), QLabel(self)
        self.statusBar().addWidget(self.office_label)
        self.statusBar().addPermanentWidget(self.clerk_label)
        self._message: tuple[str, dict[str, Any], int] | None = None  # msgid, values, timeout
        self.statusBar().messageChanged.connect(self._message_changed)
        self._build_menus()
        self.nav.currentRowChanged.connect(self.show_page_at)
        self.retranslate_ui()

    # ---- menus ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.prefs_action = QAction(self, shortcut=QKeySequence("Ctrl+,"))
        self.prefs_action.triggered.connect(self.open_preferences)
        self.quit_action = QAction(self, shortcut=QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.prefs_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.case_menu = bar.addMenu("")
        self.new_case_action = QAction(self, shortcut=QKeySequence(QKeySequence.StandardKey.New))
        self.new_case_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.new_case_action.triggered.connect(self.new_case)
        self.case_menu.addAction(self.new_case_action)
        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for n, lang in enumerate(LANGUAGES, start=1):
            action = QAction(LANGUAGE_NAMES[lang], self, checkable=True)
            action.setShortcut(QKeySequence(f"Ctrl+Shift+{n}"))
            action.setData(lang)
            action.triggered.connect(lambda _c=False, code=lang: self.switch_language(code))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.about)
        self.help_menu.addAction(self.about_action)
        self.page_actions: list[QAction] = []

    # ---- pages ----------------------------------------------------------------------------
    def attach(self, ctx: AppContext) -> None:
        """Add the pages for this office's role; the first one is built now, the rest on demand."""
        self.ctx = ctx
        # Bound methods, not lambdas: Qt drops the connection when the window is deleted.
        ctx.hub.languageChanged.connect(self._language_changed)
        ctx.hub.settingsChanged.connect(self._setting_changed)
        self.refresh_pages(retranslate_pages=False)  # the first page is built in this language

    def refresh_pages(self, retranslate_pages: bool = True) -> None:
        """The navigation for the working account: a page whose action the permissions table
        refuses it (``ctx.may``) is not listed, instead of an empty shell (issue 15). Called again
        when someone else signs in (after a restore)."""
        from migreg_desktop.ui.registry import pages_for

        assert self.ctx is not None
        may = self.ctx.may_now()
        self.new_case_action.setEnabled(may("case.create"))
        current = self.specs[self.nav.currentRow()].key if 0 <= self.nav.currentRow() < len(self.specs) else None
        self.specs = pages_for(self.ctx.role, may)
        keys = {s.key for s in self.specs}
        for key in [k for k in self.pages if k not in keys]:  # no longer this account's
            widget = self.pages.pop(key)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        for action in self.page_actions:
            self.removeAction(action)
        self.page_actions = []
        self.nav.blockSignals(True)
        self.nav.clear()
        for spec in self.specs:
            self.nav.addItem(QListWidgetItem(_(spec.title)))
            if spec.shortcut:
                action = QAction(self, shortcut=QKeySequence(spec.shortcut))
                action.triggered.connect(lambda _c=False, key=spec.key: self.show_page(key))
                self.addAction(action)
                self.page_actions.append(action)
        self.nav.blockSignals(False)
        rows = [i for i, s in enumerate(self.specs) if s.key == current] or ([0] if self.specs else [])
        if rows:
            self.nav.setCurrentRow(rows[0])
            self.show_page_at(rows[0])
        self.retranslate_ui(pages=retranslate_pages)

    def complete_pages(self) -> None:
        """The pages registered after the first one was shown (app.py defers their imports)."""
        from migreg_desktop.ui import registry

        registry.discover()
        if self.ctx is not None:
            self.refresh_pages(retranslate_pages=False)  # new pages are built in the current language

    def page(self, key: str) -> QWidget:
        """The page widget, built the first time it is needed (keeps start-up fast)."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            assert self.ctx is not None
            widget = spec.factory(self.ctx)
            widget.setObjectName(f"page:{key}")
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # → show_page_at
        return self.pages[key]

    def show_page_at(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            widget = self.page(self.specs[row].key)
            self.stack.setCurrentWidget(widget)

    def new_case(self) -> None:
        if self.ctx is None or not any(s.key == "cases" for s in self.specs):
            return
        page: Any = self.show_page("cases")
        page.open_case(None)

    # ---- language -------------------------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        """Live switch (no restart): every page and panel re-reads its strings."""
        i18n.set_language(lang)
        self.settings.set("language", lang)
        if self.ctx is not None:
            self.ctx.hub.emit_language(lang)  # → retranslate_ui of this window
        else:
            self.retranslate_ui()

    def _show_opening_stage(self, msgid: str) -> None:
        self._opening = msgid
        self.loading.setText(_(msgid))

    def _language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def _setting_changed(self, _key: str) -> None:
        self._update_status()

    def retranslate_ui(self, pages: bool = True) -> None:
        self.setWindowTitle(_("Migration cases — career centre"))
        self.loading.setText(_(self._opening))
        self.file_menu.setTitle(_("&File"))
        self.prefs_action.setText(_("&Preferences…"))
        self.quit_action.setText(_("&Quit"))
        self.case_menu.setTitle(_("&Case"))
        self.new_case_action.setText(_("&New case"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About"))
        self.language_actions[i18n.current_language()].setChecked(True)
        for row, spec in enumerate(self.specs):
            item = self.nav.item(row)
            item.setText(_(spec.title))
            if spec.shortcut:
                item.setToolTip(spec.shortcut)
        self._fit_nav()
        for widget in self.pages.values() if pages else ():
            retranslate = getattr(widget, "retranslate_ui", None)
            if retranslate is not None:
                retranslate()
        self._update_status()
        self._render_message()

    def show_message(self, msgid: str, timeout_ms: int = 0, **values: Any) -> None:
        """A status-bar message kept as a msgid, so a language switch re-renders it (issue 15)."""
        self._message = (msgid, values, timeout_ms)
        self._render_message()

    def _render_message(self) -> None:
        if self._message is None:
            return
        msgid, values, timeout_ms = self._message
        shown = {k: i18n.fmt_number(v) if isinstance(v, int) and not isinstance(v, bool) else v
                 for k, v in values.items()}
        self.statusBar().showMessage(_(msgid).format(**shown), timeout_ms)

    def _message_changed(self, text: str) -> None:
        if not text:
            self._message = None  # timed out or cleared: nothing to re-render

    def _fit_nav(self) -> None:
        """The navigation as wide as its labels in this language, at most NAV_MAX: a longer one
        ("Перечень населённых пунктов") wraps onto a second line instead of being cut."""
        fm = self.nav.fontMetrics()
        texts = [self.nav.item(row).text() for row in range(self.nav.count())] or [""]
        width = max(fm.horizontalAdvance(t) for t in texts) + 2 * self.nav.frameWidth() + 28
        words = max(fm.horizontalAdvance(w) for t in texts for w in (t.split() or [""])) + 2 * self.nav.frameWidth() + 28
        self.nav.setFixedWidth(max(min(width, fm.horizontalAdvance("0") * NAV_MAX), words, 120))
        self.nav.doItemsLayout()

    def _update_status(self) -> None:
        if self.ctx is None:
            self.office_label.setText("")
            self.clerk_label.setText("")
            return
        self.office_label.setText(_("Office: {office}").format(office=self._office_name()))
        self.clerk_label.setText(_("Clerk: {name}").format(name=self._clerk_name()))

    def _clerk_name(self) -> str:
        """Full name and position, never the login (issue 14); the login where no account has them.
        Plain reads (accounts/at_start.py): the same answer before and after the engine opens."""
        from migreg_desktop.accounts import at_start

        assert self.ctx is not None
        with self.ctx.reading() as db:
            return at_start.display_name(self.ctx.actor, rows(db))

    def _office_name(self) -> str:
        from migreg_desktop.accounts import at_start

        assert self.ctx is not None
        with self.ctx.reading() as db:
            return at_start.office(rows(db)).label(i18n.current_language())

    # ---- dialogs --------------------------------------------------------------------------
    def open_preferences(self) -> QWidget:
        """Preferences: which settings this account may change is the permissions table's call
        (``ctx.may``); the core's ``preferences.change`` saves them (issue 15)."""
        from migreg_desktop.ui import preferences

        dialog = (preferences.for_context(self.ctx, self) if self.ctx is not None
                  else preferences.PreferencesDialog(self.settings, self))
        dialog.applied.connect(self._preferences_applied)
        dialog.open()
        return dialog

    def _preferences_applied(self, changed: list[str]) -> None:
        if "language" in changed:
            self.switch_language(self.settings.get("language"))
        if {"font_size", "theme"} & set(changed):
            from PySide6.QtWidgets import QApplication

            from migreg_desktop.ui import theme

            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply_settings(app, self.settings)  # every window, at once
        self._update_status()

    def about(self) -> None:
        QMessageBox.about(self, _("About"), _("Migration cases {version}\nfor the career centres of "
                                              "Almaty oblast").format(version=__version__))

    def changeEvent(self, event: Any) -> None:
        from PySide6.QtCore import QEvent, QTimer

        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and self.nav.count():
            # A larger font (Preferences) needs a wider navigation; measured once the list has its new font.
            if not hasattr(self, "_refit"):
                self._refit = QTimer(self, singleShot=True, interval=0)  # dies with the window
                self._refit.timeout.connect(self._fit_nav)
            self._refit.start()
        super().changeEvent(event)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()

    def closeEvent(self, event: Any) -> None:
        """Quitting with an edited, unsaved case asks first (the editors close with the window)."""
        dirty = [e for page in self.pages.values() for e in getattr(page, "editors", {}).values()
                 if e.is_dirty()]
        if dirty and not self.ask(self, _("Unsaved changes"), _("Close without saving the changes?")):
            event.ignore()
            return
        self.stop_jobs()
        super().closeEvent(event)

    def stop_jobs(self) -> bool:
        """Ask every running job to stop and wait a bounded time (each stops at its next step;
        what it had not committed is rolled back)."""
        runners = [self.ops] + ([self.ctx.ops] if self.ctx is not None and self.ctx.ops is not self.ops else [])
        return all([runner.shutdown() for runner in runners])
