"""the versions a decision was judged under kept next to its digest (issue 17 §4)

Revision ID: 0870_digest_versions
Revises: 0860_sync_blob_keys

A re-check reads each case's latest decision: its digest (``eligibility_digest``, 0830) and the
versions it was judged under (case, rules, reference data; or those a later re-check confirmed
it under, ``eligibility_confirmed``, 0810). The versions sat only on the decision row, beside its
~2.2 KB results text: reading them read one 4 KB page per case (~0.25 s of the unchanged
re-check of 100,000 cases). Here they are kept next to the digest, so the re-check reads the
decision row only for a decision without a digest (compared by its text anyway).

Next to the digest: the case version, and the pair (rules version, reference-data version) as
the id of its row in ``eligibility_versions`` (one row per pair ever judged under: a handful),
so a digest row stays ~20 bytes (the reference-data version alone is ~250 characters).

A digest row's versions are those of its decision row, always: the trigger that drops a
decision's digest when an import rewrites its verdict, ``eligible`` or results now also drops it
when the row's versions change, and the next re-check reads that row again (and gives it its
digest back). The copy is filled in place from each decision row. This office's bookkeeping,
like the digest: no sync trigger, not in packages.

Self-contained: imports nothing from migreg_desktop.
"""

from alembic import op

revision = "0870_digest_versions"
down_revision = "0860_sync_blob_keys"
branch_labels = None
depends_on = None

_STALE = ("CREATE TRIGGER eligibility_digest_stale AFTER UPDATE OF {columns} ON eligibility_decision "
          "BEGIN DELETE FROM eligibility_digest WHERE decision_id = OLD.id; END")
_SUBSTANCE = "verdict, eligible, results"


def upgrade() -> None:
    op.execute(
        "CREATE TABLE eligibility_versions ("
        " id INTEGER NOT NULL PRIMARY KEY,"
        " rules_version VARCHAR NOT NULL,"
        " reference_version VARCHAR NOT NULL,"
        " UNIQUE (rules_version, reference_version))")
    op.execute("ALTER TABLE eligibility_digest ADD COLUMN case_version INTEGER")
    op.execute("ALTER TABLE eligibility_digest ADD COLUMN versions INTEGER REFERENCES eligibility_versions (id)")
    op.execute("INSERT OR IGNORE INTO eligibility_versions (rules_version, reference_version) "
               "SELECT DISTINCT d.rules_version, d.reference_version FROM eligibility_digest g "
               "JOIN eligibility_decision d ON d.id = g.decision_id")
    op.execute("UPDATE eligibility_digest SET (case_version, versions) = "
               "(SELECT d.case_version, v.id FROM eligibility_decision d JOIN eligibility_versions v "
               "ON v.rules_version = d.rules_version AND v.reference_version = d.reference_version "
               "WHERE d.id = eligibility_digest.decision_id)")
    op.execute("DROP TRIGGER eligibility_digest_stale")
    op.execute(_STALE.format(columns=f"{_SUBSTANCE}, case_version, rules_version, reference_version"))


def downgrade() -> None:
    op.execute("DROP TRIGGER eligibility_digest_stale")
    op.execute(_STALE.format(columns=_SUBSTANCE))
    op.execute("ALTER TABLE eligibility_digest DROP COLUMN versions")
    op.execute("ALTER TABLE eligibility_digest DROP COLUMN case_version")
    op.execute("DROP TABLE eligibility_versions")
