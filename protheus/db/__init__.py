"""The project's database: one `Database` (engine, sessions, migrations) and one store per concern.

Where each table's queries live: every table has one owner module, the only one that
writes it and the home of the queries on it.

| tables | owner |
|---|---|
| customers, verification_failures, demo_data_removed | protheus/db/customers.py (`CustomerStore`) |
| handoffs | protheus/db/handoffs.py (`HandoffStore`) |
| users, console_sessions, login_attempts, audit_log | protheus/db/accounts.py (`AccountStore`) |
| agent_presence | protheus/db/presence.py (`PresenceStore`) |
| saved_replies | protheus/db/saved_replies.py (`SavedReplyStore`) |
| conversation_tags, conversation_notes | protheus/db/annotations.py (`AnnotationStore`) |
| satisfaction | protheus/db/satisfaction.py (`SatisfactionStore`) |
| conversations, conversation_intents, customer_messages | protheus/db/conversations.py (`ConversationStore`) |
| message_flags, index_state | protheus/db/conversations.py (`ConversationStore`) |
| inbox_decisions | protheus/trainer/inbox.py (`Inbox`) |
| training_runs | protheus/trainer/runs.py (`TrainingRuns`) |
| model_registry | protheus/trainer/registry.py (`ModelRegistry`) |

Rasa's `events` table is read (never written) by protheus/db/conversations.py.

A module that needs another owner's rows asks that owner's store (the conversation list asks
`HandoffStore.of_conversations`). A single query that joins several owners' tables lives with
the owner of what it answers (the inbox joins customer messages with its own decisions).
"""

from __future__ import annotations

from protheus.common.settings import demo_data
from protheus.db.conversations import ConversationStore
from protheus.db.customers import CustomerStore
from protheus.db.database import Database


def prepare(db: Database, demo: bool | None = None) -> int:
    """Migrate the schema, mask what trainers search anew if the masking changed and, where demo
    data is wanted (DEMO_DATA; by default only the embedded default), load the missing demo
    customers; returns how many were added. Done by `make run` before any service starts, by the
    action server and by the CLIs."""
    db.migrate()
    ConversationStore(db).remask()
    return CustomerStore(db).seed_demo_customers() if (demo_data() if demo is None else demo) else 0
