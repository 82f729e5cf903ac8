"""issue 14: kandas origin fields of a person; a minor applicant's legal representative

Revision ID: 0400_law
Revises: 0001_foundation

Self-contained: imports nothing from migreg_desktop (the program's modules change; a migration
must keep doing what it did when it was written).
"""

import sqlalchemy as sa
from alembic import op

revision = '0400_law'
down_revision = ('0201_sync_uuid_ledger', '0300_accounts')  # one line of history: after sync and accounts
branch_labels = None
depends_on = None

PERSON = ('origin_country', 'former_citizenship', 'nationality')
CASES = ('legal_representative', 'representative_basis')


def _missing(table: str, names: tuple[str, ...]) -> list[str]:
    have = {c['name'] for c in sa.inspect(op.get_bind()).get_columns(table)}
    return [n for n in names if n not in have]


def upgrade() -> None:
    # Idempotent, like 0300: a database whose version row was rewound still upgrades.
    for table, names in (('person', PERSON), ('cases', CASES)):
        missing = _missing(table, names)
        if missing:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for name in missing:
                    batch_op.add_column(sa.Column(name, sa.String(), nullable=True))


def downgrade() -> None:
    for table, names in (('cases', CASES), ('person', PERSON)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(names):
                batch_op.drop_column(name)
