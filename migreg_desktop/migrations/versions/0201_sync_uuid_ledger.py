"""sync: UUID keys for eligibility decisions and the quota ledger (they travel in packages)

Revision ID: 0201_sync_uuid_ledger
Revises: 0200_sync, 0100_eligibility

Both tables have integer autoincrement ids that differ between offices; a record travels by a
UUIDv7 (`uid`, unique). Existing rows get one here. Safe to re-run: a column or index that
exists is left alone.
"""
import os
import time
import uuid

from alembic import op
import sqlalchemy as sa

revision = "0201_sync_uuid_ledger"
# Also after 0100_eligibility, which makes the two tables (a merge point of the two heads).
down_revision = ("0200_sync", "0100_eligibility")
branch_labels = None
depends_on = None

TABLES = ("eligibility_decision", "quota_ledger")
# The ledger refuses updates (0100_eligibility); filling the new column needs them off briefly.
LEDGER_TRIGGERS = {
    "quota_ledger_no_update": "CREATE TRIGGER quota_ledger_no_update BEFORE UPDATE ON quota_ledger "
                              "BEGIN SELECT RAISE(ABORT, 'quota_ledger is append-only'); END",
}


def _fill(bind, table: str) -> None:
    ids = [r[0] for r in bind.execute(sa.text(f"SELECT id FROM {table} WHERE uid IS NULL ORDER BY id"))]
    if not ids:
        return
    names = {r[0] for r in bind.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    paused = [n for n in LEDGER_TRIGGERS if table == "quota_ledger" and n in names]
    for name in paused:
        op.execute(f"DROP TRIGGER {name}")
    # Sync change-log triggers must not log the fill as an edit (rows are logged once when the
    # table is first tracked, sync/triggers.py).
    bind.execute(sa.text("INSERT OR IGNORE INTO sync_suppress (flag) VALUES (1)"))
    bind.execute(sa.text(f"UPDATE {table} SET uid = :u WHERE id = :i"), [{"u": _uuid7(), "i": i} for i in ids])
    bind.execute(sa.text("DELETE FROM sync_suppress"))
    for name in paused:
        op.execute(LEDGER_TRIGGERS[name])


def upgrade() -> None:
    bind = op.get_bind()
    insp = sa.inspect(bind)
    for table in TABLES:
        if not insp.has_table(table):
            continue
        if "uid" not in {c["name"] for c in insp.get_columns(table)}:
            op.add_column(table, sa.Column("uid", sa.String(), nullable=True))
        _fill(bind, table)
        if f"ix_{table}_uid" not in {i["name"] for i in insp.get_indexes(table)}:
            op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
    # The change-log triggers follow the schema by themselves: the engine checks them when a
    # connection is handed out after the upgrade (storage/triggers.on_checkout), and logs the rows
    # owned here once. Migrations import no live code.


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_uid", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("uid")


_last = [0, 0]  # (milliseconds, counter): ids stay in order within this fill


def _uuid7() -> str:
    """A frozen copy of ids.uuid7 as of this revision: UUIDv7 (RFC 9562), monotonic."""
    ms = time.time_ns() // 1_000_000
    if ms <= _last[0]:
        _last[1] += 1
        if _last[1] > 0xFFF:
            _last[0], _last[1] = _last[0] + 1, 0
        ms = _last[0]
    else:
        _last[0], _last[1] = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return str(uuid.UUID(int=(ms << 80) | (0x7 << 76) | (_last[1] << 64) | (0b10 << 62) | rand_b))
