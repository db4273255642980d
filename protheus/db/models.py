"""SQLAlchemy models. The schema itself is created by Alembic migrations."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeMeta, registry

from protheus.common.vocabulary import FlagStatus, HandoffStatus, Plan

_registry = registry()


class Base(metaclass=DeclarativeMeta):
    """The declarative base, spelled out as a class so that the type checker sees one."""

    __abstract__ = True
    registry = _registry
    metadata = _registry.metadata
    __init__ = _registry.constructor


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def epoch(moment: datetime | None) -> float:
    """Seconds since 1970 of a stored time (SQLite gives it back naive: it is UTC); 0 for none."""
    if moment is None:
        return 0.0
    return moment.replace(tzinfo=moment.tzinfo or timezone.utc).timestamp()


class Customer(Base):
    __tablename__ = "customers"

    code = Column(String(32), primary_key=True)
    name = Column(String(200), nullable=False)
    country = Column(String(80), nullable=False, default="")
    plan = Column(String(16), nullable=False, default=Plan.STANDARD.value)
    facilitator_name = Column(String(200), nullable=True)
    facilitator_email = Column(String(254), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    @property
    def is_prime(self) -> bool:
        return self.plan == Plan.PRIME


class VerificationFailure(Base):
    """A customer code and e-mail that did not match, by address (limits guessing)."""

    __tablename__ = "verification_failures"

    id = Column(Integer, primary_key=True, autoincrement=True)
    address = Column(String(64), nullable=False)
    at = Column(Float, nullable=False)

    __table_args__ = (Index("ix_verification_failures_address", "address", "at"),)


class DemoDataRemoved(Base):
    """The demo customers were removed for good: no start loads them again."""

    __tablename__ = "demo_data_removed"

    id = Column(Integer, primary_key=True, autoincrement=True)
    removed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    removed_by = Column(String(120), nullable=False)


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(String(16), primary_key=True)
    sender_id = Column(String(255), nullable=False)
    channel = Column(String(32), nullable=False)
    intent = Column(String(64), nullable=False)
    slots = Column(JSON, nullable=False, default=dict)
    summary = Column(Text, nullable=False, default="")
    status = Column(String(16), nullable=False, default=HandoffStatus.OPEN.value)
    assigned_to = Column(String(120), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    taken_at = Column(DateTime(timezone=True), nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True)  # an agent's first reply
    reminded_at = Column(DateTime(timezone=True), nullable=True)  # the customer told they still wait

    __table_args__ = (
        Index("ix_handoffs_status_channel", "status", "channel"),
        Index("ix_handoffs_sender_open", "sender_id", "channel", "intent", "status"),
        Index("ix_handoffs_created", "created_at"),
    )


# --- console: accounts ----------------------------------------------------------


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), nullable=False, unique=True)
    role = Column(String(16), nullable=False)
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = Column(DateTime(timezone=True), nullable=True)


class ConsoleSession(Base):
    """A login: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "console_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(Float, nullable=False)
    last_seen_at = Column(Float, nullable=False)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), nullable=False)
    remote = Column(String(64), nullable=False)
    at = Column(Float, nullable=False)
    success = Column(Boolean, nullable=False)

    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_remote_at", "remote", "at"),
    )


class AuditEntry(Base):
    """Who did what in the console, and when."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(Float, nullable=False, index=True)
    username = Column(String(64), nullable=False)
    action = Column(String(64), nullable=False)
    detail = Column(JSON, nullable=False, default=dict)


class AgentPresence(Base):
    """Whether an agent said «disponible»; the console's last request by them (idle → ausente)."""

    __tablename__ = "agent_presence"

    username = Column(String(64), primary_key=True)
    available = Column(Boolean, nullable=False, default=False)
    last_activity_at = Column(Float, nullable=False)
    changed_at = Column(Float, nullable=False)


class SavedReply(Base):
    """A reply the admins keep for agents to insert (title + Spanish text)."""

    __tablename__ = "saved_replies"

    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(120), nullable=False)
    text = Column(Text, nullable=False)
    updated_by = Column(String(64), nullable=False)
    updated_at = Column(Float, nullable=False)


# --- console: conversations, indexed from Rasa's events table --------------------
class Conversation(Base):
    __tablename__ = "conversations"

    sender_id = Column(String(255), primary_key=True)
    channel = Column(String(32), nullable=True)
    customer_code = Column(String(32), nullable=True)
    started_at = Column(Float, nullable=False)
    last_at = Column(Float, nullable=False)
    turns = Column(Integer, nullable=False, default=0)
    min_confidence = Column(Float, nullable=True)
    had_fallback = Column(Boolean, nullable=False, default=False)
    intents = Column(Text, nullable=False, default="")  # space-separated, in order of first use
    first_message = Column(Text, nullable=True)
    last_event_id = Column(Integer, nullable=False, default=0)  # the last event indexed (each taken once)
    pending_question = Column(String(64), nullable=True)  # the form question asked after the last event

    __table_args__ = (
        Index("ix_conversations_last_at", "last_at"),
        Index("ix_conversations_started_at", "started_at"),
        Index("ix_conversations_channel_last", "channel", "last_at"),
        Index("ix_conversations_min_confidence", "min_confidence"),
        Index("ix_conversations_fallback_last", "had_fallback", "last_at"),
        Index("ix_conversations_customer", "customer_code"),
    )


