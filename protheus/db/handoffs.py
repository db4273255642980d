"""Hand-offs (table `handoffs`): registered by the bot, worked by the agents' queue."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.sql import ColumnElement

from protheus.common.vocabulary import OPEN_HANDOFF_STATUSES, Channel, HandoffStatus
from protheus.db.database import Database
from protheus.db.models import Handoff, utcnow

IN_CHUNK = 500
_OPEN = [status.value for status in OPEN_HANDOFF_STATUSES]


@dataclass(frozen=True)
class HandoffInfo:
    id: str
    sender_id: str
    channel: Channel
    intent: str
    summary: str
    status: HandoffStatus
    slots: dict = field(default_factory=dict)
    created_at: datetime | None = None
    assigned_to: str | None = None
    taken_at: datetime | None = None
    closed_at: datetime | None = None


class HandoffError(ValueError):
    """A queue transition that cannot happen; the message is shown to the agent (Spanish)."""


def ensure_workable(handoff: Handoff | HandoffInfo, agent: str, any_agent: bool = False) -> None:
    """Replying to or closing a hand-off: only one in progress, by the agent who took it
    (or, with any_agent, someone allowed to work any agent's hand-offs)."""
    if handoff.status != HandoffStatus.IN_PROGRESS:
        raise HandoffError("La derivación no está en curso: tómela primero.")
    if handoff.assigned_to != agent and not any_agent:
        raise HandoffError(f"La derivación está a cargo de {handoff.assigned_to}.")


def _info(row: Handoff) -> HandoffInfo:
    return HandoffInfo(
        row.id,
        row.sender_id,
        Channel(row.channel),
        row.intent,
        row.summary,
        HandoffStatus(row.status),
        dict(row.slots or {}),
        row.created_at,
        row.assigned_to,
        row.taken_at,
        row.closed_at,
    )


def new_handoff_id() -> str:
    return "D" + secrets.token_hex(4).upper()


class HandoffStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self,
        *,
        sender_id: str,
        channel: Channel,
        intent: str,
        slots: dict,
        summary: str,
        handoff_id: str | None = None,
        requested_at: datetime | None = None,
    ) -> tuple[HandoffInfo, bool]:
        """Register a hand-off, or return the open one for the same conversation, channel
        and intent (a client retry must not create a second). Returns (info, created).
        `handoff_id`, `requested_at`: the number already given to the customer and when they
        asked (a hand-off written late keeps its place in the agents' queue).
        Rasa handles one message per conversation at a time, so check-then-insert is safe."""
        channel_value = Channel(channel).value
        with self.db.session() as session:
            existing = (
                session.execute(
                    select(Handoff).where(
                        Handoff.sender_id == sender_id,
                        Handoff.channel == channel_value,
                        Handoff.intent == intent,
                        Handoff.status.in_(_OPEN),
                    )
                )
                .scalars()
                .first()
            )
            if existing is not None:
                return _info(existing), False
            row = Handoff(
                id=handoff_id or new_handoff_id(),
                sender_id=sender_id,
                channel=channel_value,
                intent=intent,
                slots=slots,
                summary=summary,
                status=HandoffStatus.OPEN.value,
                created_at=requested_at or utcnow(),
            )
            session.add(row)
            session.flush()
            return _info(row), True

    def get(self, handoff_id: str) -> HandoffInfo | None:
        with self.db.session() as session:
            row = session.get(Handoff, handoff_id)
            return _info(row) if row else None

    def of_conversation(self, sender_id: str) -> list[HandoffInfo]:
        with self.db.session() as session:
            rows = session.execute(
                select(Handoff).where(Handoff.sender_id == sender_id).order_by(Handoff.created_at)
            ).scalars()
            return [_info(r) for r in rows]

    def of_conversations(self, sender_ids: Iterable[str]) -> dict[str, list[HandoffInfo]]:
        """Each conversation's hand-offs, oldest first (the console's conversation list)."""
        senders = list(sender_ids)
        found: dict[str, list[HandoffInfo]] = {}
        with self.db.session() as session:
            for start in range(0, len(senders), IN_CHUNK):
                chunk = senders[start : start + IN_CHUNK]
                query = select(Handoff).where(Handoff.sender_id.in_(chunk)).order_by(Handoff.created_at)
                for row in session.execute(query).scalars():
                    found.setdefault(row.sender_id, []).append(_info(row))
        return found

    # --- the agents' queue ---------------------------------------------------
    def open(self) -> list[HandoffInfo]:
        """Hand-offs not yet closed, oldest first."""
        with self.db.session() as session:
            rows = session.execute(select(Handoff).where(Handoff.status.in_(_OPEN)).order_by(Handoff.created_at))
            return [_info(r) for r in rows.scalars()]

    def take(self, handoff_id: str, agent: str) -> HandoffInfo:
        """abierto → en_curso, assigned to `agent`. Atomic: of two agents, one gets it."""
        with self.db.session() as session:
            taken = session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.status == HandoffStatus.OPEN.value)
                .values(
                    status=HandoffStatus.IN_PROGRESS.value, assigned_to=agent, taken_at=utcnow(), updated_at=utcnow()
                )
            )
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise HandoffError("La derivación no existe.")
            session.refresh(row)
            if taken.rowcount != 1:
                if row.status == HandoffStatus.CLOSED:
                    raise HandoffError("La derivación ya está cerrada.")
                raise HandoffError(f"La derivación ya la tomó {row.assigned_to}.")
            return _info(row)

    def mark_answered(self, handoff_id: str) -> None:
        """An agent wrote to the customer: the first time is the hand-off's first reply."""
        with self.db.session() as session:
            session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.answered_at.is_(None))
                .values(answered_at=utcnow())
            )

    def claim_reminders(self, created_before: datetime, created_after: datetime) -> list[HandoffInfo]:
        """Open live-agent hand-offs created between the two times that no agent has answered and
        whose customer was not yet told they still wait: each claimed once (of two web apps, one
        sends it)."""
        waiting: ColumnElement = (
            (Handoff.channel == Channel.LIVE_AGENT.value)
            & Handoff.status.in_(_OPEN)
            & Handoff.answered_at.is_(None)
            & Handoff.reminded_at.is_(None)
            & (Handoff.created_at <= created_before)
            & (Handoff.created_at >= created_after)
        )
        claimed = []
        with self.db.session() as session:
            for row in session.execute(select(Handoff).where(waiting).order_by(Handoff.created_at)).scalars().all():
                done = session.execute(
                    update(Handoff)
                    .where(Handoff.id == row.id, Handoff.reminded_at.is_(None))
                    .values(reminded_at=utcnow())
                )
                if done.rowcount == 1:
                    claimed.append(_info(row))
        return claimed

    def release_reminder(self, handoff_id: str) -> None:
        """The reminder could not be delivered: try again on the next round."""
        with self.db.session() as session:
            session.execute(update(Handoff).where(Handoff.id == handoff_id).values(reminded_at=None))

    def close(self, handoff_id: str, agent: str, any_agent: bool = False) -> HandoffInfo:
        """en_curso → cerrado, by the agent who took it (or, with any_agent, an admin)."""
        with self.db.session() as session:
            row = session.get(Handoff, handoff_id)
            if row is None:
                raise HandoffError("La derivación no existe.")
            ensure_workable(row, agent, any_agent)
            row.status, row.closed_at = HandoffStatus.CLOSED.value, utcnow()
            return _info(row)
