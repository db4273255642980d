"""Rasa's SQL tracker store, watched, and patient through a database outage.

When the database fails, Rasa's FailSafeTrackerStore answers a failed read with a new,
empty conversation: a form in progress is forgotten at every turn, and the turns of the
outage are kept only in a memory nobody reads again. This store instead:

- keeps the latest copy of every recent conversation (protheus.rasa_server.conversation_hold:
  this process's memory in the embedded default, the shared Redis in the replica profile), so
  a turn during the outage continues the conversation it belongs to on whichever replica;
- holds each conversation it could not write, whole, where every replica reads it, and writes
  it back once the database answers: in order, each event once (the write starts after the
  database's last event of the conversation, under a per-conversation database lock), the
  hold released only after the commit, and only if no replica added a turn meanwhile;
- records the store's state in a small JSON file (the web app's /salud and the console read
  it): failures, conversations and customer turns held, turns written back;
- with an event broker, publishes each event after it is written, with its `events` id
  (key STORE_ID_KEY), so the console's index takes each event once whichever feed brings
  it. Rasa publishes before writing, and reads the whole conversation again to find out
  what is new; here the write already knows.

If Rasa could not create this store at all, the file is missing: the launcher deletes it
before Rasa starts, so a running Rasa with no file means "in memory".
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import text

from protheus.common.event_stream import STORE_ID_KEY
from protheus.common.settings import tracker_status_override
from protheus.common.store_status import OK, StatusFile
from protheus.rasa_server.conversation_hold import RECENT_CONVERSATIONS, Events, LocalHold, open_hold

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # held conversations are written back this often while the database is down
WRITE_BACK_DELAY = 0.2  # after a turn that found the database back: its reply goes out first
CACHED_TRACKERS = 256  # trackers a replica keeps after saving them (the conversations in progress)
# One writer per conversation at a time, whichever replica: a write-back and a turn of the same
# conversation never both append what they think is missing.
ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:sender_id, 0))")
TRY_ADVISORY_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtextextended(:sender_id, 0))")
WRITE_BACK_PACE = 0.02  # seconds between two held conversations written back: turns go first


def _kind_and_time(event: Event | dict) -> tuple[str, float | None]:
    if isinstance(event, dict):
        return event.get("event", ""), event.get("timestamp")
    return event.type_name, event.timestamp


def _as_dict(event: Event | dict) -> dict[str, Any]:
    return event if isinstance(event, dict) else event.as_dict()


def _columns(sender_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The events table's columns for an event (as a dict)."""
    return {
        "sender_id": sender_id,
        "type_name": data.get("event"),
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


@dataclass(frozen=True)
class Written:
    events: list[str]  # the events written, as JSON
    last_id: int | None  # the conversation's last event id in the database now
    new_session: bool  # a session started among them


class ObservedSQLTrackerStore(SQLTrackerStore):
    """endpoints: tracker_store: {type: protheus.rasa_server.tracker_store.ObservedSQLTrackerStore,
    url: ..., hold_url: redis://...} (hold_url: the replica profile's shared hold)."""

    def __init__(self, *args: Any, hold_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status = StatusFile(tracker_status_override())
        self.status.write()
        self.hold = open_hold(hold_url)
        self._fallback = LocalHold()  # when the shared hold itself does not answer
        self._postgres = self.engine.dialect.name == "postgresql"
        # sender → (events when read, customer turns its hold carried): what a hold adds up
        self._origin: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._from_hold: set[str] = set()
        self._cache: OrderedDict[str, tuple[DialogueStateTracker, int, int]] = OrderedDict()
        self._retrying: asyncio.Task | None = None
        try:  # Rasa's constructor swallows a database that does not answer
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any driver error means the same for the customer
            self.status.failed("(inicio)", error)

    def _tracker(self, sender_id: str, events: Events) -> DialogueStateTracker:
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots if self.domain else [])

    def _read_from(self, sender_id: str, events: int, held_turns: int) -> None:
        self._origin[sender_id] = (events, held_turns)
        self._origin.move_to_end(sender_id)
        while len(self._origin) > RECENT_CONVERSATIONS:
            self._origin.popitem(last=False)

    def _held(self, sender_id: str) -> Any:
        try:
            return self._fallback.held(sender_id) or self.hold.held(sender_id)
        except Exception:  # noqa: BLE001 - Redis down: the lock store refuses the turn anyway
            logger.exception("Could not read the hold of %s", sender_id)
            return None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._read(sender_id, self._latest)

    async def _latest(self, sender_id: str) -> DialogueStateTracker | None:
        return self._cached(sender_id) or await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """Every session (the REST tracker endpoint); during an outage, what the hold or the copy has.
        Rasa's wrapper would otherwise answer with a new, empty conversation, saved over the hold."""
        return await self._read(conversation_id, super().retrieve_full_tracker)

    async def _read(self, sender_id: str, from_database: Any) -> DialogueStateTracker | None:
        held = self._held(sender_id)
        if held is not None:  # newer than what the database has
            self._from_hold.add(sender_id)
            self._read_from(sender_id, len(held.events), held.turns)
            return self._tracker(sender_id, held.events)
        self._from_hold.discard(sender_id)
        try:
            found = await from_database(sender_id)
        except Exception as error:  # noqa: BLE001
            self._failed(sender_id, error)
            try:
                recent = self.hold.recent(sender_id)
            except Exception:  # noqa: BLE001
                recent = None
            self._read_from(sender_id, len(recent or []), 0)
            return self._tracker(sender_id, recent) if recent else None
        self._read_from(sender_id, len(found.events) if found else 0, 0)
        return found

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        try:
            # A held conversation whole: its hold is where it was read from.
            written = self._write(sender_id, tracker.events)
        except Exception as error:  # noqa: BLE001 - any driver error: hold the conversation
            self._hold(tracker, error)
            return  # not raised: the conversation is held, and written back later
        if sender_id in self._from_hold:
            self._from_hold.discard(sender_id)
            self._released(sender_id, len(tracker.events))
        self.hold.remember(sender_id, tracker.events, written.events)
        self._keep(tracker, written)
        if self.status.state["estado"] != OK:  # back after an outage: with what is still held
            self.status.succeeded(self._counts(), self._counts("written"))
        if self._fallback.anything_held() or self.hold.anything_held():
            self._retry_later(delay=WRITE_BACK_DELAY)  # the others' held conversations, outside this turn

    def _hold(self, tracker: DialogueStateTracker, error: Exception) -> None:
        sender_id = tracker.sender_id
        self._cache.pop(sender_id, None)
        read, held_turns = self._origin.get(sender_id, (0, 0))
        events = list(tracker.events)
        turns = held_turns + sum(isinstance(event, UserUttered) for event in events[read:])
        dicts = [event.as_dict() for event in events]
        existing = self._held(sender_id)
        if existing is not None and len(existing.events) > len(dicts):
            # A tracker that did not come from the hold (made anew by a caller that could not read
            # the conversation): the hold only grows, so what it has is kept and this one's news added.
            last = existing.events[-1].get("timestamp", 0.0)
            newer = [d for d in dicts if d.get("timestamp", 0.0) > last]
            logger.warning("A shorter copy of held conversation %s: %d newer events added", sender_id, len(newer))
            dicts = existing.events + newer
            turns = existing.turns + sum(d.get("event") == UserUttered.type_name for d in newer)
        if dicts:
            try:
                self.hold.hold(sender_id, dicts, turns)
            except Exception:  # noqa: BLE001 - Redis too: this replica keeps it, as the embedded default
                logger.critical("Could not hold %s in the shared store; held by this replica only", sender_id)
                self._fallback.hold(sender_id, dicts, turns)
            self._from_hold.add(sender_id)
            self._read_from(sender_id, len(dicts), turns)
        self._failed(sender_id, error)
        self._retry_later()

    def _counts(self, totals: str = "counts") -> tuple[int, int]:
        """(conversations, customer turns) held now, or written back (`totals="written"`), over
        every replica that shares the hold."""
        local = getattr(self._fallback, totals)()
        try:
            shared = getattr(self.hold, totals)()
        except Exception:  # noqa: BLE001 - Redis down: what this replica knows
            shared = (0, 0)
        return local[0] + shared[0], local[1] + shared[1]

    def _failed(self, sender_id: str, error: Exception) -> None:
        self.status.failed(sender_id, error, held=self._counts())

    def _released(self, sender_id: str, written: int) -> None:
        """The database confirmed `written` events of a held conversation: forget the hold."""
        turns = self._fallback.release(sender_id, written)
        try:
            turns = turns if turns is not None else self.hold.release(sender_id, written)
        except Exception:  # noqa: BLE001 - kept held: writing it again adds nothing (_unstored)
            logger.exception("Could not release the hold of %s", sender_id)
            return
        if turns is not None:
            self.status.written(sender_id, self._counts(), self._counts("written"))

    def _write_held(self) -> bool:
        """Write one held conversation back, the oldest a writer is free to take; False when none
        is left. Raises when the database still refuses."""
        for hold in (self._fallback, self.hold):
            for sender_id in hold.senders():
                held = hold.held(sender_id)
                if held is None:  # released meanwhile by the replica that took its next turn
                    continue
                if self._write_if_free(sender_id, held.events) is None:
                    continue  # another replica is writing it now
                self._released(sender_id, len(held.events))
                return True
        return False

    async def write_back(self) -> None:
        """Every held conversation, one at a time, in this replica's event loop, with a pause
        between two: after a 30 s outage a hundred conversations are held, and writing them in
        one go (in a turn, or in a thread competing for the interpreter) delayed replies by
        up to 8 s (bench/soak.py). Raises at the first failure."""
        while self._write_held():
            await asyncio.sleep(WRITE_BACK_PACE)

    def _retry_later(self, delay: float = RETRY_SECONDS) -> None:
        if self._retrying is None or self._retrying.done():
            try:
                self._retrying = asyncio.get_running_loop().create_task(self._retry(delay))
            except RuntimeError:  # no event loop (a script): the next save starts it
                self._retrying = None

    async def _retry(self, delay: float) -> None:
        while True:
            await asyncio.sleep(delay)
            delay = RETRY_SECONDS
            try:
                await self.write_back()
            except Exception as error:  # noqa: BLE001 - still down
                self._failed("(escritura de retenidas)", error)
                continue
            held = self._counts()
            self.status.succeeded(held, self._counts("written"))
            if held[0] == 0:
                return

    def _unstored(self, session: Any, sender_id: str, events: Sequence[Event | dict]) -> tuple[list[int], int | None]:
        """Which of the events come after the database's last event of the conversation (their
        positions), and that event's id. Rasa counts the stored events instead, which drops or
        repeats events when the tracker came from elsewhere (a hold, another replica's copy)."""
        last = (
            session.query(self.SQLEvent.id, self.SQLEvent.type_name, self.SQLEvent.timestamp)
            .filter(self.SQLEvent.sender_id == sender_id)
            .order_by(self.SQLEvent.id.desc())
            .first()
        )
        if last is None:
            return list(range(len(events))), None
        for index in range(len(events) - 1, -1, -1):
            if _kind_and_time(events[index]) == (last.type_name, last.timestamp):
                return list(range(index + 1, len(events))), last.id
        # Not among them (older than what is stored): only what came after it.
        return [i for i, event in enumerate(events) if _kind_and_time(event)[1] > last.timestamp], last.id

    def _write(self, sender_id: str, events: Sequence[Event | dict]) -> Written:
        """Write the events the database does not have, after any other writer of the conversation."""
        with self.session_scope() as session:
            if self._postgres:
                session.execute(ADVISORY_LOCK, {"sender_id": sender_id})
            return self._append(session, sender_id, events)

    def _write_if_free(self, sender_id: str, events: Sequence[Event | dict]) -> Written | None:
        """As _write, or None at once when another writer holds the conversation."""
        with self.session_scope() as session:
            if self._postgres and not session.execute(TRY_ADVISORY_LOCK, {"sender_id": sender_id}).scalar():
                return None
            return self._append(session, sender_id, events)

    def _append(self, session: Any, sender_id: str, events: Sequence[Event | dict]) -> Written:
        """Insert what comes after the database's last event, commit, then announce it to the
        broker with the ids."""
        unstored, last_id = self._unstored(session, sender_id, events)
        parsed = [_as_dict(events[index]) for index in unstored]
        rows = [_columns(sender_id, data) for data in parsed]
        ids = self._insert(session, rows)
        session.commit()
        if self.event_broker is not None:
            for data, row_id in zip(parsed, ids, strict=True):
                self.event_broker.publish({"sender_id": sender_id, **data, STORE_ID_KEY: row_id})
        new_session = any(row["type_name"] == SessionStarted.type_name for row in rows)
        return Written([row["data"] for row in rows], ids[-1] if ids else last_id, new_session)

    def _insert(self, session: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert the rows, returning their ids in order: on PostgreSQL one statement for all
        (the ORM sent one INSERT … RETURNING per event, a round trip each)."""
        if not rows:
            return []
        if self._postgres:
            table = self.SQLEvent.__table__
            # The sequence is drawn in VALUES order, so the ids sorted are the rows' ids in order.
            return sorted(session.execute(table.insert().values(rows).returning(table.c.id)).scalars())
        added = [self.SQLEvent(**values) for values in rows]
        session.add_all(added)
        session.flush()  # the ids, read before the commit expires the rows (a SELECT each after)
        return [row.id for row in added]

    # --- the replica's own copy of the trackers it just saved -----------------------------
    def _cached(self, sender_id: str) -> DialogueStateTracker | None:
        """The tracker this replica saved last for the conversation, if nothing changed it since:
        not this process (its events are as saved) nor any replica (the database's last event is
        the one it wrote; one indexed query instead of reading and replaying every event, which
        costs more at every turn). Handed over, not copied: the turn changes it and saves it again."""
        entry = self._cache.pop(sender_id, None)
        if entry is None or len(entry[0].events) != entry[1]:
            return None
        with self.session_scope() as session:
            stored = (
                session.query(self.SQLEvent.id)
                .filter(self.SQLEvent.sender_id == sender_id)
                .order_by(self.SQLEvent.id.desc())
                .limit(1)
                .scalar()
            )
        return entry[0] if stored == entry[2] else None

    def _keep(self, tracker: DialogueStateTracker, written: Written) -> None:
        if written.last_id is None or written.new_session:  # a new session: read as Rasa would, from its start
            self._cache.pop(tracker.sender_id, None)
            return
        self._cache[tracker.sender_id] = (tracker, len(tracker.events), written.last_id)
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > CACHED_TRACKERS:
            self._cache.popitem(last=False)

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
