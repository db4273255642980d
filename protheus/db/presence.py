"""Whether live agents can answer now (table `agent_presence`).

An agent says «disponible» or «ausente» in the console; one who makes no request for the idle
time is taken as «ausente» (and stays so until they say otherwise: a tab left open overnight
must not promise a person to a customer). Only an active account whose role takes hand-offs
counts: deactivating or demoting an agent ends their availability at once. The bot asks
`anyone_available` before it pauses a conversation for a live agent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update

from protheus.common.vocabulary import HANDOFF_ROLES
from protheus.db.database import Database
from protheus.db.models import AgentPresence, User

TOUCH_EVERY = 30.0  # seconds: a page view writes the activity at most this often


@dataclass(frozen=True)
class Presence:
    username: str
    available: bool
    last_activity_at: float
    idle_ended: bool = False  # marked «ausente» for inactivity (the console says so once)


class PresenceStore:
    def __init__(self, db: Database, idle_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.idle_seconds = idle_seconds
        self.clock = clock

    def _idle(self, row: AgentPresence, now: float) -> bool:
        return now - row.last_activity_at > self.idle_seconds

    def set_available(self, username: str, available: bool) -> Presence:
        now = self.clock()
        with self.db.session() as session:
            row = session.get(AgentPresence, username)
            if row is None:
                row = AgentPresence(username=username, last_activity_at=now, changed_at=now)
                session.add(row)
            row.available, row.last_activity_at, row.changed_at = available, now, now
            return Presence(username, available, now)

    def touch(self, username: str) -> Presence | None:
        """A request by the agent: their activity. One idle past the limit becomes «ausente»."""
        now = self.clock()
        with self.db.session() as session:
            row = session.get(AgentPresence, username)
            if row is None:
                return None
            idle_ended = row.available and self._idle(row, now)
            if idle_ended:
                row.available, row.changed_at = False, now
            if idle_ended or now - row.last_activity_at >= TOUCH_EVERY:
                row.last_activity_at = now
            return Presence(username, bool(row.available), row.last_activity_at, idle_ended)

    def of(self, username: str) -> Presence:
        with self.db.session() as session:
            row = session.get(AgentPresence, username)
            if row is None:
                return Presence(username, False, 0.0)
            available = bool(row.available) and not self._idle(row, self.clock())
            return Presence(username, available, row.last_activity_at)

    def available_agents(self) -> list[str]:
        """Agents who said «disponible» and were active within the idle time, whose account is
        still active and in a role that takes hand-offs (read here, not copied: a change of the
        account counts at once)."""
        since = self.clock() - self.idle_seconds
        with self.db.session() as session:
            rows = session.execute(
                select(AgentPresence.username)
                .join(User, User.username == AgentPresence.username)
                .where(
                    AgentPresence.available.is_(True),
                    AgentPresence.last_activity_at >= since,
                    User.active.is_(True),
                    User.role.in_([role.value for role in HANDOFF_ROLES]),
                )
                .order_by(AgentPresence.username)
            )
            return list(rows.scalars())

    def anyone_available(self) -> bool:
        return bool(self.available_agents())

    def leave(self, username: str) -> None:
        """Logging out, or an account changed by an admin (its sessions end): «ausente»."""
        with self.db.session() as session:
            session.execute(
                update(AgentPresence)
                .where(AgentPresence.username == username)
                .values(available=False, changed_at=self.clock())
            )
