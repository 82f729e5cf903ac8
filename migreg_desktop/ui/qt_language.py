"""Qt's own texts in the clerk's language: standard buttons (OK, Cancel, Yes, No, Save), file
dialogs, the text fields' context menu, calendar month and day names (issue 15, "Language").

Qt ships ``qtbase_kk.qm`` and ``qtbase_ru.qm``; the default ``QLocale`` gives month and day names
and number formats to every widget created afterwards. Follows ``i18n.on_language_changed``.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from migreg_desktop import i18n

QT_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_US"}


class QtLanguage:
    """Keeps one ``qtbase`` translator installed for the current language."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.translator: QTranslator | None = None
        self.apply(i18n.current_language())
        i18n.on_language_changed(self.apply)

    def apply(self, lang: str) -> None:
        if self.translator is not None:
            self.app.removeTranslator(self.translator)
            self.translator = None
        QLocale.setDefault(QLocale(QT_LOCALES.get(lang, "en_US")))
        if lang == "en":
            return
        translator = QTranslator(self.app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{lang}", folder):
            self.app.installTranslator(translator)
            self.translator = translator

    def close(self) -> None:
        i18n.off_language_changed(self.apply)
        self.apply("en")
