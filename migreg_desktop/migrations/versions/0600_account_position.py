"""issue 14: a clerk's position (papers name clerks by full name and position, never by login)

Revision ID: 0600_account_position
Revises: 0510_monitoring_index

Self-contained: imports nothing from migreg_desktop.
"""

import sqlalchemy as sa
from alembic import op

revision = "0600_account_position"
down_revision = "0510_monitoring_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent, like 0300/0400: a database whose version row was rewound still upgrades.
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("account")}
    if "position" not in have:
        with op.batch_alter_table("account", schema=None) as batch_op:
            batch_op.add_column(sa.Column("position", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("position")
