"""Issue 14: the decision panel asks eligibility.stale_reason whether the stored decision is
current — the same rule `support`, the sheets and `quota reserve` use — so a decision made under
other rules is checked again when the case opens, and a current one is shown as stored."""

from __future__ import annotations

from sqlalchemy import text

from migreg_desktop.eligibility import eligibility
from migreg_desktop.rules import RULES_VERSION
from migreg_desktop.ui.panels.decision import DecisionPanel


def _history(app_context, cid):  # noqa: ANN001, ANN202
    with app_context.session() as s:
        return eligibility.history(cid, session=s)


def _open(qtbot, app_context, cid):  # noqa: ANN001, ANN202
    panel = DecisionPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(cid)
    return panel


def test_current_decision_is_shown_as_stored(qtbot, app_context, add_case):
    cid = add_case("resettler")
    before = _history(app_context, cid)
    panel = _open(qtbot, app_context, cid)
    assert panel.row.id == before[-1].id and len(_history(app_context, cid)) == len(before)


def test_decision_under_other_rules_is_checked_again(qtbot, app_context, add_case):
    cid = add_case("resettler")
    with app_context.engine.begin() as con:  # a decision another program version made
        con.execute(text("UPDATE eligibility_decision SET rules_version = '2020.1'"))
    with app_context.session() as s:
        assert eligibility.stale_reason(eligibility.latest(cid, session=s), session=s) == "rules_changed"
    before = len(_history(app_context, cid))
    panel = _open(qtbot, app_context, cid)
    assert panel.row.rules_version == RULES_VERSION
    # the same answer under the new rules: confirmed, not stored again (issue 17)
    assert len(_history(app_context, cid)) == before
    with app_context.session() as s:
        assert eligibility.stale_reason(eligibility.latest(cid, session=s), session=s) is None
