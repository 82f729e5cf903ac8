"""Which quota a case counts against: one rule for the ledger and the decision (Rules §2.4, §2.6)."""

from migreg_desktop.rules.quota import quota_key


def test_kandas_and_resettler_count_against_the_destination_region():
    assert quota_key("resettler", 2026, "551000000", "550000000", lambda k: True) == (2026, "550000000", "resettler")
    assert quota_key("kandas", 2026, "551000000", None, lambda k: True) is None  # region unknown


def test_intra_oblast_uses_the_destination_figure_when_the_oblast_set_one():
    own = {(2026, "191000000", "intra_oblast")}
    assert quota_key("intra_oblast", 2026, "191000000", "190000000", own.__contains__) == (2026, "191000000", "intra_oblast")
    assert quota_key("intra_oblast", 2026, "192000000", "190000000", own.__contains__) == (2026, "190000000", "intra_oblast")


def test_no_destination_no_quota():
    assert quota_key("kandas", 2026, None, "550000000", lambda k: True) is None
