"""a re-check that changes nothing stores nothing: the latest decision confirmed in place (issue 17)

Revision ID: 0810_decision_confirmed
Revises: 0800_lean_bytes

An automatic or bulk re-check (``check --all``, the re-check after new reference data or
quotas, the follow-up re-check of a changed case) stores a new decision only when its substance
(verdict, eligible, rule results) differs from the case's latest one. When only the versions it
was judged under moved on (the case's version, the rules, the reference data), the latest
decision still speaks for the case: ``eligibility_confirmed`` says so, one row per case updated
in place, pointing at the decision it confirms (eligibility.stale_reason reads it). It is this
office's bookkeeping, derived and rebuilt by any check: no sync trigger, not in packages.

Self-contained: imports nothing from migreg_desktop.
"""

from alembic import op

revision = "0810_decision_confirmed"
down_revision = "0800_lean_bytes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE eligibility_confirmed ("
        " case_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,"
        " decision_id INTEGER NOT NULL,"  # the latest stored decision, still the same in substance
        " case_version INTEGER NOT NULL,"
        " rules_version VARCHAR NOT NULL,"
        " reference_version VARCHAR NOT NULL,"
        " checked_at DATETIME NOT NULL"
        ") WITHOUT ROWID")


def downgrade() -> None:
    op.execute("DROP TABLE eligibility_confirmed")
