"""answers to form questions apart from first messages (issue 21): which question a customer
message answered and how sure the answer reader was; the question a conversation has pending

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer_messages") as batch:
        batch.add_column(sa.Column("question", sa.String(64), nullable=True))
        batch.add_column(sa.Column("answer_confidence", sa.Float(), nullable=True))
    op.create_index("ix_customer_messages_answer_confidence", "customer_messages", ["answer_confidence"])
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("pending_question", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("pending_question")
    op.drop_index("ix_customer_messages_answer_confidence", table_name="customer_messages")
    with op.batch_alter_table("customer_messages") as batch:
        batch.drop_column("answer_confidence")
        batch.drop_column("question")
