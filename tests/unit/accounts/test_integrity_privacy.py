import logging
import stat

import pytest
from sqlalchemy.exc import OperationalError

from migreg_desktop import paths
from migreg_desktop.accounts import audit
from migreg_desktop.storage import integrity, privacy
from migreg_desktop.storage.db import session_scope


def _corrupt(path):
    """Overwrite the middle of the file: pages of tables and indexes, not the header."""
    data = bytearray(path.read_bytes())
    for i in range(4096 * 3, min(len(data), 4096 * 40), 7):
        data[i] = 0xAB
    path.write_bytes(bytes(data))


def test_healthy_database(engine):
    report = integrity.check_database(paths.db_path())
    assert report["ok"] and report["integrity_check"] == ["ok"] and report["audit"]["ok"]


def test_damaged_file_is_reported(engine):
    engine.dispose()
    with engine.connect() as con:
        con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    _corrupt(paths.db_path())
    report = integrity.check_database(paths.db_path())
    assert not report["ok"] and report["damaged"]


def test_foreign_key_violation_is_reported(engine):
    with engine.begin() as con:
        con.exec_driver_sql("PRAGMA foreign_keys=OFF")
        con.exec_driver_sql("INSERT INTO document (id, case_id, doc_type, version, updated_at) "
                            "VALUES ('d1', 'no-such-case', 'passport', 1, '2026-01-01')")
    report = integrity.check_database(paths.db_path())
    assert not report["ok"] and report["foreign_key_violations"][0]["table"] == "document"


def test_read_only_engine_refuses_writes(engine):
    integrity.make_read_only(engine)
    assert integrity.is_read_only(engine)
    with pytest.raises(OperationalError), session_scope(engine, actor="x") as s:
        audit.record("update", "case", "c", {}, session=s)


def test_data_dir_and_secrets_are_owner_only(engine, tmp_path):
    assert stat.S_IMODE(paths.data_dir().stat().st_mode) == 0o700
    key = privacy.write_private_file(paths.data_dir() / "keys" / "office.key", b"secret")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    privacy.tighten_data_dir()
    assert stat.S_IMODE(paths.db_path().stat().st_mode) == 0o600


def test_log_redaction_hides_iin_and_phone(caplog):
    logger = logging.getLogger("migreg.test")
    privacy.install_log_redaction(logger)
    with caplog.at_level(logging.INFO, logger="migreg.test"):
        logger.info("saved %s tel %s", "900315300123", "+7 701 123 45 67")
    text = caplog.text
    assert "900315300123" not in text and "701 123 45 67" not in text and "saved" in text


def test_crash_reports_carry_no_personal_data():
    text = ("sqlalchemy.exc.IntegrityError: UNIQUE constraint failed: person.iin\n"
            "[SQL: INSERT INTO person (iin, surname) VALUES (?, ?)]\n"
            "[parameters: ('900315300123', 'Құрманғазы')]\nphone +7 701 123 45 67\n")
    out = privacy.redact_report(text)
    assert "900315300123" not in out and "Құрманғазы" not in out and "701 123" not in out
    assert "UNIQUE constraint failed" in out and "[parameters: not logged]" in out
