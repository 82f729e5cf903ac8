"""sync by export packages: change log, partners, channels, deliveries, conflicts, staging

Revision ID: 0200_sync
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0200_sync"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
DT = sqlmodel.sql.sqltypes.UTCDateTime


def _new(name: str) -> bool:
    """Tables are made once: an upgrade re-run over an existing schema (tests that rewind
    alembic_version) must not fail."""
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _new("sync_change"):
        op.create_table(
            "sync_change",
            sa.Column("record_type", S(), nullable=False), sa.Column("record_id", S(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False), sa.Column("seq", sa.Integer(), nullable=False),
            sa.Column("deleted", sa.Boolean(), nullable=False), sa.Column("owner", S(), nullable=True),
            sa.Column("route", S(), nullable=True),
            sa.PrimaryKeyConstraint("record_type", "record_id"), sqlite_with_rowid=False)
        op.create_index("ix_sync_change_seq", "sync_change", ["seq"])
        op.create_index("ix_sync_change_route", "sync_change", ["route"])
    if _new("sync_suppress"):
        op.create_table("sync_suppress", sa.Column("flag", sa.Integer(), nullable=False),
                        sa.PrimaryKeyConstraint("flag"))
    if _new("sync_partner"):
        op.create_table(
            "sync_partner",
            sa.Column("office_code", S(), nullable=False), sa.Column("sign_key", S(), nullable=False),
            sa.Column("box_key", S(), nullable=False), sa.Column("fingerprint", S(), nullable=False),
            sa.Column("trusted_at", DT(), nullable=False), sa.PrimaryKeyConstraint("office_code"))
    if _new("sync_channel"):
        op.create_table(
            "sync_channel",
            sa.Column("receiver", S(), nullable=False), sa.Column("last_sequence", sa.Integer(), nullable=False),
            sa.Column("last_acked", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("receiver"))
    if _new("sync_outbound"):
        op.create_table(
            "sync_outbound",
            sa.Column("receiver", S(), nullable=False), sa.Column("sequence", sa.Integer(), nullable=False),
            sa.Column("kind", S(), nullable=False), sa.Column("created_at", DT(), nullable=False),
            sa.Column("file_name", S(), nullable=False), sa.Column("sha256", S(), nullable=False),
            sa.Column("counts", S(), nullable=False), sa.Column("acknowledged_at", DT(), nullable=True),
            sa.PrimaryKeyConstraint("receiver", "sequence"))
    if _new("sync_delivery"):
        op.create_table(
            "sync_delivery",
            sa.Column("receiver", S(), nullable=False), sa.Column("record_type", S(), nullable=False),
            sa.Column("record_id", S(), nullable=False), sa.Column("sent_version", sa.Integer(), nullable=False),
            sa.Column("sent_sequence", sa.Integer(), nullable=False),
            sa.Column("acked_version", sa.Integer(), nullable=False),
            sa.Column("outcome", S(), nullable=True), sa.Column("reason", S(), nullable=True),
            sa.PrimaryKeyConstraint("receiver", "record_type", "record_id"), sqlite_with_rowid=False)
    if _new("sync_inbound"):
        op.create_table(
            "sync_inbound",
            sa.Column("sender", S(), nullable=False), sa.Column("sequence", sa.Integer(), nullable=False),
            sa.Column("kind", S(), nullable=False), sa.Column("sha256", S(), nullable=False),
            sa.Column("created_at", S(), nullable=False), sa.Column("imported_at", DT(), nullable=False),
            sa.Column("imported_by", S(), nullable=False), sa.Column("counts", S(), nullable=False),
            sa.Column("conflicts", sa.Integer(), nullable=False), sa.Column("ack_sequence", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("sender", "sequence"))
    if _new("sync_record"):
        op.create_table(
            "sync_record",
            sa.Column("record_type", S(), nullable=False), sa.Column("record_id", S(), nullable=False),
            sa.Column("origin", S(), nullable=False), sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("sequence", sa.Integer(), nullable=False), sa.Column("outcome", S(), nullable=False),
            sa.PrimaryKeyConstraint("record_type", "record_id"), sqlite_with_rowid=False)
        op.create_index("ix_sync_record_origin_seq", "sync_record", ["origin", "sequence"])
    if _new("sync_conflict"):
        op.create_table(
            "sync_conflict",
            sa.Column("id", sa.Integer(), nullable=False), sa.Column("sender", S(), nullable=False),
            sa.Column("sequence", sa.Integer(), nullable=False), sa.Column("record_type", S(), nullable=False),
            sa.Column("record_id", S(), nullable=False), sa.Column("owner", S(), nullable=True),
            sa.Column("version", sa.Integer(), nullable=False), sa.Column("base_version", sa.Integer(), nullable=False),
            sa.Column("deleted", sa.Boolean(), nullable=False),
            sa.Column("incoming", S(), nullable=False), sa.Column("local", S(), nullable=False),
            sa.Column("status", S(), nullable=False), sa.Column("created_at", DT(), nullable=False),
            sa.Column("resolved_at", DT(), nullable=True), sa.Column("resolved_by", S(), nullable=True),
            sa.PrimaryKeyConstraint("id"))
        op.create_index("ix_sync_conflict_status", "sync_conflict", ["status"])
        op.create_index("ix_sync_conflict_record_id", "sync_conflict", ["record_id"])
    if _new("sync_staging"):
        op.create_table(
            "sync_staging",
            sa.Column("person_id", S(), nullable=False), sa.Column("sender", S(), nullable=False),
            sa.Column("sequence", sa.Integer(), nullable=False), sa.Column("iin", S(), nullable=True),
            sa.Column("name_key", S(), nullable=False), sa.Column("birth_date", S(), nullable=True),
            sa.Column("match", S(), nullable=False), sa.Column("imported_at", DT(), nullable=False),
            sa.PrimaryKeyConstraint("person_id"))
        op.create_index("ix_sync_staging_name", "sync_staging", ["name_key", "birth_date"])
        op.create_index("ix_sync_staging_iin", "sync_staging", ["iin"])
    if _new("sync_duplicate"):
        op.create_table(
            "sync_duplicate",
            sa.Column("id", sa.Integer(), nullable=False), sa.Column("person_id", S(), nullable=False),
            sa.Column("other_id", S(), nullable=False), sa.Column("match_kind", S(), nullable=False),
            sa.Column("status", S(), nullable=False), sa.Column("created_at", DT(), nullable=False),
            sa.Column("resolved_at", DT(), nullable=True), sa.Column("resolved_by", S(), nullable=True),
            sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("person_id", "other_id"))
        op.create_index("ix_sync_duplicate_status", "sync_duplicate", ["status"])
    # Change-log triggers on the tables that travel (storage/records.py) are made, and existing
    # rows logged, by the engine when it hands out a connection after the upgrade
    # (storage/triggers.on_checkout): they follow the schema, and migrations import no live code.


def downgrade() -> None:
    bind = op.get_bind()
    for (name,) in bind.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'").fetchall():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("sync_duplicate", "sync_staging", "sync_conflict", "sync_record", "sync_inbound",
                  "sync_delivery", "sync_outbound", "sync_channel", "sync_partner", "sync_suppress",
                  "sync_change"):
        op.drop_table(table)
