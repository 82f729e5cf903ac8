"""Change-log triggers, the record registry, and office keys."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from migreg_desktop.cases import cases
from migreg_desktop.errors import UserError
from migreg_desktop.storage import records, triggers
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import keys


def _log(engine):  # noqa: ANN001
    with engine.connect() as con:
        return {(r[0], r[1]): (r[2], r[3]) for r in con.execute(
            text("SELECT record_type, record_id, version, deleted FROM sync_change_view"))}


def test_every_local_change_is_logged_with_owner_and_route(engine, make_case):
    with session_scope(engine, actor="t") as s:
        case = cases.register_case(make_case("kandas"), session=s)
    log = _log(engine)
    v1, deleted = log[("cases", case.id)]  # insert, then the denormalised columns: a version each
    assert v1 >= 1 and deleted == 0
    assert {k[0] for k in log} - {"decisions"} == {"persons", "cases", "family_members", "documents", "status_changes"}
    with session_scope(engine, actor="t") as s:
        cases.change_status(case.id, "submitted", session=s)
    assert _log(engine)[("cases", case.id)][0] == v1 + 1
    with engine.begin() as con:
        owners = set(con.execute(text("SELECT DISTINCT owner || '/' || route FROM sync_change_view")).scalars())
        assert owners == {"ALM-KNV/ALM-KNV"}
        con.execute(text("DELETE FROM cases WHERE id = id_db(:id)"), {"id": case.id})
    log = _log(engine)
    assert log[("cases", case.id)] == (v1 + 2, 1)
    assert all(v[1] == 1 for k, v in log.items() if k[0] in ("family_members", "documents", "status_changes"))


def test_imports_are_not_logged_and_dropped_triggers_come_back(engine, make_case):
    with engine.begin() as con:
        con.execute(text("INSERT INTO sync_suppress (flag) VALUES (1)"))
        con.execute(text("UPDATE person SET phone = 'x'"))
        con.execute(text("DELETE FROM sync_suppress"))
    assert _log(engine) == {}
    with engine.begin() as con:
        con.execute(text("DROP TRIGGER sync_cases_upd"))
    # The next checkout sees the schema changed and puts the trigger back (a batch migration of
    # another feature that rebuilds `cases` would drop it the same way).
    with engine.connect() as con:
        names = set(con.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    assert "sync_cases_upd" in names
    raw = engine.raw_connection()
    try:
        traced: list[str] = []
        raw.driver_connection.set_trace_callback(traced.append)
        assert triggers.ensure(raw.driver_connection) == 0
        # a complete schema is only read: a checkout never waits for another writer's lock
        assert not raw.driver_connection.in_transaction
        assert not [t for t in traced if not t.lstrip().upper().startswith(("SELECT", "PRAGMA"))]
    finally:
        raw.driver_connection.set_trace_callback(None)
        raw.close()


def test_registry_plugs_in_a_new_table():
    rt = records.RecordType("decisions", "cases", 60, "{row}.office_code", "{row}.office_code", code=6)
    sqls = dict(triggers.trigger_sql(rt))
    assert set(sqls) == {"sync_cases_ins", "sync_cases_upd", "sync_cases_del"}
    assert all("VALUES (6, " in s for s in sqls.values())  # logged under the type's code
    with pytest.raises(ValueError):  # a code is never shared by two types
        records.register(records.RecordType("other", "cases", 90, "", "", code=6))
    assert [r.name for r in records.ordered()][:2] == ["persons", "cases"]


def test_keys_are_private_and_trust_checks_the_office(engine, tmp_path):
    with session_scope(engine) as s:
        made = keys.init_keys(session=s)
        with pytest.raises(UserError):
            keys.init_keys(session=s)
        pub = tmp_path / "me.pub"
        keys.export_public(pub, session=s)
        with pytest.raises(UserError):  # our own key
            keys.trust(pub, "ALM-KNV", session=s)
        with pytest.raises(UserError):  # the file names another office
            keys.trust(pub, "ALM-OBL", session=s)
    assert os.name != "posix" or stat.S_IMODE(keys.key_file().stat().st_mode) == 0o600
    assert keys.load_keys("ALM-KNV").public_doc()["fingerprint"] == made.public_doc()["fingerprint"]
    bad = tmp_path / "bad.pub"
    bad.write_text("{}", encoding="utf-8")
    with session_scope(engine) as s, pytest.raises(UserError):
        keys.trust(bad, "ALM-OBL", session=s)


def test_cli_bad_input_exit_2_and_nothing_changes(cli, tmp_path):
    cli("init", "--office", "ALM-KNV")
    assert cli("keys", "init", "--json").code == 0
    from tests.conftest import count_rows  # noqa: F401
    for args in (("export", "--to", "ALM-TLG", "--out", str(tmp_path / "x")),  # district → district
                 ("export", "--to", "NOPE", "--out", str(tmp_path / "x")),
                 ("export", "--to", "ALM-OBL", "--out", str(tmp_path / "x")),  # oblast not trusted
                 ("keys", "trust", str(tmp_path / "missing.pub"), "--office", "ALM-OBL")):
        r = cli(*args, "--json")
        assert r.code == 2, (args, r.err)
        assert r.json["error"]["message"]
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.part").exists()
    missing = cli("import", str(tmp_path / "nothing.migreg"), "--json")
    assert missing.code == 2 and missing.json["status"] == "rejected"
    assert cli("outbox", "--json").json["receivers"][0]["last_sequence"] == 0
