"""the versions a decision was judged under kept next to its digest (issue 17 §4)

Revision ID: 0870_digest_versions
Revises: 0860_sync_blob_keys

A re-check reads each case's latest decision: its digest (``eligibility_digest``, 0830) and the
versions it was judged under (case, rules, reference data; or those a later re-check confirmed
it under, ``eligibility_confirmed``, 0810). The versions sat only on the decision row, beside its
~2.2 KB results text: reading them read one 4 KB page per case (~0.25 s of the unchanged
re-check of 100,000 cases). Here they are copied next to the digest, so the re-check reads the
decision row only for a decision without a digest (compared by its text anyway).

A digest row's versions are those of its decision row, always: the trigger that drops a
decision's digest when an import rewrites its verdict, ``eligible`` or results now also drops it
when the row's versions change, and the next re-check reads that row again (and gives it its
digest back). The copy is filled in place from each decision row.

Self-contained: imports nothing from migreg_desktop.
"""

from alembic import op

revision = "0870_digest_versions"
down_revision = "0860_sync_blob_keys"
branch_labels = None
depends_on = None

_COLUMNS = (("case_version", "INTEGER"), ("rules_version", "VARCHAR"), ("reference_version", "VARCHAR"))
_STALE = ("CREATE TRIGGER eligibility_digest_stale AFTER UPDATE OF {columns} ON eligibility_decision "
          "BEGIN DELETE FROM eligibility_digest WHERE decision_id = OLD.id; END")
_SUBSTANCE = "verdict, eligible, results"


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.execute(f"ALTER TABLE eligibility_digest ADD COLUMN {name} {kind}")
    op.execute("UPDATE eligibility_digest SET (case_version, rules_version, reference_version) = "
               "(SELECT d.case_version, d.rules_version, d.reference_version FROM eligibility_decision d "
               "WHERE d.id = eligibility_digest.decision_id)")
    op.execute("DROP TRIGGER eligibility_digest_stale")
    op.execute(_STALE.format(columns=f"{_SUBSTANCE}, case_version, rules_version, reference_version"))


def downgrade() -> None:
    op.execute("DROP TRIGGER eligibility_digest_stale")
    op.execute(_STALE.format(columns=_SUBSTANCE))
    for name, _kind in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE eligibility_digest DROP COLUMN {name}")
