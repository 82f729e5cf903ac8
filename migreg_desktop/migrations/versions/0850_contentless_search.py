"""the case search index keeps no copy of the words (issue 17 §1: half the bytes)

Revision ID: 0850_contentless_search
Revises: 0840_blob_ids

``cases_fts`` becomes a contentless FTS5 table (``content=''``): it keeps the index of the words,
not the words themselves nor the case id per row (~290 B per case at 100,000 cases). The search
reads only which rows match (storage/search.py), so nothing else is lost.

SQLite 3.40 has no ``contentless_delete``: a contentless row cannot be removed without its old
words, which are not kept. So a row's FTS5 rowid names the case *and* a generation:
``gen << 40 | rid`` (generation 0, nearly every row, is the rid itself: small rowid gaps, short
varints in the index). ``cases.rid`` is the case's stable integer key (``INTEGER PRIMARY KEY
AUTOINCREMENT``: kept by VACUUM, never reused, the rowid the case list already keys on); the
current generation is in ``case_search`` (no row: 0). Re-indexing a case bumps its generation
and inserts the new words; the old row still matches but names an old generation, so the search
leaves it out (storage/search.match_sql), and storage/search.compact rebuilds the index when such
rows pile up.

``cases`` is rebuilt to carry ``rid`` (its rows keep their rowids as ``rid``, so the list's order
and keys stay); its indexes and triggers are made again as they were.

The downgrade cannot bring the words back (they are not kept): it makes the old table empty and
leaves ``meta.search_rebuild = 1``, and the program fills the index on its next start
(storage/search.rebuild_if_asked) — as it does whenever the upgrade found cases without words.

Runs after the program's backup (storage/db.upgrade). Self-contained: imports nothing from
migreg_desktop.
"""

from alembic import op

revision = "0850_contentless_search"
down_revision = "0840_blob_ids"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
NEW_FTS = f"CREATE VIRTUAL TABLE cases_fts USING fts5(search_text, content='', columnsize=0, detail=column, {TOKENIZE})"
OLD_FTS = f"CREATE VIRTUAL TABLE cases_fts USING fts5(case_id UNINDEXED, search_text, detail=column, columnsize=0, {TOKENIZE})"
GENERATIONS = "CREATE TABLE case_search (rid INTEGER NOT NULL PRIMARY KEY, gen INTEGER NOT NULL)"
REBUILD = "INSERT OR REPLACE INTO meta (key, value) VALUES ('search_rebuild', '1')"


def _sql(query: str) -> list[tuple]:  # type: ignore[type-arg]
    return [tuple(r) for r in op.get_bind().exec_driver_sql(query)]


def _rebuild_cases(*, with_rid: bool) -> None:
    """``cases`` made again with (or without) ``rid``; its rows, indexes and triggers as they were."""
    create = _sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cases'")[0][0]
    others = [sql for (sql,) in _sql("SELECT sql FROM sqlite_master WHERE tbl_name = 'cases' "
                                     "AND type IN ('index', 'trigger') AND sql IS NOT NULL")]
    columns = [r[1] for r in _sql("PRAGMA table_info(cases)") if r[1] != "rid"]
    body = create.split("(", 1)[1]
    if with_rid:
        body = "rid INTEGER PRIMARY KEY AUTOINCREMENT, " + body.replace("PRIMARY KEY (id)", "UNIQUE (id)")
    else:
        body = body.replace("rid INTEGER PRIMARY KEY AUTOINCREMENT, ", "").replace("UNIQUE (id)", "PRIMARY KEY (id)")
    op.execute("CREATE TABLE cases_new (" + body)
    cols = ", ".join(columns)
    # The rowid the list keyed each case on becomes its rid (rowid again on the way down).
    op.execute(f"INSERT INTO cases_new ({'rid' if with_rid else 'rowid'}, {cols}) "
               f"SELECT {'rowid' if with_rid else 'rid'}, {cols} FROM cases")
    op.execute("DROP TABLE cases")  # foreign keys are off during migrations (migrations/env.py)
    # Legacy rename: the other tables' triggers name "cases", which exists again right after it.
    op.execute("PRAGMA legacy_alter_table = ON")
    op.execute("ALTER TABLE cases_new RENAME TO cases")
    op.execute("PRAGMA legacy_alter_table = OFF")
    for sql in others:
        op.execute(sql)



def upgrade() -> None:
    words = _sql("SELECT c.rowid, f.search_text FROM cases_fts f JOIN cases c ON c.id = f.case_id")
    cases = _sql("SELECT count(*) FROM cases")[0][0]
    _rebuild_cases(with_rid=True)
    op.execute("DROP TABLE cases_fts")
    op.execute(NEW_FTS)
    op.execute(GENERATIONS)
    con = op.get_bind()
    for i in range(0, len(words), 5000):
        con.exec_driver_sql("INSERT INTO cases_fts (rowid, search_text) VALUES (?, ?)", words[i:i + 5000])
    op.execute("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")  # one segment
    if len(words) < cases:  # cases without words (a downgraded database): the program re-indexes
        op.execute(REBUILD)


def downgrade() -> None:
    op.execute("DROP TABLE cases_fts")
    op.execute("DROP TABLE case_search")
    _rebuild_cases(with_rid=False)
    op.execute(OLD_FTS)
    op.execute(REBUILD)
