"""customers and hand-offs

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(80), nullable=False),
        sa.Column("plan", sa.String(16), nullable=False),
        sa.Column("facilitator_name", sa.String(200), nullable=True),
        sa.Column("facilitator_email", sa.String(254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("plan in ('estandar', 'prime')", name="ck_customers_plan"),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("intent", sa.String(64), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assigned_to", sa.String(120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status in ('abierto', 'en_curso', 'cerrado')", name="ck_handoffs_status"),
    )
    op.create_index("ix_handoffs_status_channel", "handoffs", ["status", "channel"])
    op.create_index("ix_handoffs_sender_open", "handoffs", ["sender_id", "channel", "intent", "status"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_sender_open", table_name="handoffs")
    op.drop_index("ix_handoffs_status_channel", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("customers")
