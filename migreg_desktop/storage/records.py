"""The per-table record registry: which tables travel in packages, and how.

A feature that adds a table which must reach the oblast (decisions, quota ledger …) registers it
here from its own module — ``records.register(RecordType("decisions", "decision", ...))`` — and
the triggers, export, import, acks and conflict queue handle it without further changes.
Packages carry one JSON Lines member per type, ``records/<name>.jsonl``, in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import add, itemgetter
from typing import TYPE_CHECKING, Any

from migreg_desktop import ids, packed_text

if TYPE_CHECKING:  # the models are read when first asked: an import's worker process never asks
    from sqlalchemy import Table

OWNER_OF_CASE = "(SELECT COALESCE(owner_office, office_code) FROM cases WHERE id = {row}.case_id)"
ROUTE_OF_CASE = "(SELECT office_code FROM cases WHERE id = {row}.case_id)"
MY_OFFICE = "(SELECT value FROM meta WHERE key = 'office_code')"
# Bookkeeping columns: two copies that differ only here hold the same facts.
NOT_COMPARED = frozenset({"version", "base_version", "updated_at"})


@dataclass(frozen=True)
class RecordType:
    name: str  # member name and JSON key: "cases"
    table: str  # SQL table: "cases"
    order: int  # apply order (rows that others point at come first)
    owner_sql: str  # SQL giving the owning office; "{row}" is NEW or OLD in triggers
    route_sql: str  # SQL giving the office the record is about (where the oblast sends it)
    key: str = "id"
    case_column: str | None = "case_id"  # for the search index and the window
    label: str = ""  # msgid for the window
    searched: bool = False  # its rows feed the case search index (names, IINs, family)
    not_compared: frozenset[str] = field(default=NOT_COMPARED)
    # Local integer ids: never exported, never copied (the receiver numbers its own rows).
    omit: frozenset[str] = frozenset()
    # Columns pointing at local integer ids: column -> (SQL over row "t" giving a portable value
    # at export, SQL with one "?" turning it back into this office's id at import).
    portable: dict[str, tuple[str, str]] = field(default_factory=dict)
    append_only: bool = False  # import inserts missing records only; never updates or deletes
    # The type's number in the sync bookkeeping tables (storage/sync_keys.py): stable, unique,
    # never reused; 0700_lean_sync_log's tables store it, not the name.
    code: int = 0

    def columns(self) -> list[str]:
        return [c.name for c in self.sql_table().columns if c.name not in self.omit]

    def required(self) -> set[str]:
        """Columns an inserted row must carry (NOT NULL without a default)."""
        return {c.name for c in self.sql_table().columns
                if not c.nullable and c.default is None and c.server_default is None}

    # ---- ids in raw SQL (issue 17 §1): stored by ids.to_db, text in packages and in Python ----
    def id_columns(self) -> frozenset[str]:
        """Columns holding a UUID id or key in its stored form (the models' ``IdKey`` columns)."""
        return id_columns(self.table)

    def packed_columns(self) -> frozenset[str]:
        """Columns holding a text in ``packed_text``'s stored form (the models' ``PackedText``)."""
        return packed_columns(self.table)

    def read_sql(self, column: str, row: str = "") -> str:
        """SQL reading ``column`` (of alias ``row``) as the text a package carries."""
        return text_sql(self.table, column, f"{row}.{column}" if row else column)

    def bind_sql(self, column: str) -> str:
        """The placeholder binding a text value to ``column`` (``id_db(?)`` for an id column,
        ``packed_db(?)`` for a packed one)."""
        if column in self.id_columns():
            return "id_db(?)"
        return "packed_db(?)" if column in self.packed_columns() else "?"

    def stored_rows(self, keys: Sequence[str], datas: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The rows ``datas`` (dicts holding exactly ``keys``) as value tuples for a bulk insert
        (``stored_rows`` below, for this type's id columns but its portable ones)."""
        return stored_rows(self.id_columns() - self.portable.keys(), keys, datas, self.packed_columns())

    def key_marks(self, n: int) -> str:
        """``n`` placeholders for a list of this type's record ids (``IN (...)``)."""
        return ",".join([self.bind_sql(self.key)] * n)

    def sql_table(self) -> Table:
        from migreg_desktop.models import metadata

        return metadata.tables[self.table]


@cache
def id_columns(table: str) -> frozenset[str]:
    """The id columns of ``table`` (models.base.IdKey): their values are bound through
    ``id_db()`` and read through ``id_text()`` in raw SQL (migreg_desktop/ids.py)."""
    from migreg_desktop.models import metadata
    from migreg_desktop.models.base import IdKey

    found = metadata.tables.get(table)
    return frozenset() if found is None else frozenset(c.name for c in found.columns if isinstance(c.type, IdKey))


@cache
def packed_columns(table: str) -> frozenset[str]:
    """The columns of ``table`` stored packed (models.base.PackedText): bound through
    ``packed_db()`` and read through ``packed_text()`` in raw SQL (migreg_desktop/packed_text.py)."""
    from migreg_desktop.models import metadata
    from migreg_desktop.models.base import PackedText

    found = metadata.tables.get(table)
    return frozenset() if found is None else frozenset(c.name for c in found.columns if isinstance(c.type, PackedText))


def text_sql(table: str, column: str, expr: str) -> str:
    """SQL reading ``expr`` (``column`` of ``table``) as text: ``id_text(expr)`` for an id column,
    ``packed_text(expr)`` for a packed one."""
    if column in id_columns(table):
        return f"id_text({expr})"
    return f"packed_text({expr})" if column in packed_columns(table) else expr


def stored_rows(id_columns: frozenset[str], keys: Sequence[str], datas: list[dict[str, Any]],
                packed: frozenset[str] = frozenset()) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows ``datas`` (dicts holding exactly ``keys``) as value tuples for a bulk insert, and
    the columns of those tuples: the ``id_columns`` last, in their stored form (``ids.to_db``:
    bound with plain ``?``, no SQL function per value). Issue 17 §3: no Python per value — the
    values are taken by ``itemgetter`` and an id column is converted at once (``ids.to_db_all``).
    The ``packed`` columns come after them, packed (``packed_text.pack_all``).
    Plain values in and out: an import's worker process calls it too (sync/fresh.py)."""
    converted = ([(k, ids.to_db_all) for k in keys if k in id_columns]
                 + [(k, packed_text.pack_all) for k in keys if k in packed and k not in id_columns])
    names = {k for k, _convert in converted}
    plain = [k for k in keys if k not in names]
    rows: list[tuple[Any, ...]] = list(map(_getter(plain), datas))
    if converted:
        stored = [convert(list(map(itemgetter(k), datas))) for k, convert in converted]
        rows = list(map(add, rows, zip(*stored, strict=True)))
    return plain + [k for k, _convert in converted], rows


def id_text_sql(table: str, column: str) -> str:
    """``column`` of ``table`` as text under its own name (a whole table read as a package has it)."""
    return f"{text_sql(table, column, column)} AS {column}"


def _getter(keys: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """``lambda d: tuple(d[k] for k in keys)``, in C when there are several keys."""
    if len(keys) > 1:
        return itemgetter(*keys)
    return (lambda d: (d[keys[0]],)) if keys else (lambda d: ())


REGISTRY: dict[str, RecordType] = {}


def register(rt: RecordType) -> RecordType:
    taken = by_code(rt.code)
    if rt.code < 1 or (taken is not None and taken.name != rt.name):
        raise ValueError(f"record type {rt.name}: code {rt.code} is not free")
    REGISTRY[rt.name] = rt
    return rt


def ordered() -> list[RecordType]:
    return sorted(REGISTRY.values(), key=lambda r: (r.order, r.name))


def get(name: str) -> RecordType | None:
    return REGISTRY.get(name)


def by_code(code: int) -> RecordType | None:
    return next((rt for rt in REGISTRY.values() if rt.code == code), None)


# ---- the foundation's tables ------------------------------------------------------------------
# Persons first: cases, family members and documents point at them (foreign keys are deferred
# during an import anyway, so the order is only for readable packages).
register(RecordType("persons", "person", 10, code=1,
                    owner_sql=f"COALESCE({{row}}.owner_office, {MY_OFFICE})",
                    route_sql=f"COALESCE({{row}}.owner_office, {MY_OFFICE})",
                    case_column=None, label="Persons"))
register(RecordType("cases", "cases", 20, code=2,
                    owner_sql="COALESCE({row}.owner_office, {row}.office_code)",
                    route_sql="{row}.office_code", case_column="id", label="Cases", searched=True))
register(RecordType("family_members", "family_member", 30, OWNER_OF_CASE, ROUTE_OF_CASE, code=3,
                    label="Family members", searched=True))
register(RecordType("documents", "document", 40, OWNER_OF_CASE, ROUTE_OF_CASE, code=4,
                    label="Documents"))
register(RecordType("status_changes", "status_change", 50, OWNER_OF_CASE, ROUTE_OF_CASE, code=5,
                    label="Status history"))


# ---- the eligibility feature's tables (0201_sync_uuid_ledger gave them a UUID key) -------------
# The allotment a ledger entry counts against travels as "year|region|kind|office": allotment ids
# differ between offices, and the oblast holds every allotment it gave (`quota allot`).
_ALLOTMENT_KEY = ("q.year || '|' || q.region_kato || '|' || q.kind || '|' || a.office_code")
_ALLOTMENT = (f"(SELECT {_ALLOTMENT_KEY} FROM quota_allotment a JOIN regional_quota q ON q.id = a.quota_id "
              f"WHERE a.id = t.allotment_id)",
              f"(SELECT a.id FROM quota_allotment a JOIN regional_quota q ON q.id = a.quota_id "
              f"WHERE {_ALLOTMENT_KEY} = ?)")
register(RecordType("decisions", "eligibility_decision", 60, OWNER_OF_CASE, ROUTE_OF_CASE, code=6, key="uid",
                    label="Eligibility decisions", omit=frozenset({"id"})))
register(RecordType("quota_ledger", "quota_ledger", 70, OWNER_OF_CASE, ROUTE_OF_CASE, code=7, key="uid",
                    label="Quota ledger", omit=frozenset({"id"}), append_only=True,
                    portable={"allotment_id": _ALLOTMENT},
                    not_compared=NOT_COMPARED | {"allotment_id"}))
