"""A second witness of each office's audit head (issue 12 §7).

The audit chain (services/audit_chain) catches an edited or removed entry, but whoever can
write the database can also delete the newest entries and rewrite the recorded head. So every
outgoing data and ack package carries the sender's head (``audit_head``: sequence = entry id,
and hash), and the receiver keeps the last one it saw per office. A later package whose head
does not extend it — a lower sequence, or the same sequence with another hash — is reported as
``audit_rewound`` (import result, audit trail, Inbox page). It is a warning, never a refusal:
a restored backup rewinds the chain too, and the records are still wanted; a person must ask.

The package also carries ``audit_witness``: the hash the sender now holds for the entry whose
id it sent last time to this receiver, so entries deleted and then overtaken by new ones
(ids rising again) are caught as a different hash at the id the receiver already knows.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit
from migreg_desktop.accounts.audit_chain import HEAD_KEY
from migreg_desktop.i18n import N_, _


def raw(session: Session) -> Any:
    return session.connection().connection.driver_connection

SENT_KEY = "sync.audit_sent.{office}"  # our side: the head id sent last to that office
SEEN_KEY = "sync.audit_head.{office}"  # their side: "id hash" of the last head seen from that office
WARNINGS_KEY = "sync.audit_warnings"  # JSON list, newest last
MAX_WARNINGS = 50
CODE = "audit_rewound"
_HASH = re.compile(r"^[0-9a-f]{64}$")
MSG = N_("The audit trail of office {office} went back: package {sequence} shows entry {received}, an earlier "
         "package showed entry {seen}. Entries may have been deleted there, or a backup restored; ask that office.")


def _meta(con: Any, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row and row[0] else None


def _set(con: Any, key: str, value: str) -> None:
    con.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value))


def _mark(value: Any) -> tuple[int, str | None] | None:
    if not isinstance(value, dict) or type(value.get("sequence")) is not int:
        return None
    h = value.get("hash")
    return value["sequence"], h if isinstance(h, str) and _HASH.match(h) else None


def outgoing(receiver: str, *, session: Session) -> dict[str, Any]:
    """Manifest keys for a package to ``receiver``: our head, and the witness of the last one sent."""
    con = raw(session)
    head = (_meta(con, HEAD_KEY) or "").split()
    if len(head) != 2 or not head[0].isdigit():
        return {}
    doc: dict[str, Any] = {"audit_head": {"sequence": int(head[0]), "hash": head[1]}}
    sent = _meta(con, SENT_KEY.format(office=receiver))
    if sent and sent.isdigit():
        row = con.execute("SELECT hash FROM audit_entry WHERE id = ?", (int(sent),)).fetchone()
        doc["audit_witness"] = {"sequence": int(sent), "hash": row[0] if row else None}
    _set(con, SENT_KEY.format(office=receiver), head[0])
    return doc


def check(manifest: dict[str, Any], header: dict[str, Any], *, session: Session) -> list[dict[str, Any]]:
    """Compare the sender's head with the last one seen; keep the new one; warnings to report."""
    head = _mark(manifest.get("audit_head"))
    if head is None or head[1] is None:
        return []  # an older program: nothing to compare
    con, sender = raw(session), header["sender"]
    seen_text = (_meta(con, SEEN_KEY.format(office=sender)) or "").split()
    _set(con, SEEN_KEY.format(office=sender), f"{head[0]} {head[1]}")
    if len(seen_text) != 2 or not seen_text[0].isdigit():
        return []
    seen = (int(seen_text[0]), seen_text[1])
    witness = _mark(manifest.get("audit_witness"))
    rewound = head[0] < seen[0] or (head[0] == seen[0] and head[1] != seen[1]) or (
        witness is not None and witness[0] == seen[0] and witness[1] != seen[1])
    if not rewound:
        return []
    warning = {"code": CODE, "office": sender, "sequence": header["sequence"],
               "seen": {"sequence": seen[0], "hash": seen[1]}, "received": {"sequence": head[0], "hash": head[1]}}
    warnings = json.loads(_meta(con, WARNINGS_KEY) or "[]")
    _set(con, WARNINGS_KEY, json.dumps([*warnings, warning][-MAX_WARNINGS:]))
    audit.record(CODE, "office", sender, {"audit_head": [warning["seen"], warning["received"]],
                                          "package": [None, header["sequence"]]}, session=session)
    return [{**warning, "message": message(warning)}]


def message(warning: dict[str, Any]) -> str:
    return _(MSG).format(office=warning["office"], sequence=warning["sequence"],
                         seen=warning["seen"]["sequence"], received=warning["received"]["sequence"])


def warnings(*, session: Session) -> list[dict[str, Any]]:
    """Every audit_rewound reported here, newest first (the Inbox page)."""
    return list(reversed(json.loads(_meta(raw(session), WARNINGS_KEY) or "[]")))
