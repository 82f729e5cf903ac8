"""README's status rules say what services/status.py enforces (audit of issue 3)."""

import re
from pathlib import Path

from migreg_desktop.cases.status import TRANSITIONS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_exactly_the_statuses_a_case_can_be_withdrawn_from():
    text = " ".join(README.read_text(encoding="utf-8").split())
    sentence = re.search(r"`withdrawn` from ([^;(]+)", text)
    assert sentence, "README: the sentence on `withdrawn` is gone"
    named = set(re.findall(r"`(\w+)`", sentence.group(1)))
    assert named == {s for s, targets in TRANSITIONS.items() if "withdrawn" in targets}