class ConversationIntent(Base):
    __tablename__ = "conversation_intents"

    sender_id = Column(String(255), primary_key=True)
    intent = Column(String(64), primary_key=True)

    __table_args__ = (Index("ix_conversation_intents_intent", "intent", "sender_id"),)


class CustomerMessage(Base):
    """One row per customer message: free-text search, and the trainers' inbox."""

    __tablename__ = "customer_messages"

    event_id = Column(Integer, primary_key=True, autoincrement=False)
    sender_id = Column(String(255), nullable=False)
    at = Column(Float, nullable=False)
    text = Column(Text, nullable=False)
    search_text = Column(Text, nullable=False)  # lower case, no accents
    # The same with contact data masked: what a trainer's text filter searches. NULL, or an
    # older masked_with than MASK_VERSION, until ConversationStore.remask redoes it.
    masked_search_text = Column(Text, nullable=True)
    masked_with = Column(Integer, nullable=True)
    intent = Column(String(64), nullable=True)
    confidence = Column(Float, nullable=True)
    fallback = Column(Boolean, nullable=False, default=False)
    # An answer to a form question: which one, and how sure the answer reader was of its reading.
    question = Column(String(64), nullable=True)
    answer_confidence = Column(Float, nullable=True)

    __table_args__ = (
        Index("ix_customer_messages_sender", "sender_id", "event_id"),
        Index("ix_customer_messages_confidence", "confidence"),
        Index("ix_customer_messages_answer_confidence", "answer_confidence"),
    )


class MessageFlag(Base):
    """A customer message an agent marked for the trainers."""

    __tablename__ = "message_flags"

    id = Column(Integer, primary_key=True, autoincrement=True)
    event_id = Column(Integer, nullable=False, unique=True)
    sender_id = Column(String(255), nullable=False)
    flagged_by = Column(String(64), nullable=False)
    note = Column(Text, nullable=False, default="")
    created_at = Column(Float, nullable=False)
    status = Column(String(16), nullable=False, default=FlagStatus.PENDING.value)


class IndexState(Base):
    __tablename__ = "index_state"

    name = Column(String(32), primary_key=True)
    last_event_id = Column(Integer, nullable=False, default=0)


# --- trainers: inbox decisions, training runs, the model registry -------------------
class InboxDecision(Base):
    """What a trainer decided about a customer message: labelled (and written) or discarded."""

    __tablename__ = "inbox_decisions"

    event_id = Column(Integer, primary_key=True, autoincrement=False)
    decision = Column(String(16), nullable=False)  # protheus.common.vocabulary.InboxVerdict
    intent = Column(String(64), nullable=True)
    written_text = Column(Text, nullable=True)
    decided_by = Column(String(64), nullable=False)
    decided_at = Column(Float, nullable=False)


class TrainingRun(Base):
    __tablename__ = "training_runs"

    id = Column(Integer, primary_key=True, autoincrement=True)
    requested_by = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False)  # protheus.common.vocabulary.RunStatus
    progress = Column(Integer, nullable=False, default=0)
    message = Column(Text, nullable=False, default="")
    started_at = Column(Float, nullable=False)
    finished_at = Column(Float, nullable=True)
    model_name = Column(String(128), nullable=True)


class ModelRecord(Base):
    """A trained model and what is known about it."""

    __tablename__ = "model_registry"

    name = Column(String(128), primary_key=True)  # file name in models/
    data_hash = Column(String(32), nullable=False)
    created_at = Column(Float, nullable=False)
    created_by = Column(String(64), nullable=False)
    metrics = Column(JSON, nullable=False, default=dict)
    comparison = Column(JSON, nullable=False, default=dict)
    active = Column(Boolean, nullable=False, default=False)
    activated_at = Column(Float, nullable=True)
    activated_by = Column(String(64), nullable=True)
    previous_name = Column(String(128), nullable=True)  # the model active before this one


# --- agents' work on conversations, and what customers thought ----------------------
class ConversationTag(Base):
    __tablename__ = "conversation_tags"

    sender_id = Column(String(255), primary_key=True)
    tag = Column(String(60), primary_key=True)
    tagged_by = Column(String(64), nullable=False)
    at = Column(Float, nullable=False)

    __table_args__ = (Index("ix_conversation_tags_tag", "tag", "sender_id"),)


class ConversationNote(Base):
    """An internal note: agents read it, the customer never does."""

    __tablename__ = "conversation_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    at = Column(Float, nullable=False)

    __table_args__ = (Index("ix_conversation_notes_sender", "sender_id", "at"),)


class Satisfaction(Base):
    """One survey asked (survey_id, given to the customer's page) and, once answered, its score."""

    __tablename__ = "satisfaction"

    id = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(255), nullable=False)
    survey_id = Column(String(32), nullable=False, unique=True)
    handoff_id = Column(String(16), nullable=True)
    attended_by = Column(String(16), nullable=False)  # protheus.common.vocabulary.AttendedBy
    score = Column(Integer, nullable=True)
    comment = Column(Text, nullable=True)
    asked_at = Column(Float, nullable=False)
    answered_at = Column(Float, nullable=True)

    __table_args__ = (Index("ix_satisfaction_asked", "asked_at"), Index("ix_satisfaction_sender", "sender_id"))
