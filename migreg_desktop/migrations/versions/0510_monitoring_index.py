"""a covering index for the Department's monitoring (issue 16 §1: 100,000 cases in ≤ 1 s)

The query plan of monitoring's main GROUP BY (office, kind, status, destination, persons) was
"SEARCH cases USING INDEX ix_cases_year_number (quota_year=?)" + a table row per case + "USE TEMP
B-TREE FOR GROUP BY": 1.6 s at 100,000 cases on the shared build machine. With this index it is
"SEARCH cases USING COVERING INDEX ix_cases_monitoring (quota_year=?)", no temp b-tree: 0.05 s;
monitoring's months are range counts on ix_cases_year_created (quota_year, created_at, office,
kind, persons): grouping on datetime(created_at) was a temp b-tree over every case (0.5–1.0 s).

Revision ID: 0510_monitoring_index
Revises: 0500_department_desk

Self-contained: imports nothing from migreg_desktop.
"""

from alembic import op

revision = "0510_monitoring_index"
down_revision = "0500_department_desk"
branch_labels = None
depends_on = None

COLUMNS = ["quota_year", "office_code", "kind", "status", "destination_kato", "family_size", "created_at"]


MONTHS = ["quota_year", "created_at", "office_code", "kind", "family_size"]


def upgrade() -> None:
    op.create_index("ix_cases_monitoring", "cases", COLUMNS)
    op.create_index("ix_cases_year_created", "cases", MONTHS)


def downgrade() -> None:
    op.drop_index("ix_cases_year_created", table_name="cases")
    op.drop_index("ix_cases_monitoring", table_name="cases")
