"""Issue 12 §1: one permissions table, and every door agrees with it.

For each kind of office (district, city, oblast) and each role (clerk, head, admin), every action
of the table is tried through the services (the acting account carried by the session), the
CLI (logged in as that account) and the window (the control that performs it is hidden or
disabled when not allowed, shown and enabled when allowed). Any disagreement with the table is
listed, and the test fails with the whole list.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from migreg_desktop.accounts import permissions
from migreg_desktop.accounts.permissions import TABLE, Actor, allowed
from migreg_desktop.errors import AccessDenied
from migreg_desktop.storage.db import session_scope
from tests.conftest import example_case

PASSWORD = "password-2026"
ACCOUNTS = {"clerk": "aida", "head": "hana", "admin": "boss"}
OFFICES = {"district": "ALM-TLG", "city": "ALM-KNV", "oblast": "ALM-OBL"}


# ---- the services ---------------------------------------------------------------------------

def _in_session(call: Callable[[Session, Path], Any]) -> Callable[[Any, str, Path], Any]:
    def run(engine: Any, name: str, tmp: Path) -> Any:
        with Session(engine, expire_on_commit=False) as s:
            s.info["actor"] = name
            try:
                return call(s, tmp)
            finally:
                s.rollback()
    return run


def _services() -> dict[str, Callable[[Any, str, Path], Any]]:
    """One call per action; each fails harmlessly after the check when allowed (bad input)."""
    from uuid import uuid4

    from migreg_desktop.accounts import accounts, audit_query, preferences
    from migreg_desktop.cases import cases
    from migreg_desktop.cases.demo import generate_demo
    from migreg_desktop.department import adaptation, monitoring, settlement_desk
    from migreg_desktop.eligibility import eligibility, quotas
    from migreg_desktop.refdata import settlements
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.settings import Settings
    from migreg_desktop.storage import backup
    from migreg_desktop.storage.restore import restore_backup
    from migreg_desktop.sync import acks, conflicts, export, importer, keys, refpack, staging

    def init(engine: Any, name: str, tmp: Path) -> Any:
        from migreg_desktop.accounts.office import current_office_code

        with session_scope(engine) as s:
            office = current_office_code(session=s)
        eng, _loaded = init_database(office or "", actor=name)  # the same office again
        eng.dispose()

    return {
        "case.create": _in_session(lambda s, t: cases.register_case({}, session=s)),
        "case.edit": _in_session(lambda s, t: cases.update_case("nope", {}, session=s)),
        "case.status": _in_session(lambda s, t: cases.change_status("nope", "submitted", session=s)),
        "case.check": _in_session(lambda s, t: eligibility.check_case("nope", session=s, trigger="manual")),
        "quota.reserve": _in_session(lambda s, t: quotas.reserve("nope", session=s)),
        "quota.set": _in_session(lambda s, t: quotas.set_quota(1999, "x", "kandas", 1, session=s)),
        "quota.allot": _in_session(lambda s, t: quotas.allot(2026, "x", "kandas", "ALM-TLG", 1, session=s)),
        "settlements.import": _in_session(lambda s, t: settlements.import_file(t / "none.csv", session=s)),
        "settlements.edit": _in_session(lambda s, t: settlements.delete_entry(2026, "0", session=s)),
        "refdata.publish": _in_session(lambda s, t: refpack.export_refdata(t / "none" / "ref.migreg", session=s)),
        "sync.export": _in_session(lambda s, t: export.export_data("NOPE", t / "out.migreg", session=s)),
        "sync.import": _in_session(lambda s, t: importer.import_package(t / "none.migreg", session=s)),
        "sync.accept_gap": _in_session(lambda s, t: importer.import_package(t / "none.migreg", session=s,
                                                                             accept_gap=True)),
        "sync.ack": _in_session(lambda s, t: acks.make_ack("NOPE", t / "ack.migreg", session=s)),
        "conflict.accept": _in_session(lambda s, t: conflicts.accept(999999, session=s)),
        "duplicate.resolve": _in_session(lambda s, t: staging.resolve_duplicate(999999, "same", session=s)),
        "keys.manage": _in_session(lambda s, t: keys.trust(t / "none.json", "ALM-OBL", session=s)),
        "user.manage": _in_session(lambda s, t: accounts.set_disabled("nobody", True, session=s)),
        "audit.read": _in_session(lambda s, t: audit_query.entry_ids(audit_query.AuditFilter(), session=s)),
        "audit.export": _in_session(lambda s, t: audit_query.export(audit_query.AuditFilter(), t / "a.txt",
                                                                    session=s)),
        "backup.create": lambda e, name, t: backup.create_backup(t / "copy.sqlite3", actor=name),
        "backup.restore": lambda e, name, t: restore_backup(t / "none.sqlite3", actor=name),
        "office.init": init,
        "demo.generate": lambda e, name, t: generate_demo(e, 0, actor=name),
        "monitoring.read": _in_session(lambda s, t: monitoring.monitoring(monitoring.make_filter(2026, session=s),
                                                                          session=s)),
        "department.write": _in_session(lambda s, t: adaptation.add("nope", {}, session=s)),
        "settlements.reopen": _in_session(lambda s, t: settlement_desk.reopen(2026, session=s)),
        # a settings file of its own each time: an allowed change must not hide the next refusal
        "settings.office": _in_session(lambda s, t: preferences.change(
            Settings(t / f"settings-{uuid4().hex}.json"), {"lock_after_minutes": 0}, session=s)),
    }


def _service_allows(call: Callable[[Any, str, Path], Any], engine: Any, name: str, tmp: Path) -> bool:
    try:
        call(engine, name, tmp)
    except AccessDenied:
        return False
    except Exception:  # noqa: BLE001 - bad input on purpose: the check let it through
        return True
    return True


# ---- the CLI --------------------------------------------------------------------------------

def _cli_commands(tmp: Path, office: str) -> dict[str, list[tuple[str, ...]]]:
    none = str(tmp / "none.json")
    return {
        "case.create": [("case", "add", "--file", none)],
        "case.edit": [("case", "update", "NOPE", "--file", none)],
        "case.status": [("case", "status", "NOPE", "--to", "submitted"),
                        ("case", "status-batch", "NOPE", "--to", "submitted"), ("case", "status-undo", "NOPE")],
        "case.check": [("check", "NOPE")],
        "quota.reserve": [("quota", "reserve", "NOPE"), ("quota", "release", "NOPE")],
        "quota.set": [("quota", "set", "--year", "2026", "--region", "x", "--kind", "kandas", "--limit", "1",
                       "--counting", "persons")],
        "quota.allot": [("quota", "allot", "--year", "2026", "--region", "x", "--kind", "kandas", "--office",
                         "ALM-TLG", "--slots", "1")],
        "settlements.import": [("settlements", "import", str(tmp / "none.csv"), "--dry-run")],
        "refdata.publish": [("refdata", "export", "--out", str(tmp / "none" / "ref.migreg"))],
        "sync.export": [("export", "--to", "NOPE", "--out", str(tmp / "out.migreg"))],
        "sync.import": [("import", str(tmp / "none.migreg"))],
        "sync.accept_gap": [("import", str(tmp / "none.migreg"), "--accept-gap")],
        "sync.ack": [("ack", "--to", "NOPE", "--out", str(tmp / "ack.migreg"))],
        "conflict.accept": [("conflicts", "accept", "999999"), ("conflicts", "reject", "999999")],
        "duplicate.resolve": [("duplicates", "resolve", "999999", "--as", "same")],
        "keys.manage": [("keys", "trust", none, "--office", "ALM-OBL"), ("keys", "init")],  # keys exist
        "user.manage": [("user", "disable", "nobody"), ("user", "enable", "nobody"), ("user", "list"),
                        ("user", "add", "!", "--role", "clerk"), ("user", "edit", "nobody", "--position", "x")],
        "backup.create": [("backups",), ("backup", "--out", str(tmp / "copy.sqlite3"))],
        "backup.restore": [("restore", str(tmp / "none.sqlite3"))],
        "audit.read": [("audit", "list")],
        "audit.export": [("audit", "export", "--out", str(tmp / "a.txt"))],
        "office.init": [("init", "--office", office)],
        "demo.generate": [("demo", "--cases", "1")],  # the least the option allows
        "monitoring.read": [("monitoring", "--year", "2026"), ("settlements", "recipients", "--year", "2026"),
                            ("adaptation", "list", "nope"), ("stats", "template", "--out", str(tmp / "t.xlsx"))],
        "department.write": [("settlements", "fix", "--year", "2026"), ("adaptation", "add", "nope", "--kind", "language_course",
                                                                      "--from", "2026-01-01"),
                             ("adaptation", "remove", "nope", "1"), ("stats", "import", str(tmp / "none.xlsx")),
                             ("settlements", "publish", "--year", "2026", "--out", str(tmp / "pub")),
                             ("settlements", "sent", "--year", "2026", "--to", "LMC", "--on", "2026-12-10"),
                             ("proposal", "--year", "2026", "--out", str(tmp / "p.pdf"))],
        "settlements.reopen": [("settlements", "fix", "--year", "2026", "--reopen")],
        "settings.office": [("settings", "set", "lock_after_minutes", "0")],
    }


# ---- the window -----------------------------------------------------------------------------

def _visible_enabled(widget: Any, page: Any) -> bool:
    return widget.isVisibleTo(page) and widget.isEnabled()


def _window_controls(case_id: str) -> dict[str, tuple[Callable[[Any], Any], Callable[[Any], bool]]]:
    """action → (build the page from the context, is the control available on it)."""
    from migreg_desktop.ui.case_editor import CaseEditor
    from migreg_desktop.ui.pages.audit import AuditPage
    from migreg_desktop.ui.pages.backups import BackupsPage
    from migreg_desktop.ui.pages.cases import CasesPage
    from migreg_desktop.ui.pages.list_desk import ListDeskPage
    from migreg_desktop.ui.pages.monitoring import MonitoringPage
    from migreg_desktop.ui.pages.quotas import QuotasPage
    from migreg_desktop.ui.pages.settlements import SettlementsPage
    from migreg_desktop.ui.pages.sync_exchange import InboxPage, OutboxPage
    from migreg_desktop.ui.pages.sync_keys import KeysPage
    from migreg_desktop.ui.pages.sync_review import ConflictsPage, DuplicatesPage
    from migreg_desktop.ui.pages.users import UsersPage
    from migreg_desktop.ui.panels.decision import DecisionPanel
    from migreg_desktop.ui.preferences import for_context as preferences_for

    def decision(ctx: Any) -> Any:
        panel = DecisionPanel(ctx)
        panel.load_case(case_id)
        return panel

    def shown(attr: str) -> Callable[[Any], bool]:  # enabled once a row is chosen
        return lambda p: getattr(p, attr).isVisibleTo(p)

    def editor(ctx: Any) -> Any:  # one editor of the case per account: its save, status and quota controls
        return CaseEditor(ctx, case_id)

    return {
        "case.create": (CasesPage, lambda p: _visible_enabled(p.new_button, p)),
        "case.edit": (editor, lambda p: _visible_enabled(p.save_button, p)),
        "case.status": (editor,
                        lambda p: _visible_enabled(p.status_box.apply_button, p.status_box)),
        "quota.reserve": (editor,  # issue 15: reserve from the editor
                          lambda p: _visible_enabled(p.status_box.quota.reserve_button, p.status_box)),
        "case.check": (decision, lambda p: _visible_enabled(p.check_button, p)),
        "quota.set": (QuotasPage, lambda p: _visible_enabled(p.set_button, p)),
        "quota.allot": (QuotasPage, lambda p: _visible_enabled(p.allot_button, p)),
        "settlements.import": (SettlementsPage, lambda p: _visible_enabled(p.buttons["import"], p)),
        "settlements.edit": (SettlementsPage, lambda p: all(_visible_enabled(p.buttons[k], p)
                                                            for k in ("add", "edit", "delete"))),
        "refdata.publish": (KeysPage, lambda p: _visible_enabled(p.ref_btn, p)),
        "sync.export": (OutboxPage, lambda p: _visible_enabled(p.export_btn, p)),
        "sync.import": (InboxPage, lambda p: _visible_enabled(p.import_btn, p)),
        "sync.ack": (InboxPage, lambda p: _visible_enabled(p.ack_btn, p)),
        "conflict.accept": (ConflictsPage, shown("yes_btn")),
        "duplicate.resolve": (DuplicatesPage, shown("yes_btn")),
        "keys.manage": (KeysPage, lambda p: _visible_enabled(p.init_btn, p) and _visible_enabled(p.trust_btn, p)),
        "user.manage": (UsersPage, lambda p: _visible_enabled(p.add_button, p)),
        "backup.create": (BackupsPage, lambda p: _visible_enabled(p.now_button, p)
                          and _visible_enabled(p.file_button, p)),
        "backup.restore": (BackupsPage, lambda p: _visible_enabled(p.restore_button, p)),
        "audit.read": (AuditPage, lambda p: p.stack.currentWidget() is p.main),
        "audit.export": (AuditPage, lambda p: _visible_enabled(p.export_csv, p)),
        "monitoring.read": (MonitoringPage, lambda p: _visible_enabled(p.refresh_button, p)),
        "department.write": (ListDeskPage, shown("fix_button")),  # enabled while the year's list is open
        "settlements.reopen": (ListDeskPage, shown("reopen_button")),  # enabled once the list is fixed
        "settings.office": (preferences_for, lambda p: _visible_enabled(p.editors["lock_after_minutes"], p)),
    }


# Actions the window has no control for: the CLI's only (init and demo are set-up work, an
# import past a missing package is the CLI's option).
CLI_ONLY = {"office.init", "demo.generate", "sync.accept_gap"}
WINDOW_ONLY = {"settlements.edit"}
OPTION_ACTIONS = {"sync.accept_gap", "settlements.reopen"}  # checked for an option of a gated command  # the window edits single rows of the list


# ---- the walk -------------------------------------------------------------------------------

@pytest.fixture(params=sorted(OFFICES))
def office(request, monkeypatch, tmp_path):
    from migreg_desktop.accounts import accounts
    from migreg_desktop.cases import cases
    from migreg_desktop.refdata.setup import init_database
    from migreg_desktop.sync import keys

    kind = request.param
    engine, _loaded = init_database(OFFICES[kind])
    with session_scope(engine, actor="boss") as s:  # the first admin adds the others
        accounts.add_account("boss", "admin", PASSWORD, session=s)
        accounts.add_account("hana", "head", PASSWORD, session=s)
        accounts.add_account("aida", "clerk", PASSWORD, session=s)
        case_id = cases.register_case(example_case("resettler"), session=s).id
        keys.init_keys(session=s)
    monkeypatch.setenv("MIGREG_PASSWORD", PASSWORD)
    yield kind, engine, case_id
    engine.dispose()


_PARSER: list[Any] = []


def _whole_parser() -> Any:
    """The CLI's whole parser, built once for this module: 0.2 s a build, and not what is tested
    (the walk parses ~140 command lines an office with it)."""
    if not _PARSER:
        from migreg_desktop.cli import build_parser

        _PARSER.append(build_parser())
    return _PARSER[0]


def _gates(parser: Any) -> dict[str, str | None]:
    """Every command of the CLI → the action its door checks (None: any account, or no login)."""
    import argparse

    found: dict[str, str | None] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = _gates(sub)
                if inner:
                    found.update({f"{name} {k}": v for k, v in inner.items()})
                else:
                    found[name] = sub._defaults.get("gate")
    return found


def test_table_covers_every_door():
    assert set(_services()) == set(TABLE)
    gates = _gates(_whole_parser())
    assert {g for g in gates.values() if g} | OPTION_ACTIONS == set(TABLE) - WINDOW_ONLY
    walked = {" ".join(argv[:2]) if argv[0] in {"case", "quota", "settlements", "refdata", "conflicts",
                                                "duplicates", "keys", "user", "audit", "adaptation",
                                                "stats", "settings"} else argv[0]
              for argvs in _cli_commands(Path("."), "X").values() for argv in argvs}
    assert {c for c, g in gates.items() if g} <= walked  # every gated command is walked below
    assert set(_cli_commands(Path("."), "X")) == set(TABLE) - WINDOW_ONLY
    assert set(_window_controls("x")) == set(TABLE) - CLI_ONLY


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_every_action_every_role_agrees_with_the_table(qtbot, office, cli_kept_open, tmp_path, monkeypatch):
    import migreg_desktop.cli as cli_package
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.hub import QtHub

    # The same commands, one (whole) parser: building it costs 0.2 s a call and is not what is tested.
    parser = _whole_parser()
    monkeypatch.setattr(cli_package, "build_parser", lambda argv=None: parser)
    # Each of the ~140 commands opens the database, logs in, is gated and audited as ever; the
    # engine outlives the command (tests/conftest.py cli_kept_open): 4.6 s → 3.0 s an office.
    cli = cli_kept_open
    kind, engine, case_id = office
    work = tmp_path / "work"
    work.mkdir()
    services, commands = _services(), _cli_commands(work, OFFICES[kind])
    controls = _window_controls(case_id)
    wrong: list[str] = []
    hub = QtHub()
    for role, name in ACCOUNTS.items():
        actor = Actor(name, role, kind)
        with session_scope(engine, actor=name) as s:
            assert permissions.actor_of(s) == actor  # who is acting travels with the session
        ctx = AppContext(engine=engine, settings=Settings(), hub=hub, office_code=OFFICES[kind],
                         role="oblast" if kind == "oblast" else "district", user=name)
        built: dict[Any, Any] = {}
        monkeypatch.setenv("MIGREG_USER", name)
        for action in TABLE:
            expected = allowed(action, actor)
            seen = {"service": _service_allows(services[action], engine, name, work)}
            for argv in commands.get(action, []):
                result = cli(*argv)
                # an option's action may be refused by its command's own action first
                named = [action] + ([a for a in TABLE if a != action] if action in OPTION_ACTIONS else [])
                refused = result.code == 2 and any(f"({a})" in result.err for a in named)
                seen[f"cli {' '.join(argv[:2])}"] = not refused
            if action in controls:
                factory, available = controls[action]
                if factory not in built:
                    built[factory] = factory(ctx)
                    qtbot.addWidget(built[factory])
                seen["window"] = bool(available(built[factory]))
            wrong += [f"{kind} {role} {action}: {door} {'allows' if got else 'refuses'}, the table "
                      f"{'allows' if expected else 'refuses'}" for door, got in seen.items() if got != expected]
    assert not wrong, "\n".join(wrong)
