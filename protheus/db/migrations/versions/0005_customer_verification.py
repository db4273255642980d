"""customer verification: failed attempts per address, and the demo facilitators' e-mails

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# PRODUCT.md's demo values; the earlier demo rows had another address, or none.
DEMO_FACILITATORS = {"PRIME01": "facilitador.prime@example.com", "STD01": "facilitador.std@example.com"}
EARLIER_DEMO_EMAILS = ("laura.mendez@example.com",)


def upgrade() -> None:
    op.create_table(
        "verification_failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_verification_failures_address", "verification_failures", ["address", "at"])
    customers = sa.table("customers", sa.column("code"), sa.column("facilitator_email"))
    for code, email in DEMO_FACILITATORS.items():
        op.execute(
            customers.update()
            .where(customers.c.code == code)
            .where(
                sa.or_(customers.c.facilitator_email.is_(None), customers.c.facilitator_email.in_(EARLIER_DEMO_EMAILS))
            )
            .values(facilitator_email=email)
        )


def downgrade() -> None:
    op.drop_index("ix_verification_failures_address", "verification_failures")
    op.drop_table("verification_failures")
