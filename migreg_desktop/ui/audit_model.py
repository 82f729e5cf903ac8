"""Table model of the audit page: holds only entry ids (SQL filter, newest first); rows are
read in pages of PAGE when first shown."""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from migreg_desktop.accounts import audit_query
from migreg_desktop.i18n import N_, _, fmt_datetime
from migreg_desktop.ui.context import AppContext

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    AT = 0
    USER = 1
    ACTION = 2
    OBJECT = 3
    CHANGES = 4


HEADERS = {Col.AT: N_("When"), Col.USER: N_("Who"), Col.ACTION: N_("Action"),
           Col.OBJECT: N_("Object"), Col.CHANGES: N_("Changes")}
ENTITIES = {"case": N_("case"), "account": N_("account"), "command": N_("command"),
            "audit": N_("audit trail"), "database": N_("database"), "person": N_("person"),
            "register": N_("register"), "quota_allotment": N_("quota allotment"),
            "regional_quota": N_("regional quota"), "quota_ledger": N_("quota place of case"),
            "sync_package": N_("package"), "sync_partner": N_("partner office"), "office_keys": N_("office keys"),
            "refdata": N_("reference data"), "settlement_list": N_("settlement list"),
            "monitoring": N_("monitoring report"), "family_members": N_("family member"),
            "documents": N_("document"), "decisions": N_("eligibility decision"),
            "settings": N_("setting")}
ID_ROLE = Qt.ItemDataRole.UserRole + 1


REASONS = {"wrong": N_("wrong password"), "disabled": N_("account disabled"),
           "locked": N_("locked after wrong passwords")}
VIA = {"window": N_("the window")}
OUTPUTS = {"file": N_("a file"), "printer": N_("the printer"), "window": N_("the window")}
from migreg_desktop.vocabulary import COUNTING_LABELS as COUNTING  # noqa: E402

VERDICTS = {"eligible": N_("eligible"), "not_eligible": N_("not eligible"), "needs_check": N_("needs checking")}
# Keys of print and check entries (field keys are labelled by services/fields.py).
KEYS = {"form": N_("Form"), "lang": N_("Language"), "output": N_("Printed to"), "period": N_("Period"),
        "day": N_("Day"), "cases": N_("Cases"), "verdict": N_("Verdict"), "position": N_("Place in the list"),
        "rules_version": N_("Rules version"), "sender": N_("Sender")}


def value_text(key: str, value: Any) -> str:
    """A stored value as the clerk reads it: roles, statuses, kinds, reasons translated."""
    from migreg_desktop.accounts import accounts
    from migreg_desktop.forms import FORMS
    from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
    from migreg_desktop.vocabulary import STATUS_LABELS

    if value is None:
        return "—"
    forms = {name: spec.title for name, spec in FORMS.items()}
    tables: dict[str, dict[str, str]] = {"status": STATUS_LABELS, "kind": KIND_LABELS,
                                         "reason": REASONS, "role": accounts.ROLE_LABELS, "via": VIA,
                                         "output": OUTPUTS, "verdict": VERDICTS, "form": forms,
                                         "counting": COUNTING}
    table = tables.get(key.rpartition(".")[2], {})  # "family.2.relation" is a relation too
    return _(table[value]) if isinstance(value, str) and value in table else str(value)


def _label(key: str) -> str:
    """ "family.2.position" → "Family member 2 › Place in the list"; "output" → "Printed to"."""
    from migreg_desktop.fields import label
    from migreg_desktop.settings import REGISTRY

    if key in REGISTRY:  # an office setting changed in Preferences (issue 15)
        return _(REGISTRY[key].label)
    head, _dot, last = key.rpartition(".")
    if last in KEYS:
        return f"{label(head)} › {_(KEYS[last])}" if head else _(KEYS[last])
    return label(key)


def changes_text(raw: str) -> str:
    """{"status": ["draft", "submitted"]} → "status: draft → submitted"."""
    try:
        doc = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(doc, dict):
        return raw
    parts = []
    for key, value in doc.items():
        if key in ("refdata_changes", "versions") and isinstance(value, list) and len(value) == 2:
            parts.append(_refdata_text(key, value[1]))  # a reference package, in words (issue 15)
            continue
        if isinstance(value, list) and len(value) == 2:
            old, new = (value_text(key, v) for v in value)
            parts.append(f"{_label(key)}: {old} → {new}")
        else:
            parts.append(f"{_label(key)}: {value}")
    return "; ".join(parts)


def _refdata_text(key: str, value: Any) -> str:
    from migreg_desktop.i18n import current_language
    from migreg_desktop.sync import refchanges

    lang = current_language()
    if key == "refdata_changes":
        return f"{_('What changed')}: {refchanges.text(value or [], lang)}"
    versions = value if isinstance(value, dict) else {}
    return f"{_('Version')}: " + ", ".join(f"{refchanges.title(k, lang)} {v}" for k, v in sorted(versions.items()))


def _object_id(entity: str, entity_id: Any) -> str:
    """ "refdata#1" (a reference package's number) → "№ 1"; other ids as they are."""
    text = str(entity_id or "")
    if entity == "sync_package" and text.startswith("refdata#"):
        return _("reference data No. {n}").format(n=text.partition("#")[2])
    if entity == "sync_package" and "#" in text:
        office, _hash, n = text.partition("#")
        return _("{office} No. {n}").format(office=office, n=n)
    return text


class AuditTableModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = audit_query.AuditFilter()
        self.ids: list[int] = []
        self._rows: dict[int | None, tuple[Any, ...]] = {}  # stored entries: the id is never None

    def reload(self, flt: audit_query.AuditFilter | None = None) -> None:
        self.beginResetModel()
        if flt is not None:
            self.filter = flt
        with self.ctx.session() as s:
            self.ids = audit_query.entry_ids(self.filter, session=s)
        self._rows.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Col)

    def _row(self, row: int) -> tuple[Any, ...]:
        entry_id = self.ids[row]
        if entry_id not in self._rows:
            start = row - row % PAGE
            with self.ctx.session() as s:
                page = audit_query.entries(self.ids[start:start + PAGE], session=s)
                numbers = audit_query.case_numbers([e.entity_id for e in page if e.entity == "case"],
                                                   session=s)
                for e in page:
                    shown = numbers.get(e.entity_id, e.entity_id) if e.entity_id is not None else None
                    self._rows[e.id] = (e.at, e.user, e.action, e.entity, shown, e.changes)
        return self._rows[entry_id]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        if role == ID_ROLE:
            return self.ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        at, user, action, entity, entity_id, changes = self._row(index.row())
        col = Col(index.column())
        if col == Col.AT:
            return fmt_datetime(at.astimezone())
        if col == Col.USER:
            return user
        if col == Col.ACTION:
            return _(audit_query.ACTIONS[action]) if action in audit_query.ACTIONS else action
        if col == Col.OBJECT:
            label = _(ENTITIES[entity]) if entity in ENTITIES else entity
            return f"{label} {_object_id(entity, entity_id)}".strip()
        return changes_text(changes)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[Col(section)])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Col) - 1)
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(Col) - 1))
