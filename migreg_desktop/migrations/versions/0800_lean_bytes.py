"""fewer bytes per case: a leaner search index and no index that no query uses (issue 17 §1)

Revision ID: 0800_lean_bytes
Revises: 0700_lean_sync_log

- ``cases_fts`` is rebuilt with ``detail=column`` and ``columnsize=0``: the search asks only
  whether a row holds every typed word as a prefix (``storage/search.fts_query``: single-word
  terms, no phrase of two words, no NEAR, no ranking), so the token positions and the per-row
  sizes FTS5 kept by default were never read. (``detail=none`` saves ~27 B per case more but
  made an AND of prefixes 3–8× slower at 100,000 cases: «KNV-2025-0001» 49 → 140 ms.) Its
  words are stored once each (the applicant's Latin name repeated the Cyrillic one's words).
- Indexes dropped (no plan of any statement a traced run of tests/unit and tests/integration
  made, explained on a 20,000-case database, reads them: docs/storage.md "Indexes and their
  query plans"; benchmarks/bench_size.py prints the plan of each kept one):
  ``ix_cases_quota_year`` and ``ix_cases_year_number`` (a query on the year uses
  ix_cases_monitoring or ix_cases_year_created, which start with it, and the list's default
  order is ``created_at``) and ``ix_cases_applicant_name`` (the list sorts names
  ``COLLATE NOCASE``, which a BINARY index cannot serve; no query filters on the name).

Runs after the program's backup (storage/db.upgrade). Self-contained: imports nothing from
migreg_desktop.
"""

from alembic import op

revision = "0800_lean_bytes"
down_revision = "0700_lean_sync_log"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
LEAN_FTS = f"CREATE VIRTUAL TABLE cases_fts USING fts5(case_id UNINDEXED, search_text, detail=column, columnsize=0, {TOKENIZE})"
OLD_FTS = f"CREATE VIRTUAL TABLE cases_fts USING fts5(case_id UNINDEXED, search_text, {TOKENIZE})"
# name -> (table, columns) as 0001_foundation made them (for the downgrade)
DROPPED = {"ix_cases_quota_year": ("cases", ["quota_year"]),
           "ix_cases_year_number": ("cases", ["quota_year", "number"]),
           "ix_cases_applicant_name": ("cases", ["applicant_name"])}
BATCH = 5000


def once(words: str) -> str:
    """The words in their order, each once (storage/search.search_text, copied)."""
    return " ".join(dict.fromkeys(words.split()))


def _rebuild_fts(create: str, *, dedupe: bool) -> None:
    con = op.get_bind()
    rows = [(cid, once(t) if dedupe else t)
            for cid, t in con.exec_driver_sql("SELECT case_id, search_text FROM cases_fts ORDER BY rowid")]
    op.execute("DROP TABLE cases_fts")
    op.execute(create)
    for i in range(0, len(rows), BATCH):
        con.exec_driver_sql("INSERT INTO cases_fts (case_id, search_text) VALUES (?, ?)", rows[i:i + BATCH])


def upgrade() -> None:
    _rebuild_fts(LEAN_FTS, dedupe=True)
    for name in DROPPED:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    for name, (table, columns) in DROPPED.items():
        op.create_index(name, table, columns)
    _rebuild_fts(OLD_FTS, dedupe=False)
