"""Issue 12 §7: the oblast is a second witness of each district's audit head.

Attack: at the district, delete the newest audit entries and rewrite the recorded head in
``meta`` so the chain verifies locally; then keep syncing. The oblast must report it."""

from __future__ import annotations

import sqlite3

from tests.unit.sync.kit import add_case


def _cut_audit_tail(db, keep: int) -> None:  # noqa: ANN001
    """Delete every audit entry after id ``keep`` and point the recorded head at it."""
    con = sqlite3.connect(db)
    with con:
        h = con.execute("SELECT hash FROM audit_entry WHERE id = ?", (keep,)).fetchone()[0]
        con.execute("DELETE FROM audit_entry WHERE id > ?", (keep,))
        con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{keep} {h}",))
    con.close()


def _head(db) -> int:  # noqa: ANN001
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0].split()[0])
    finally:
        con.close()


def _send(district, oblast, tmp_path, name):  # noqa: ANN001
    p = tmp_path / f"{name}.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p))
    return oblast.ok("import", str(p))


def test_deleted_audit_tail_is_reported_at_the_oblast(pair, tmp_path):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    first = _send(district, oblast, tmp_path, "p1")
    assert first.get("warnings", []) == [] and not first.get("audit_rewound")
    keep = _head(district.db)
    add_case(district, tmp_path, 2)
    assert not _send(district, oblast, tmp_path, "p2").get("audit_rewound")

    _cut_audit_tail(district.db, keep)  # the second case's entries and the export's are gone
    assert district.ok("audit", "verify")["ok"]  # locally the chain looks whole
    add_case(district, tmp_path, 3)
    p3 = tmp_path / "p3.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p3))
    human = oblast.run("import", str(p3), "--dry-run", lang="kk")  # told in the clerk's language too
    assert "ALM-KNV кеңсесінің аудит журналы кері кетті" in human.out, human.out
    doc = oblast.ok("import", str(p3))
    assert doc["status"] == "applied" and doc["counts"]["cases"]["applied"] == 1  # a warning, not a refusal
    assert doc["audit_rewound"] is True, doc
    (warning,) = doc["warnings"]
    assert warning["code"] == "audit_rewound" and warning["office"] == "ALM-KNV" and warning["sequence"] == 3
    assert "ALM-KNV" in warning["message"]
    rows = {r["sequence"]: r for r in oblast.ok("inbox")}
    assert rows[3]["warnings"] == ["audit_rewound"] and rows[2]["warnings"] == []
    con = sqlite3.connect(oblast.db)
    try:  # the oblast's own audit trail keeps it too
        assert con.execute("SELECT entity_id FROM audit_entry WHERE action = 'audit_rewound'").fetchall() == [
            ("ALM-KNV",)]
    finally:
        con.close()
    # The next honest package extends the new head: no new warning.
    add_case(district, tmp_path, 4)
    assert _send(district, oblast, tmp_path, "p4")["warnings"] == []


def test_deleted_entries_overtaken_by_new_ones_are_reported(pair, tmp_path):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    sent = _head(district.db)  # the head the first package carries
    _send(district, oblast, tmp_path, "p1")
    _cut_audit_tail(district.db, sent - 1)
    # New entries overtake the deleted ones: the ids rise past the witnessed one, the hashes differ.
    n = 2
    while _head(district.db) <= sent:
        add_case(district, tmp_path, n)
        n += 1
    doc = _send(district, oblast, tmp_path, "p2")
    assert doc["audit_rewound"] is True, doc
    assert doc["warnings"][0]["received"]["sequence"] > doc["warnings"][0]["seen"]["sequence"]
