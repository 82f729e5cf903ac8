"""Issue 15: a reference package appears in the Inbox history with its versions, and the
import says what it changed, per dataset and year."""

from __future__ import annotations

from migreg_desktop.refdata import settlements
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import refchanges

YEAR, REGION = "2026", "550000000"


def _by_dataset(changes):
    return {c["dataset"]: c for c in changes}


def test_reference_packages_in_the_inbox_with_what_they_changed(pair, tmp_path):
    district, oblast = pair
    oblast.ok("quota", "set", "--year", YEAR, "--region", REGION, "--kind", "resettler", "--limit", "40")
    ref1 = tmp_path / "ref1.migreg"
    oblast.ok("refdata", "export", "--out", str(ref1))
    dry = district.ok("import", str(ref1), "--dry-run")
    first = district.ok("import", str(ref1))
    assert first["status"] == "applied" and dry["refdata_changes"] == first["refdata_changes"]  # the preview says it
    quotas = _by_dataset(first["refdata_changes"])["quotas"]
    assert sum(quotas["years"][YEAR].values()) >= 1 and quotas["new"] == first["counts"]["versions"]["quotas"]

    # The oblast takes one settlement off the year's list and raises the quota.
    entries = oblast.ok("settlements", "list", "--year", YEAR)["entries"]
    engine = oblast.engine()
    try:
        with session_scope(engine, actor="oblast") as s:
            settlements.delete_entry(int(YEAR), entries[0]["kato"], session=s)
    finally:
        engine.dispose()
    oblast.ok("quota", "set", "--year", YEAR, "--region", REGION, "--kind", "resettler", "--limit", "50")
    ref2 = tmp_path / "ref2.migreg"
    oblast.ok("refdata", "export", "--out", str(ref2))
    second = _by_dataset(district.ok("import", str(ref2))["refdata_changes"])
    assert second["settlement_list"]["years"][YEAR] == {"added": 0, "removed": 1, "changed": 0}
    assert second["quotas"]["years"][YEAR] == {"added": 0, "removed": 0, "changed": 1}
    assert second["quotas"]["old"] == quotas["new"] != second["quotas"]["new"]

    inbox = [r for r in district.ok("inbox") if r["kind"] == "refdata"]
    assert [r["sequence"] for r in inbox] == [2, 1]  # newest first, like case packages
    assert inbox[0]["sender"] == "ALM-OBL" and inbox[0]["versions"]["quotas"] == second["quotas"]["new"]
    text_ru = refchanges.text(inbox[0]["changes"], "ru")
    text_kk = refchanges.text(inbox[0]["changes"], "kk")
    assert f"перечень населённых пунктов {YEAR}: удалена 1 запись" in text_ru
    assert f"квоты {YEAR}: изменена 1 запись" in text_ru
    assert f"{YEAR}: 1 жазба алынып тасталды" in text_kk
    assert "2025" not in text_ru  # the years the package left as they were are not named
    assert refchanges.text([{"dataset": "mci", "old": "2026.1", "new": "2027.1", "years": {}}], "kk") == (
        "АЕК: 2027.1 нұсқасы")
