"""One settings registry: each setting declared once (type, default, description); stored per
data dir in ``settings.json``. The preferences dialog is generated from ``REGISTRY``."""

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


REGISTRY: dict[str, Setting] = {}


def declare(key: str, type_: type, default: Any, label: str, description: str,
            choices: tuple[str, ...] | None = None, hidden: bool = False) -> Setting:
    setting = Setting(key, type_, default, label, description, choices, hidden)
    REGISTRY[key] = setting
    return setting


declare("language", str, "ru", N_("Language"), N_("Language of the window and of printed forms"),
        ("kk", "ru", "en"))
declare("clerk_name", str, "", N_("Clerk's name"), N_("Your name, recorded with every change you make"))
declare("page_size", int, 200, N_("Rows fetched at a time"), N_("How many cases the list reads at once"))
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
            return setting.type(value)
        except (TypeError, ValueError):
            return setting.default

    def set(self, key: str, value: Any) -> None:
        setting = REGISTRY[key]
        if setting.choices and value not in setting.choices:
            raise ValueError(f"{key}: {value!r} not in {setting.choices}")
        self._values[key] = setting.type(value)
        self.save()

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
