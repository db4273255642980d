"""customer messages as a trainer sees them, for the trainers' text filter (issue 24, point 3):
searching the real text let a trainer rebuild a masked phone or e-mail one character at a time.
The copies are written by the indexer and by `ConversationStore.remask` (run by
protheus.db.prepare), which also redoes them when the masking changes (MASK_VERSION).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer_messages") as batch:
        batch.add_column(sa.Column("masked_search_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("masked_with", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer_messages") as batch:
        batch.drop_column("masked_with")
        batch.drop_column("masked_search_text")
