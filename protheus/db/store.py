"""SupportDB: the one class through which actions and tools reach the database."""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from protheus.db.models import Customer, Handoff, utcnow
from protheus.settings import database_url
from protheus.vocabulary import OPEN_HANDOFF_STATUSES, Channel, HandoffStatus, Plan

MIGRATIONS = Path(__file__).parent / "migrations"

DEMO_CUSTOMERS = [
    dict(code="PRIME01", name="Distribuidora Andina S.A. (demo)", country="México", plan=Plan.PRIME.value,
         facilitator_name="Laura Méndez", facilitator_email="laura.mendez@example.com"),
    dict(code="STD01", name="Comercial del Sur Ltda. (demo)", country="Chile", plan=Plan.STANDARD.value,
         facilitator_name=None, facilitator_email=None),
]


@dataclass(frozen=True)
class CustomerInfo:
    code: str
    name: str
    country: str
    plan: Plan
    facilitator_name: Optional[str] = None
    facilitator_email: Optional[str] = None

    @property
    def is_prime(self) -> bool:
        return self.plan is Plan.PRIME


@dataclass(frozen=True)
class HandoffInfo:
    id: str
    sender_id: str
    channel: Channel
    intent: str
    summary: str
    status: HandoffStatus
    slots: dict = field(default_factory=dict)
    created_at: Optional[datetime] = None
    assigned_to: Optional[str] = None
    taken_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None


class HandoffError(ValueError):
    """A queue transition that cannot happen; the message is shown to the agent (Spanish)."""


def ensure_workable(handoff, agent: str, any_agent: bool = False) -> None:
    """Replying to or closing a hand-off: only one in progress, by the agent who took it
    (or, with any_agent, an admin). Takes a Handoff row or a HandoffInfo."""
    if handoff.status != HandoffStatus.IN_PROGRESS:
        raise HandoffError("La derivación no está en curso: tómela primero.")
    if handoff.assigned_to != agent and not any_agent:
        raise HandoffError(f"La derivación está a cargo de {handoff.assigned_to}.")


def _customer_info(row: Customer) -> CustomerInfo:
    return CustomerInfo(row.code, row.name, row.country, Plan(row.plan), row.facilitator_name, row.facilitator_email)


def _handoff_info(row: Handoff) -> HandoffInfo:
    return HandoffInfo(row.id, row.sender_id, Channel(row.channel), row.intent, row.summary, HandoffStatus(row.status),
                       dict(row.slots or {}), row.created_at, row.assigned_to, row.taken_at, row.closed_at)


