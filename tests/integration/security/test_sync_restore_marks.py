"""Issue 12 §5 (sequence part): a restore never makes this office hand out a number twice.

Attack (or accident): back up → add case X → export → restore → add case Y → export. Before,
Y's package reused X's sequence (the oblast answered ``already_imported``: Y silently lost) and Y
reused X's case number."""

from __future__ import annotations

import json
import stat

from tests.unit.sync.kit import add_case


def test_restore_then_export_reaches_the_oblast_with_fresh_numbers(pair, tmp_path):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    p1 = tmp_path / "p1.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    assert oblast.ok("import", str(p1))["status"] == "applied"
    saved = tmp_path / "before.sqlite3"
    district.ok("backup", "--out", str(saved))

    x = add_case(district, tmp_path, 2)
    p2 = tmp_path / "p2.migreg"
    assert district.ok("export", "--to", "ALM-OBL", "--out", str(p2))["sequence"] == 2
    assert oblast.ok("import", str(p2))["status"] == "applied"

    district.ok("restore", str(saved))
    y = add_case(district, tmp_path, 3)
    assert y["number"] != x["number"]  # numbered after X, not again as X
    p3 = tmp_path / "p3.migreg"
    exp = district.ok("export", "--to", "ALM-OBL", "--out", str(p3))
    assert exp["sequence"] == 3
    res = oblast.ok("import", str(p3))
    assert res["status"] == "applied" and res["counts"]["cases"]["applied"] == 1, res
    numbers = {c["number"] for c in oblast.ok("case", "list", "--office", "ALM-KNV")}
    assert {x["number"], y["number"]} <= numbers and len(numbers) == 3

    # The channel is not blocked: the ack of all three comes back and the next package goes through.
    ack = tmp_path / "ack.migreg"
    oblast.ok("ack", "--to", "ALM-KNV", "--out", str(ack))
    assert district.ok("import", str(ack))["status"] == "applied"
    add_case(district, tmp_path, 4)
    p4 = tmp_path / "p4.migreg"
    assert district.ok("export", "--to", "ALM-OBL", "--out", str(p4))["sequence"] == 4
    assert oblast.ok("import", str(p4))["status"] == "applied"

    marks = district.dir / "high-water.json"
    assert stat.S_IMODE(marks.stat().st_mode) == 0o600
    doc = json.loads(marks.read_text())
    assert doc["sync_sequence"]["ALM-KNV>ALM-OBL"] == 4


def test_restore_of_the_oblast_keeps_reference_sequences_rising(pair, tmp_path):  # noqa: F811
    district, oblast = pair
    saved = tmp_path / "obl.sqlite3"
    oblast.ok("backup", "--out", str(saved))
    r1 = tmp_path / "ref1.migreg"
    assert oblast.ok("refdata", "export", "--out", str(r1))["sequence"] == 1
    assert district.ok("import", str(r1))["status"] == "applied"
    oblast.ok("restore", str(saved))
    r2 = tmp_path / "ref2.migreg"
    assert oblast.ok("refdata", "export", "--out", str(r2))["sequence"] == 2


def test_an_edit_after_a_restore_is_never_dropped_as_unchanged(pair, tmp_path):  # noqa: F811
    """The record's own version counter also went back with the restore: the same version with
    other content reaches the oblast's review queue instead of being answered "unchanged"."""
    district, oblast = pair
    a = add_case(district, tmp_path, 1)
    p1 = tmp_path / "p1.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p1))
    oblast.ok("import", str(p1))
    saved = tmp_path / "before.sqlite3"
    district.ok("backup", "--out", str(saved))
    district.ok("case", "status", a["number"], "--to", "submitted")  # lost with the restore …
    p2 = tmp_path / "p2.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p2))
    oblast.ok("import", str(p2))
    district.ok("restore", str(saved))
    district.ok("case", "status", a["number"], "--to", "withdrawn")  # … and a different edit after it
    p3 = tmp_path / "p3.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p3))
    res = oblast.ok("import", str(p3))
    assert res["status"] == "applied" and res["counts"]["cases"]["conflicts"] == 1, res
    queued = [c for c in oblast.ok("conflicts", "list") if c["record_type"] == "cases"]
    assert len(queued) == 1
    shown = oblast.ok("conflicts", "show", str(queued[0]["id"]))
    assert {"field": "status", "local": "submitted", "incoming": "withdrawn"} in shown["differences"]
    oblast.ok("conflicts", "accept", str(queued[0]["id"]))
    assert oblast.ok("case", "show", a["number"])["status"] == "withdrawn"
