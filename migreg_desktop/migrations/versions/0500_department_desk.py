"""the Department's desk (issue 16): settlement list fixing and recipients, adaptation measures,
official statistics, proposal drafts; merges the heads 0201_sync_uuid_ledger and 0300_accounts

Revision ID: 0500_department_desk
Revises: 0201_sync_uuid_ledger, 0300_accounts

Self-contained: imports nothing from migreg_desktop.
"""

import sqlalchemy as sa
from alembic import op

revision = "0500_department_desk"
down_revision = "0400_search_passport_fold"  # one line of history
branch_labels = None
depends_on = None

TABLES = ("settlement_list_state", "settlement_list_recipient", "adaptation_measure", "official_stat",
          "proposal_draft")


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "settlement_list_state" not in existing:
        op.create_table(
            "settlement_list_state",
            sa.Column("year", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("fixed_on", sa.Date(), nullable=True),
            sa.Column("changed_by", sa.String(), nullable=False),
            sa.Column("changed_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("year"),
        )
    if "settlement_list_recipient" not in existing:
        op.create_table(
            "settlement_list_recipient",
            sa.Column("year", sa.Integer(), nullable=False),
            sa.Column("recipient", sa.String(), nullable=False),
            sa.Column("sent_on", sa.Date(), nullable=False),
            sa.Column("recorded_by", sa.String(), nullable=False),
            sa.Column("recorded_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("year", "recipient"),
        )
    if "adaptation_measure" not in existing:
        op.create_table(
            "adaptation_measure",
            sa.Column("id", sa.String(length=36), nullable=False),
            sa.Column("case_id", sa.String(length=36), nullable=False),
            sa.Column("person_id", sa.String(length=36), nullable=True),
            sa.Column("kind", sa.String(), nullable=False),
            sa.Column("started_on", sa.Date(), nullable=False),
            sa.Column("ended_on", sa.Date(), nullable=True),
            sa.Column("outcome", sa.String(), nullable=False),
            sa.Column("note", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_adaptation_measure_case_id", "adaptation_measure", ["case_id"])
    if "official_stat" not in existing:
        op.create_table(
            "official_stat",
            sa.Column("year", sa.Integer(), nullable=False),
            sa.Column("kato", sa.String(), nullable=False),
            sa.Column("population", sa.Integer(), nullable=False),
            sa.Column("arrivals", sa.Integer(), nullable=False),
            sa.Column("departures", sa.Integer(), nullable=False),
            sa.Column("births", sa.Integer(), nullable=True),
            sa.Column("deaths", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["kato"], ["territory.kato"]),
            sa.PrimaryKeyConstraint("year", "kato"),
        )
    if "proposal_draft" not in existing:
        op.create_table(
            "proposal_draft",
            sa.Column("year", sa.Integer(), nullable=False),
            sa.Column("paragraphs", sa.JSON(), nullable=False),
            sa.Column("updated_by", sa.String(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("year"),
        )


def downgrade() -> None:
    op.drop_index("ix_adaptation_measure_case_id", table_name="adaptation_measure")
    for name in reversed(TABLES):
        op.drop_table(name)
