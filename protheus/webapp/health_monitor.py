"""The web app's health check: Rasa, the database, the tracker store's state file and the
console's event feed, checked on demand; a loud log line whenever the verdict changes
(the verdict itself is protheus.support.health, which `make run` reads too)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from protheus.common.settings import lock_store_url
from protheus.common.store_status import read_status
from protheus.db.database import Database
from protheus.support.health import Health, database_answers, lock_store_answers, verdict, with_services
from protheus.webapp.event_feed import FeedState
from protheus.webapp.rasa_client import RasaClient

logger = logging.getLogger(__name__)


class HealthMonitor:
    """Checks on demand and logs loudly when the verdict changes."""

    def __init__(
        self, db: Database, rasa: RasaClient, status_file: Path, tz: str, feed: FeedState | None = None
    ) -> None:
        self.db, self.rasa, self.status_file, self.tz, self.feed = db, rasa, status_file, tz, feed
        self._last: tuple | None = None

    async def check(self) -> Health:
        rasa_up = await self.rasa.status() is not None
        db_up = await asyncio.to_thread(database_answers, self.db)
        health = verdict(rasa_up, db_up, read_status(self.status_file), self.tz)
        url = lock_store_url()
        lock_store = await asyncio.to_thread(lock_store_answers, url) if url else None
        broker = None if self.feed is None else self.feed.connected
        health = with_services(health, lock_store, broker)
        self._log_change(health)
        return health

    def _log_change(self, health: Health) -> None:
        """The log gets the details too (the database's error): the operator reads it."""
        said = health.warnings + health.details
        key = (health.conversations_stored, health.lock_store, tuple(said))
        if key == self._last:
            return
        self._last = key
        if health.conversations_stored is False or not health.database or health.lock_store is False:
            for warning in said:
                logger.critical("¡ATENCIÓN! %s", warning)
        elif said:
            for warning in said:
                logger.warning(warning)
        else:
            logger.info("Conversaciones: se guardan en la base de datos.")
