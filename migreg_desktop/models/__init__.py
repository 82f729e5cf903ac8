"""Tables. Every module in this package is imported so ``SQLModel.metadata`` is complete.

Feature issues add their own modules here (e.g. ``quotas.py``); nothing to register by hand.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlmodel import SQLModel

from migreg_desktop.models.base import utcnow
from migreg_desktop.models.case import Case, CaseCounter, Document, FamilyMember, StatusChange
from migreg_desktop.models.meta import AuditEntry, Meta, RefdataVersion
from migreg_desktop.models.person import Person
from migreg_desktop.models.territory import Office, Territory

for _mod in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_mod.name}")

metadata = SQLModel.metadata

__all__ = [
    "AuditEntry", "Case", "CaseCounter", "Document", "FamilyMember", "Meta", "Office", "Person",
    "RefdataVersion", "StatusChange", "Territory", "metadata", "utcnow",
]
