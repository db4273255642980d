"""Rasa's SQL tracker store, watched: every failure to store a conversation is reported.

When the database fails, Rasa logs one line and keeps the conversation in memory
(FailSafeTrackerStore), where it is lost on restart. This subclass records the
state of the store in a small JSON file (the web app's /salud and the console
read it), logs the loss loudly in Spanish, and re-raises so Rasa behaves as before.
If Rasa could not create this store at all, the file is missing: the launcher
deletes it before Rasa starts, so a running Rasa with no file means "in memory".
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from protheus.settings import tracker_status_override
from protheus.store_status import StatusFile


class ObservedSQLTrackerStore(SQLTrackerStore):
    """endpoints: tracker_store: {type: protheus.tracker_store.ObservedSQLTrackerStore, url: ...}."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status = StatusFile(tracker_status_override())
        self.status.write()
        try:  # Rasa's constructor swallows a database that does not answer
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any driver error means the same for the customer
            self.status.failed("(inicio)", error)

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception as error:
            self.status.failed(tracker.sender_id, error)
            raise
        self.status.succeeded()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve(sender_id)
        except Exception as error:
            self.status.failed(sender_id, error)
            raise
