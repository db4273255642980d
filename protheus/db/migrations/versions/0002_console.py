"""agent console: accounts, audit log, conversation index, flags

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _create_rasa_events_table() -> None:
    """Rasa's SQL tracker store table, as Rasa 3.6 defines it, so the console and the
    benchmarks work before Rasa first starts (Rasa's create_all then leaves it alone)."""
    if sa.inspect(op.get_bind()).has_table("events"):
        return
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float()),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text()),
    )
    op.create_index("ix_events_sender_id", "events", ["sender_id"])


def upgrade() -> None:
    _create_rasa_events_table()
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role in ('agente', 'entrenador', 'admin')", name="ck_users_role"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_seen_at", sa.Float(), nullable=False),
    )
    op.create_index("ix_console_sessions_user_id", "console_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("remote", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.create_index("ix_login_attempts_remote_at", "login_attempts", ["remote", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])

    op.create_table(
        "conversations",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("customer_code", sa.String(32), nullable=True),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("min_confidence", sa.Float(), nullable=True),
        sa.Column("had_fallback", sa.Boolean(), nullable=False),
        sa.Column("intents", sa.Text(), nullable=False),
        sa.Column("first_message", sa.Text(), nullable=True),
    )
    op.create_index("ix_conversations_last_at", "conversations", ["last_at"])
    op.create_index("ix_conversations_started_at", "conversations", ["started_at"])
    op.create_index("ix_conversations_channel_last", "conversations", ["channel", "last_at"])
    op.create_index("ix_conversations_min_confidence", "conversations", ["min_confidence"])
    op.create_index("ix_conversations_fallback_last", "conversations", ["had_fallback", "last_at"])
    op.create_index("ix_conversations_customer", "conversations", ["customer_code"])
    op.create_table(
        "conversation_intents",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("intent", sa.String(64), primary_key=True),
    )
    op.create_index("ix_conversation_intents_intent", "conversation_intents", ["intent", "sender_id"])
    op.create_table(
        "customer_messages",
        sa.Column("event_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("fallback", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_customer_messages_sender", "customer_messages", ["sender_id", "event_id"])
    op.create_index("ix_customer_messages_confidence", "customer_messages", ["confidence"])
    op.create_table(
        "message_flags",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("flagged_by", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_table(
        "index_state",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "index_state",
        "message_flags",
        "customer_messages",
        "conversation_intents",
        "conversations",
        "audit_log",
        "login_attempts",
        "console_sessions",
        "users",
    ):
        op.drop_table(table)
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("taken_at")
