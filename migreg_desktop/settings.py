"""One settings registry: each setting declared once (type, default, description, bounds, and
the permissions-table action that changing it needs); stored per data dir in ``settings.json``.
The preferences dialog is generated from ``REGISTRY``; who may change a setting is decided by
the permissions table (``accounts/preferences.py``), never by the dialog (issue 15)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migreg_desktop import paths
from migreg_desktop.i18n import N_


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str  # msgid
    description: str  # msgid
    choices: tuple[str, ...] | None = None
    hidden: bool = False  # kept by the window itself (sizes, column layouts), not in Preferences
    # The permissions-table action that changing it needs (None: anyone working here, e.g. the
    # font size); an office-wide safety setting (lock, backups) is the admin's (issue 15).
    action: str | None = None
    minimum: int | None = None  # bounds of an int setting, checked on every change
    maximum: int | None = None
    choice_labels: dict[str, str] | None = None  # choice → msgid shown in Preferences

    def check(self, value: Any) -> Any:
        """The value converted to the setting's type, or ValueError naming the rule."""
        value = self.type(value)
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} not in {self.choices}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.key}: {value!r} < {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.key}: {value!r} > {self.maximum}")
        return value


REGISTRY: dict[str, Setting] = {}


def declare(key: str, type_: type, default: Any, label: str, description: str,
            choices: tuple[str, ...] | None = None, hidden: bool = False, *, action: str | None = None,
            minimum: int | None = None, maximum: int | None = None,
            choice_labels: dict[str, str] | None = None) -> Setting:
    setting = Setting(key, type_, default, label, description, choices, hidden, action, minimum, maximum,
                      choice_labels)
    REGISTRY[key] = setting
    return setting


declare("language", str, "ru", N_("Language"), N_("Language of the window and of printed forms"),
        ("kk", "ru", "en"))
declare("clerk_name", str, "", N_("Clerk's name"), N_("Your name, recorded with every change you make"))
declare("page_size", int, 200, N_("Rows fetched at a time"), N_("How many cases the list reads at once"),
        minimum=20, maximum=5000)
# How the window looks (issue 15): applied live to the whole window by ui/theme.py.
FONT_SIZE = declare("font_size", int, 10, N_("Font size"), N_("Size of the window's text, in points"),
                    minimum=8, maximum=20)
THEMES = ("system", "light", "dark", "high_contrast")
THEME = declare("theme", str, "system", N_("Colours"), N_("Light or dark colours, or as the system has them"),
                THEMES, choice_labels={"system": N_("As the system"), "light": N_("Light"), "dark": N_("Dark"),
                                       "high_contrast": N_("High contrast")})
declare("window_sizes", dict, {}, N_("Window sizes"), N_("The size each dialog had when last closed"), hidden=True)
declare("case_columns", dict, {}, N_("Case list columns"),
        N_("Order, widths and hidden columns of the case list"), hidden=True)
declare("saved_filters", dict, {}, N_("Saved filters"), N_("Filters of the case list saved under a name"),
        hidden=True)


class Settings:
    """Values of the registry's settings for one data dir."""

    def __init__(self, path: os.PathLike[str] | None = None) -> None:
        self.path = paths.settings_path() if path is None else Path(path)
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                self._values = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._values = {}  # a damaged settings file falls back to defaults

    def get(self, key: str) -> Any:
        setting = REGISTRY[key]
        value = self._values.get(key, setting.default)
        try:
            return setting.check(value)
        except (TypeError, ValueError):
            return setting.default  # an edited or damaged settings.json: the default, never a crash

    def set(self, key: str, value: Any) -> None:
        self._values[key] = REGISTRY[key].check(value)
        self.save()

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
