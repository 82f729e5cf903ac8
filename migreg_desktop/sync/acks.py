"""Acknowledgements: the receiver tells the sender which packages it imported, with the records
accepted and the conflicts; the sender then marks those records delivered (and only then).

An ack is an ordinary package (kind ``ack``) on the same numbered channel, so it is signed,
encrypted, sequenced and imported with the ordinary `import`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.errors import RuleRefused
from migreg_desktop.i18n import N_
from migreg_desktop.storage import records, sync_keys
from migreg_desktop.sync import audit_witness, container, export, keys, package
from migreg_desktop.sync.export import Written, raw

PACKAGES = "ack/packages.jsonl"
ACCEPTED = "ack/accepted.jsonl"


def unacknowledged(sender: str, *, session: Session, again: bool = False) -> list[tuple[int, str, str]]:
    """Imported data packages not yet acknowledged (``again``: all of them, when an ack was lost)."""
    cond = "" if again else " AND ack_sequence IS NULL"
    return [(int(r[0]), r[1], r[2]) for r in raw(session).execute(
        f"SELECT sequence, counts, kind FROM sync_inbound WHERE sender = ?{cond} "
        "AND kind = 'data' ORDER BY sequence", (sender,))]


def make_ack(to: str, out: Path, *, session: Session, again: bool = False) -> Written:
    """Acknowledge every data package imported from ``to`` and not yet acknowledged."""
    permissions.require('sync.ack', session)
    to = to.upper()
    me, _role = _check(to, session=session)
    todo = unacknowledged(to, session=session, again=again)
    if not todo:
        raise RuleRefused("Nothing to acknowledge: every package imported from {office} was acknowledged "
                          "already.", office=to)
    my_keys = keys.load_keys(me)
    _verify, box = keys.partner_keys(to, session=session)
    seq, _acked = export.next_sequence(to, session=session)
    con = raw(session)
    written = Written(out.with_name(out.name + ".part"), out)
    with package.temp_file(".zip") as inner:
        writer = package.PackageWriter(inner)
        with writer.member(PACKAGES) as member:
            for n, counts, _kind in todo:
                conflicts = [list(r) for r in con.execute(
                    "SELECT record_type, record_id, version FROM sync_conflict WHERE sender = ? AND sequence = ?",
                    (to, n))]
                member.line({"sequence": n, "status": "applied", "counts": json.loads(counts),
                             "conflicts": conflicts, "rejected": []})
        with writer.member(ACCEPTED) as member:
            for n, _counts, _kind in todo:
                for rtype, rid, version, outcome in con.execute(
                        f"SELECT k.name, {sync_keys.text_sql('r')}, r.version, r.outcome FROM sync_record r "
                        "JOIN sync_kind k ON k.code = r.kind WHERE r.origin = ? AND r.sequence = ?", (to, n)):
                    member.line({"sequence": n, "type": rtype, "id": rid, "version": version, "outcome": outcome})
        manifest = writer.finish(package.base_manifest("ack", me, to, seq, acknowledges=[t[0] for t in todo],
                                                       **audit_witness.outgoing(to, session=session)))
        header = {k: manifest[k] for k in package.HEADER_KEYS}
        sha = container.write(written.part, header, inner, my_keys.signing, box)
    con.executemany("UPDATE sync_inbound SET ack_sequence = ? WHERE sender = ? AND sequence = ?",
                    [(seq, to, t[0]) for t in todo])
    con.execute("INSERT INTO sync_outbound (receiver, sequence, kind, created_at, file_name, sha256, counts) "
                "VALUES (?, ?, 'ack', ?, ?, ?, ?)", (to, seq, manifest["created_at"], out.name, sha,
                                                     json.dumps({"packages": len(todo)})))
    audit.record("ack", "sync_package", f"{to}#{seq}", {"acknowledges": [None, [t[0] for t in todo]]}, session=session)
    written.result = {"status": "exported", "to": to, "sequence": seq, "acknowledges": [t[0] for t in todo],
                      "file": str(out), "sha256": sha}
    return written


def _check(to: str, *, session: Session) -> tuple[str, str]:
    from migreg_desktop.accounts.office import current_office_code, role
    from migreg_desktop.errors import UserError
    from migreg_desktop.models import Office

    me = current_office_code(session=session) or ""
    if session.get(Office, to) is None:
        raise UserError("unknown office code {code}", field="office", code=to)
    return me, role(session=session)


def apply_ack(reader: package.PackageReader, header: dict[str, Any], *, con: Any) -> dict[str, Any]:
    """Sender side: records sent in an acknowledged package are delivered at the version sent."""
    receiver = header["sender"]
    packages, conflicts = [], 0
    for line in reader.lines(PACKAGES):
        n = line.get("sequence")
        if not isinstance(n, int) or not isinstance(line.get("conflicts", []), list):
            raise container.Rejected("bad_schema", N_("The acknowledgement is not valid."))
        con.execute("UPDATE sync_delivery SET acked_version = sent_version, outcome = 'applied', reason = NULL "
                    "WHERE receiver = ? AND sent_sequence = ? AND acked_version < sent_version", (receiver, n))
        for rec in line.get("conflicts", []):
            rt = records.get(rec[0]) if isinstance(rec, list) and len(rec) >= 2 else None
            if rt is not None and isinstance(rec[1], str):
                con.execute(f"UPDATE sync_delivery SET outcome = 'conflict' WHERE receiver = ? AND {sync_keys.MATCH}",
                            (receiver, *sync_keys.match(rt, rec[1])))
            conflicts += 1
        con.execute("UPDATE sync_outbound SET acknowledged_at = datetime('now') WHERE receiver = ? AND sequence = ?",
                    (receiver, n))
        # The receiver holds package n: it was sent, even if a restore made us forget it.
        con.execute("UPDATE sync_channel SET last_acked = MAX(last_acked, ?), last_sequence = MAX(last_sequence, ?) "
                    "WHERE receiver = ?", (n, n, receiver))
        packages.append(n)
    accepted = sum(1 for _line in reader.lines(ACCEPTED)) if reader.has(ACCEPTED) else 0
    return {"acknowledged_packages": packages, "accepted_records": accepted, "conflicts_at_receiver": conflicts}
