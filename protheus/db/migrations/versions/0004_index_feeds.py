"""conversation index: the last event each conversation took, so two feeds can share it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("last_event_id", sa.Integer(), nullable=False, server_default="0"))
    # Conversations indexed before this revision took every event up to the index's cursor.
    op.execute(
        "UPDATE conversations SET last_event_id = COALESCE("
        "(SELECT MAX(e.id) FROM events e WHERE e.sender_id = conversations.sender_id "
        "AND e.id <= (SELECT COALESCE(MAX(s.last_event_id), 0) FROM index_state s)), 0)"
    )


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("last_event_id")
