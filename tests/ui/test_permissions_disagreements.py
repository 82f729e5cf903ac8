"""Issue 12 §1: the three disagreements between the window and the CLI, reproduced.

Before the permissions table the CLI asked `head` to accept conflicts and `admin` for quotas and
the settlement list, while the window let any account accept conflicts, gated quotas only by the
office's kind, and let a district clerk add rows to the oblast's settlement list.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from migreg_desktop import paths
from migreg_desktop.accounts import accounts
from migreg_desktop.cases import cases
from migreg_desktop.eligibility import quotas
from migreg_desktop.errors import AccessDenied
from migreg_desktop.models import Case, Person
from migreg_desktop.models.settlement_list import SettlementListEntry
from migreg_desktop.models.sync import SyncConflict
from migreg_desktop.refdata import settlements
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import conflicts
from migreg_desktop.ui.pages.quotas import QuotasPage
from migreg_desktop.ui.pages.settlements import SettlementsPage
from migreg_desktop.ui.pages.sync_review import ConflictsPage
from tests.conftest import example_case

ROW = {"year": 2026, "kato": "196220100", "kind": "city_district", "potential": "medium",
       "fixed_on": "2025-12-12", "source": "edited"}


def _accounts(engine, clerk_role: str = "clerk") -> None:
    """boss (admin) and tester (the window's user, ``clerk_role``)."""
    with session_scope(engine, actor="boss") as s:
        accounts.add_account("boss", "admin", "password1", session=s)
        accounts.add_account("tester", clerk_role, "password1", session=s)


def _usable(widget, page) -> bool:  # noqa: ANN001
    return widget.isVisibleTo(page) and widget.isEnabled()


def _conflict(engine) -> int:  # noqa: ANN001
    """An incoming edit of our applicant's phone from the oblast, waiting for a decision."""
    with session_scope(engine, actor="boss") as s:
        case = cases.register_case(example_case("resettler"), session=s)
        person = s.get(Person, case.applicant_id)
        incoming = {**person.model_dump(mode="json"), "phone": "+7 777 123 4567", "version": person.version + 1}
        row = SyncConflict(sender="ALM-OBL", sequence=1, record_type="persons", record_id=person.id,
                           owner="ALM-KNV", version=person.version + 1, base_version=person.version,
                           incoming=json.dumps(incoming), local=json.dumps(person.model_dump(mode="json")))
        s.add(row)
        s.flush()
        return int(row.id)


def test_a_clerk_cannot_accept_an_incoming_edit_in_the_window(qtbot, app_context):
    conflict_id = _conflict(app_context.engine)
    _accounts(app_context.engine)
    page = ConflictsPage(app_context)
    qtbot.addWidget(page)
    page.select_first()
    assert page.model.rows and not _usable(page.yes_btn, page) and not _usable(page.no_btn, page)
    with session_scope(app_context.engine, actor="tester") as s:  # nor behind the window's back
        with pytest.raises(AccessDenied, match=r"conflict\.accept"):
            conflicts.accept(conflict_id, session=s)
    with session_scope(app_context.engine) as s:
        assert s.get(SyncConflict, conflict_id).status == "open"


def test_the_head_of_office_decides_incoming_edits_in_the_window(qtbot, app_context):
    _conflict(app_context.engine)
    _accounts(app_context.engine, "head")
    page = ConflictsPage(app_context)
    qtbot.addWidget(page)
    page.select_first()
    assert _usable(page.yes_btn, page) and _usable(page.no_btn, page)


@pytest.fixture
def oblast_ctx(app_context, tmp_path):  # noqa: ANN001, ANN201
    """The window of the oblast Department (ALM-OBL) with its own database."""
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.ui.context import AppContext

    paths.set_data_dir(tmp_path / "oblast")
    engine, _loaded = init_database("ALM-OBL")
    yield AppContext(engine=engine, settings=app_context.settings, hub=app_context.hub,
                     office_code="ALM-OBL", role="oblast", user="tester")
    engine.dispose()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_an_oblast_clerk_does_not_set_quotas(qtbot, oblast_ctx):
    _accounts(oblast_ctx.engine)
    page = QuotasPage(oblast_ctx)
    qtbot.addWidget(page)
    assert not _usable(page.set_button, page) and not _usable(page.allot_button, page)
    with session_scope(oblast_ctx.engine, actor="tester") as s, pytest.raises(AccessDenied, match="admin"):
        quotas.set_quota(2026, "620000000", "kandas", 10, session=s)
    with session_scope(oblast_ctx.engine, actor="boss") as s:  # the oblast's admin does
        quotas.set_quota(2026, "620000000", "kandas", 10, session=s)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_oblast_admin_sets_quotas_in_the_window(qtbot, oblast_ctx):
    _accounts(oblast_ctx.engine, "admin")
    page = QuotasPage(oblast_ctx)
    qtbot.addWidget(page)
    assert _usable(page.set_button, page) and _usable(page.allot_button, page)


@pytest.mark.parametrize("role", ["clerk", "admin"])
def test_a_district_does_not_change_the_oblast_settlement_list(qtbot, app_context, role):
    _accounts(app_context.engine, role)
    page = SettlementsPage(app_context)
    qtbot.addWidget(page)
    assert not any(_usable(page.buttons[k], page) for k in ("import", "add", "edit", "delete"))
    with session_scope(app_context.engine, actor="tester") as s:
        with pytest.raises(AccessDenied, match="admin" if role == "clerk" else "oblast Department"):
            settlements.save_entry(dict(ROW), session=s)
        with pytest.raises(AccessDenied):
            settlements.delete_entry(2026, "196220100", session=s)
    with session_scope(app_context.engine) as s:
        assert s.exec(select(SettlementListEntry).where(SettlementListEntry.source == "edited")).first() is None


def test_the_oblast_admin_edits_the_settlement_list(qtbot, oblast_ctx):
    _accounts(oblast_ctx.engine, "admin")
    page = SettlementsPage(oblast_ctx)
    qtbot.addWidget(page)
    assert all(_usable(page.buttons[k], page) for k in ("import", "add"))
    with session_scope(oblast_ctx.engine, actor="tester") as s:
        settlements.save_entry(dict(ROW), session=s)
    with session_scope(oblast_ctx.engine) as s:
        assert s.get(SettlementListEntry, (2026, "196220100")).source == "edited"
        assert s.exec(select(Case)).first() is None


def test_a_clerk_checks_the_database_in_the_window_as_with_doctor(qtbot, app_context, cli, monkeypatch):
    """`migreg doctor` asks for no role; the Backups page's check did (found while moving to the table)."""
    from migreg_desktop.ui.pages.backups import BackupsPage

    _accounts(app_context.engine)
    page = BackupsPage(app_context)
    qtbot.addWidget(page)
    assert _usable(page.check_button, page)
    assert not _usable(page.now_button, page) and not _usable(page.restore_button, page)
    monkeypatch.setenv("MIGREG_USER", "tester")
    monkeypatch.setenv("MIGREG_PASSWORD", "password1")
    assert cli("doctor", "--json").code == 0
