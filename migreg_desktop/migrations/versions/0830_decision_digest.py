"""a re-check compares a compact digest of each decision, not its rule results' text (issue 17 §4)

Revision ID: 0830_decision_digest
Revises: 0810_decision_confirmed

`check --all` compares each case's new decision with its latest stored one (a re-check that
changes nothing stores nothing). Reading and comparing 100,000 results texts (~2.2 KB each) cost
a second of the re-check; ``eligibility_digest`` holds, per stored decision, a 64-bit digest of
its substance (verdict, eligible, rule results: eligibility/decision_text.Encoder.digest), so
the comparison reads one integer a case. A decision's digest never changes (decisions are
append-only), but an import may still write a decision's row again (sync/apply.py upserts by
uid): a change to its verdict, ``eligible`` or results drops its digest, and the next re-check
compares its text. It is this office's bookkeeping, derived and rebuilt by any check: no sync
trigger, not in packages.

Existing decisions are converted lazily, not here: a decision without a digest (stored before
this revision, by a clerk's own check or by an import) is compared by its text, as before, and
gets its digest at that comparison. Computing the digest here would copy the writer's spelling
into a migration, which must import nothing from the program.

Self-contained: imports nothing from migreg_desktop.
"""

from alembic import op

revision = "0830_decision_digest"
down_revision = "0810_decision_confirmed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE eligibility_digest ("
        " decision_id INTEGER NOT NULL PRIMARY KEY REFERENCES eligibility_decision (id) ON DELETE CASCADE,"
        " digest INTEGER NOT NULL"  # the decision's substance: verdict, eligible, rule results
        ")")
    op.execute(
        "CREATE TRIGGER eligibility_digest_stale AFTER UPDATE OF verdict, eligible, results ON eligibility_decision "
        "BEGIN DELETE FROM eligibility_digest WHERE decision_id = OLD.id; END")


def downgrade() -> None:
    op.execute("DROP TRIGGER eligibility_digest_stale")
    op.execute("DROP TABLE eligibility_digest")
