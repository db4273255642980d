"""whether the demo customers were removed for good (issue 24): once an operator removes them,
no start loads them again

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_data_removed",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(120), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("demo_data_removed")
