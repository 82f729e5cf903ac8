"""Alembic environment: run with the program's own engine (set by db.upgrade)."""

from __future__ import annotations

from alembic import context

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` CLI during development: a scratch database
    from pathlib import Path

    from migreg_desktop.storage.db import make_engine

    url = config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite3"
    engine = make_engine(Path(url.removeprefix("sqlite:///")))



def _target_metadata():  # noqa: ANN202
    """The models, for `alembic revision --autogenerate` only: running migrations needs none, and a
    migration never depends on today's models."""
    if not getattr(config.cmd_opts, "autogenerate", False):
        return None
    import migreg_desktop.models as models

    return models.metadata


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    # FTS5 virtual tables and their shadow tables are made by hand in migrations.
    return not (type_ == "table" and name and name.endswith(("_fts", "_fts_data", "_fts_idx",
                                                              "_fts_content", "_fts_docsize", "_fts_config")))


with engine.connect() as connection:
    # Foreign keys off while tables are rebuilt by batch migrations (SQLite ALTER).
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=_target_metadata(),
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