def _sqlite_pragmas(connection, _record) -> None:
    """Rasa, the action server and the console write to the same file: let readers
    proceed while one writes (WAL), and wait for a lock instead of failing at once."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def new_handoff_id() -> str:
    return "D" + secrets.token_hex(4).upper()


class SupportDB:
    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or database_url()
        self.engine: Engine = create_engine(self.url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    # --- schema -----------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the latest Alembic revision."""
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        command.upgrade(config, "head")

    def prepare(self) -> int:
        """Migrate the schema and load the missing demo customers; returns how many were added."""
        self.migrate()
        return self.seed_demo_customers()

    def seed_demo_customers(self) -> int:
        """Insert the demo customers that are missing; returns how many were added."""
        added = 0
        with self.session() as session:
            for demo in DEMO_CUSTOMERS:
                if session.get(Customer, demo["code"]) is None:
                    session.add(Customer(**demo))
                    added += 1
        return added

    # --- customers --------------------------------------------------------
    def get_customer(self, code: str) -> Optional[CustomerInfo]:
        with self.session() as session:
            row = session.get(Customer, code.strip().upper())
            return _customer_info(row) if row else None

    def upsert_customer(self, info: CustomerInfo) -> None:
        with self.session() as session:
            row = session.get(Customer, info.code) or Customer(code=info.code)
            row.name, row.country, row.plan = info.name, info.country, Plan(info.plan).value
            row.facilitator_name, row.facilitator_email = info.facilitator_name, info.facilitator_email
            session.add(row)

    # --- hand-offs --------------------------------------------------------
    def create_handoff(
        self, *, sender_id: str, channel: Channel, intent: str, slots: dict, summary: str
    ) -> tuple[HandoffInfo, bool]:
        """Register a hand-off, or return the open one for the same conversation, channel
        and intent (a client retry must not create a second). Returns (info, created).
        Rasa handles one message per conversation at a time, so check-then-insert is safe."""
        with self.session() as session:
            existing = session.execute(
                select(Handoff).where(
                    Handoff.sender_id == sender_id, Handoff.channel == Channel(channel).value, Handoff.intent == intent,
                    Handoff.status.in_([s.value for s in OPEN_HANDOFF_STATUSES]),
                )
            ).scalars().first()
            if existing is not None:
                return _handoff_info(existing), False
            row = Handoff(id=new_handoff_id(), sender_id=sender_id, channel=Channel(channel).value, intent=intent,
                          slots=slots, summary=summary, status=HandoffStatus.OPEN.value)
            session.add(row)
            session.flush()
            return _handoff_info(row), True

    def get_handoff(self, handoff_id: str) -> Optional[HandoffInfo]:
        with self.session() as session:
            row = session.get(Handoff, handoff_id)
            return _handoff_info(row) if row else None

    def handoffs_for(self, sender_id: str) -> list[HandoffInfo]:
        with self.session() as session:
            rows = session.execute(
                select(Handoff).where(Handoff.sender_id == sender_id).order_by(Handoff.created_at)
            ).scalars()
            return [_handoff_info(r) for r in rows]

    # --- the agents' queue ---------------------------------------------------
    def open_handoffs(self) -> list[HandoffInfo]:
        """Hand-offs not yet closed, oldest first."""
        with self.session() as session:
            rows = session.execute(
                select(Handoff).where(Handoff.status.in_([s.value for s in OPEN_HANDOFF_STATUSES]))
                .order_by(Handoff.created_at)
            ).scalars()
            return [_handoff_info(r) for r in rows]

    def take_handoff(self, handoff_id: str, agent: str) -> HandoffInfo:
        """abierto → en_curso, assigned to `agent`. Atomic: of two agents, one gets it."""
        with self.session() as session:
            taken = session.execute(
                update(Handoff).where(Handoff.id == handoff_id, Handoff.status == HandoffStatus.OPEN.value)
                .values(status=HandoffStatus.IN_PROGRESS.value, assigned_to=agent, taken_at=utcnow(), updated_at=utcnow())
            )
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise HandoffError("La derivación no existe.")
            if taken.rowcount != 1:
                session.refresh(row)
                if row.status == HandoffStatus.CLOSED:
                    raise HandoffError("La derivación ya está cerrada.")
                raise HandoffError(f"La derivación ya la tomó {row.assigned_to}.")
            session.refresh(row)
            return _handoff_info(row)

    def close_handoff(self, handoff_id: str, agent: str, any_agent: bool = False) -> HandoffInfo:
        """en_curso → cerrado, by the agent who took it (or, with any_agent, an admin)."""
        with self.session() as session:
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise HandoffError("La derivación no existe.")
            ensure_workable(row, agent, any_agent)
            row.status, row.closed_at = HandoffStatus.CLOSED.value, utcnow()
            return _handoff_info(row)

    def set_handoff_status(self, handoff_id: str, status: HandoffStatus, agent: Optional[str] = None) -> HandoffInfo:
        with self.session() as session:
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise KeyError(handoff_id)
            row.status = HandoffStatus(status).value
            if agent is not None:
                row.assigned_to = agent
            if status == HandoffStatus.CLOSED:
                row.closed_at = utcnow()
            return _handoff_info(row)
