"""Rasa's SQL tracker store, watched, and patient through a database outage.

When the database fails, Rasa's FailSafeTrackerStore answers a failed read with a new,
empty conversation: a form in progress is forgotten at every turn, and the turns of the
outage are kept only in a memory nobody reads again. This store instead:

- keeps every conversation it served recently in memory, so a turn during the outage
  continues the conversation it belongs to;
- holds each conversation it could not write (an outbox) and writes it back, in order and
  before anything newer, as soon as the database answers again;
- records the store's state in a small JSON file (the web app's /salud and the console read
  it): failures, how many conversations are held, when the held ones were written;
- with an event broker, publishes each event after it is written, with its `events` id
  (key STORE_ID_KEY), so the console's index takes each event once whichever feed brings
  it. Rasa publishes before writing, and reads the whole conversation again to find out
  what is new; here the write already knows.

If Rasa could not create this store at all, the file is missing: the launcher deletes it
before Rasa starts, so a running Rasa with no file means "in memory".
"""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import text

from protheus.common.event_stream import STORE_ID_KEY
from protheus.common.settings import tracker_status_override
from protheus.common.store_status import StatusFile

RECENT_CONVERSATIONS = 2000  # kept in memory for a turn that comes while the database is down


class ObservedSQLTrackerStore(SQLTrackerStore):
    """endpoints: tracker_store: {type: protheus.rasa_server.tracker_store.ObservedSQLTrackerStore, url: ...}."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status = StatusFile(tracker_status_override())
        self.status.write()
        self._held: OrderedDict[str, DialogueStateTracker] = OrderedDict()  # not in the database yet
        self._recent: OrderedDict[str, DialogueStateTracker] = OrderedDict()
        try:  # Rasa's constructor swallows a database that does not answer
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any driver error means the same for the customer
            self.status.failed("(inicio)", error)

    def _remember(self, tracker: DialogueStateTracker) -> None:
        # A reference, not a copy: Rasa reads a fresh tracker every turn, and a copy is made
        # only when this one is handed out during an outage (a copy per turn cost milliseconds).
        self._recent[tracker.sender_id] = tracker
        self._recent.move_to_end(tracker.sender_id)
        while len(self._recent) > RECENT_CONVERSATIONS:
            self._recent.popitem(last=False)

    async def _write_held(self) -> None:
        """Write the held conversations back, oldest first; stops at the first failure (raises)."""
        while self._held:
            sender_id, tracker = next(iter(self._held.items()))
            self._write(tracker)
            self._held.pop(sender_id)
            self.status.written(sender_id, len(self._held))

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._remember(tracker)
        try:
            await self._write_held()
            self._write(tracker)
        except Exception as error:  # noqa: BLE001 - any driver error: hold the conversation
            self._held[tracker.sender_id] = copy.deepcopy(tracker)
            self._held.move_to_end(tracker.sender_id)
            self.status.failed(tracker.sender_id, error, held=len(self._held))
            return  # not raised: the conversation is kept here, and written back later
        self.status.succeeded()

    def _write(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQLTrackerStore.save, then the new events to the broker with their ids."""
        with self.session_scope() as session:
            rows = []
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                row = self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                )
                session.add(row)
                rows.append((row, data))
            published = []
            if self.event_broker is not None and rows:
                session.flush()  # the ids, read before the commit expires the rows (a SELECT each after)
                published = [{"sender_id": tracker.sender_id, **data, STORE_ID_KEY: row.id} for row, data in rows]
            session.commit()
        for body in published:
            self.event_broker.publish(body)

    def replies_to(self, sender_id: str, key: str, value: str) -> list[dict[str, Any]] | None:
        """The bot's messages after the conversation's last customer message, if that message's
        metadata has `key` = `value` (a request already answered, sent again); else None."""
        try:
            with self.session_scope() as session:
                last_user = (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == "user")
                    .order_by(self.SQLEvent.id.desc())
                    .first()
                )
                if last_user is None or (json.loads(last_user.data).get("metadata") or {}).get(key) != value:
                    return None
                after = (
                    session.query(self.SQLEvent.data)
                    .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > last_user.id)
                    .filter(self.SQLEvent.type_name == "bot")
                    .order_by(self.SQLEvent.id)
                )
                return [json.loads(data) for (data,) in after]
        except Exception:  # noqa: BLE001 - cannot tell: the message is processed as new
            return None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if sender_id in self._held:  # newer than what the database has
            return copy.deepcopy(self._held[sender_id])
        try:
            found = await super().retrieve(sender_id)
        except Exception as error:  # noqa: BLE001
            self.status.failed(sender_id, error, held=len(self._held))
            recent = self._recent.get(sender_id)
            return copy.deepcopy(recent) if recent is not None else None
        if found is not None:
            self._remember(found)
        return found
