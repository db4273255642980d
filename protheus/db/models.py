"""SQLAlchemy models. The schema itself is created by Alembic migrations."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Column, DateTime, Index, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()

PLANS = ("estandar", "prime")
HANDOFF_STATUSES = ("abierto", "en_curso", "cerrado")
CHANNELS = ("soporte_estandar", "soporte_prime", "consultoria_remota", "agente_humano", "externo")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Customer(Base):
    __tablename__ = "customers"

    code = Column(String(32), primary_key=True)
    name = Column(String(200), nullable=False)
    country = Column(String(80), nullable=False, default="")
    plan = Column(String(16), nullable=False, default="estandar")
    facilitator_name = Column(String(200), nullable=True)
    facilitator_email = Column(String(254), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    @property
    def is_prime(self) -> bool:
        return self.plan == "prime"


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(String(16), primary_key=True)
    sender_id = Column(String(255), nullable=False)
    channel = Column(String(32), nullable=False)
    intent = Column(String(64), nullable=False)
    slots = Column(JSON, nullable=False, default=dict)
    summary = Column(Text, nullable=False, default="")
    status = Column(String(16), nullable=False, default="abierto")
    assigned_to = Column(String(120), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    closed_at = Column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("ix_handoffs_status_channel", "status", "channel"),
        Index("ix_handoffs_sender_open", "sender_id", "channel", "intent", "status"),
    )
