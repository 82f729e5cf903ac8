"""What a case update changed in its family and documents, for the audit entry (issue 7 §2).

Keys are field paths like the error keys (services/fields.py): ``family.2.surname`` for a field
of the 2nd family member, ``family.3`` for a member added ([None, name]) or removed ([name,
None]), ``documents.1.number``, ``documents.2``. Numbers count from 1 in the order the clerk
sees: the new order for members and documents that stay or come, the old one for those removed.
A member removed and another added at the same place read as one change: old name → new name.
"""

from __future__ import annotations

from typing import Any

from migreg_desktop.accounts.audit import _plain
from migreg_desktop.models import Document, Person


class CaseChanges(dict[str, list[Any]]):
    """``{path: [old, new]}``; :meth:`result` drops paths whose old and new ended up equal."""

    def put(self, path: str, old: Any = None, new: Any = None) -> None:
        slot = self.setdefault(path, [None, None])
        if old is not None:
            slot[0] = _plain(old)
        if new is not None:
            slot[1] = _plain(new)

    def fields(self, prefix: str, diff: dict[str, list[Any]]) -> None:
        for key, (old, new) in diff.items():
            self[f"{prefix}.{key}"] = [old, new]

    def member_added(self, n: int, person: Person) -> None:
        self.put(f"family.{n}", new=person.full_name)

    def member_removed(self, n: int, person: Person | None) -> None:
        self.put(f"family.{n}", old=person.full_name if person else "?")

    def member_kept(self, n: int, old_n: int, old_relation: str | None, relation: str | None,
                    person_changes: dict[str, list[Any]]) -> None:
        self.fields(f"family.{n}", person_changes)
        if old_relation != relation:
            self[f"family.{n}.relation"] = [old_relation, relation]
        if old_n != n:  # the order is part of the case (it travels in exchange packages)
            self[f"family.{n}.position"] = [old_n, n]

    def document_added(self, n: int, doc: dict[str, Any]) -> None:
        self.put(f"documents.{n}", new=document_text(doc["doc_type"], doc["number"]))

    def document_removed(self, n: int, row: Document) -> None:
        self.put(f"documents.{n}", old=document_text(row.doc_type, row.number))

    def result(self) -> dict[str, list[Any]]:
        return {k: v for k, v in sorted(self.items()) if v[0] != v[1]}


def document_text(doc_type: str | None, number: str | None) -> str:
    return " ".join(p for p in (doc_type, number) if p)
