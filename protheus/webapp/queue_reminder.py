"""The customer waiting for a live agent is told once that the request is still queued.

A paused conversation does not answer: without this, a customer whose hand-off no agent took
would hear nothing at all. The web app runs it every REMINDER_INTERVAL seconds; the text is
mensajes.yml's `derivacion_sigue_en_cola`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from protheus.common.messages import message
from protheus.db.handoffs import HandoffStore
from protheus.webapp.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)
REMINDER_INTERVAL = 30.0


class QueueReminder:
    def __init__(
        self,
        handoffs: HandoffStore,
        rasa: RasaClient,
        wait_minutes: int,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        session_hours: int = 12,
    ) -> None:
        self.handoffs = handoffs
        self.rasa = rasa
        self.wait = timedelta(minutes=wait_minutes)
        self.clock = clock
        # Older requests belong to chats whose session has ended: nobody would read the reminder.
        self.too_old = timedelta(hours=session_hours)

    async def remind(self) -> list[str]:
        """Tell each customer due; returns the hand-offs reminded."""
        now = self.clock()
        due = await asyncio.to_thread(self.handoffs.claim_reminders, now - self.wait, now - self.too_old)
        sent = []
        for handoff in due:
            text = message("derivacion_sigue_en_cola", handoff_id=handoff.id)["text"]
            try:
                await self.rasa.send_message(handoff.sender_id, text, {"recordatorio_cola": handoff.id})
            except RasaUnavailable:
                logger.warning("Could not remind %s that %s is still queued", handoff.sender_id, handoff.id)
                await asyncio.to_thread(self.handoffs.release_reminder, handoff.id)
                continue
            sent.append(handoff.id)
        return sent

    async def run(self, interval: float = REMINDER_INTERVAL) -> None:
        while True:
            try:
                await self.remind()
            except Exception:  # noqa: BLE001 - the reminder must outlive any single failure
                logger.exception("Queue reminder failed")
            await asyncio.sleep(interval)
