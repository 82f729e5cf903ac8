"""Extension points of the window, so each feature adds its UI without editing shared widgets.

- ``register_page``: a page in the main window's navigation (Cases, Quotas, Outbox, Audit …).
- ``register_panel``: a panel in the case editor (decision, support measures …).
- ``register_case_action``: an action on a case (toolbar of the editor and the list's menu).

Modules in ``ui/pages/`` and ``ui/panels/`` are imported by ``discover()``; each registers at
import time. Titles are msgids: the window translates them on every language switch.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from migreg_desktop.ui.context import AppContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # msgid
    order: int
    factory: Callable[[AppContext], QWidget]  # the widget should implement retranslate_ui()
    roles: tuple[str, ...] = ("district", "oblast")  # office roles that see the page
    shortcut: str | None = None
    # The permissions-table action the page is for: an account that may not do it does not see
    # the page at all, instead of an empty shell (issue 15); None: every account.
    action: str | None = None


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str  # msgid
    order: int
    # factory(ctx) -> widget with load_case(case_id: str | None) and retranslate_ui()
    factory: Callable[[AppContext], QWidget]


@dataclass(frozen=True)
class CaseAction:
    key: str
    title: str  # msgid
    order: int
    run: Callable[[AppContext, str, QWidget], Any]  # (ctx, case_id, parent)
    shortcut: str | None = None


PAGES: dict[str, PageSpec] = {}
PANELS: dict[str, PanelSpec] = {}
CASE_ACTIONS: dict[str, CaseAction] = {}


def register_page(spec: PageSpec) -> PageSpec:
    PAGES[spec.key] = spec
    return spec


def register_panel(spec: PanelSpec) -> PanelSpec:
    PANELS[spec.key] = spec
    return spec


def register_case_action(spec: CaseAction) -> CaseAction:
    CASE_ACTIONS[spec.key] = spec
    return spec


def discover(pages: tuple[str, ...] | None = None) -> None:
    """Import the modules of ui/pages/ and ui/panels/ (each registers itself); ``pages``: only
    those page modules, the first screen's (app.py imports the rest once it is shown)."""
    if pages is not None:
        for name in pages:
            importlib.import_module(f"{__package__}.pages.{name}")
        return
    global _complete
    for package in ("pages", "panels"):
        pkg = importlib.import_module(f"{__package__}.{package}")
        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
    _complete = True


_complete = False  # every module discovered (a case opened before the deferred pages came has its panels)


def pages_for(role: str, may: Callable[[str], bool] | None = None) -> list[PageSpec]:
    """The pages of an office of ``role``; with ``may`` (``ctx.may``, the permissions table) only
    those whose action the working account may do."""
    return sorted((p for p in PAGES.values() if role in p.roles
                   and (may is None or p.action is None or may(p.action))), key=lambda p: p.order)


def panels() -> list[PanelSpec]:
    if not _complete:
        discover()
    return sorted(PANELS.values(), key=lambda p: p.order)


def case_actions() -> list[CaseAction]:
    if not _complete:
        discover()
    return sorted(CASE_ACTIONS.values(), key=lambda a: a.order)
