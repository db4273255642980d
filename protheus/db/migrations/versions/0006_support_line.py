"""running a support line (issue 15): agents' availability, saved replies, tags and notes on
conversations, the satisfaction survey, and when a queued customer was told they still wait

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_presence",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("available", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("last_activity_at", sa.Float(), nullable=False),
        sa.Column("changed_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "conversation_tags",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("tag", sa.String(60), primary_key=True),
        sa.Column("tagged_by", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_conversation_tags_tag", "conversation_tags", ["tag", "sender_id"])
    op.create_table(
        "conversation_notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_conversation_notes_sender", "conversation_notes", ["sender_id", "at"])
    op.create_table(
        "satisfaction",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("survey_id", sa.String(32), nullable=False, unique=True),
        sa.Column("handoff_id", sa.String(16), nullable=True),
        sa.Column("attended_by", sa.String(16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("asked_at", sa.Float(), nullable=False),
        sa.Column("answered_at", sa.Float(), nullable=True),
    )
    op.create_index("ix_satisfaction_asked", "satisfaction", ["asked_at"])
    op.create_index("ix_satisfaction_sender", "satisfaction", ["sender_id"])
    op.add_column("handoffs", sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("handoffs", sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_handoffs_created", "handoffs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_created", "handoffs")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("reminded_at")
        batch.drop_column("answered_at")
    op.drop_table("satisfaction")
    op.drop_table("conversation_notes")
    op.drop_table("conversation_tags")
    op.drop_table("saved_replies")
    op.drop_table("agent_presence")
