"""accounts, audit hash chain

Revision ID: 0300_accounts
Revises: 0001_foundation
"""

import hashlib
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0300_accounts'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent: a database whose version row was rewound (tests/unit/test_db.py) still upgrades.
    inspector = sa.inspect(op.get_bind())
    if 'account' not in inspector.get_table_names():
        _create_account()
    if 'hash' not in {c['name'] for c in inspector.get_columns('audit_entry')}:
        with op.batch_alter_table('audit_entry', schema=None) as batch_op:
            batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
            batch_op.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        # Seal the trail written before the chain existed, so verification covers it too.
        _seal_all(op.get_bind().exec_driver_sql)


def _create_account() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_login_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('password_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_name'), ['name'], unique=True)


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'audit_head'")
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_name'))
    op.drop_table('account')


# ---- a frozen copy of accounts/audit_chain.py as of this revision (migrations import no live code)
_GENESIS = "0" * 64
_HEAD_KEY = "audit_head"
_COLUMNS = "id, at, user, office, action, entity, entity_id, changes, prev_hash, hash"


def _utc_text(value):  # noqa: ANN001, ANN202
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entry_hash(row, prev_hash):  # noqa: ANN001, ANN202
    doc = {"id": int(row["id"]), "at": _utc_text(row["at"]), "user": row["user"], "office": row["office"],
           "action": row["action"], "entity": row["entity"], "entity_id": row["entity_id"],
           "changes": row["changes"], "prev": prev_hash}
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seal_all(execute):  # noqa: ANN001, ANN202
    rows = [dict(zip(_COLUMNS.split(", "), r, strict=True))
            for r in execute(f"SELECT {_COLUMNS} FROM audit_entry ORDER BY id").fetchall()]
    prev, last = _GENESIS, None
    for row in rows:
        digest = _entry_hash(row, prev)
        execute("UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row["id"]))
        prev, last = digest, row["id"]
    if last is not None:
        execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_HEAD_KEY, f"{last} {prev}"))
    return len(rows)
