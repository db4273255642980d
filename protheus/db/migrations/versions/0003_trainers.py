"""trainers: inbox decisions, training runs, model registry

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_decisions",
        sa.Column("event_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("written_text", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.Column("model_name", sa.String(128), nullable=True),
    )
    op.create_table(
        "model_registry",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("data_hash", sa.String(32), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("comparison", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("activated_at", sa.Float(), nullable=True),
        sa.Column("activated_by", sa.String(64), nullable=True),
        sa.Column("previous_name", sa.String(128), nullable=True),
    )


def downgrade() -> None:
    for table in ("model_registry", "training_runs", "inbox_decisions"):
        op.drop_table(table)
