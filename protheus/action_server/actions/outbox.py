"""Hand-offs the database could not take: kept, with the number the customer was given and
when they asked, and written as soon as it answers again: retried every RETRY_SECONDS, and at
once, outside the customer's turn, when a new hand-off finds the database back. Each is written
with the moment of the request, so it keeps its place in the agents' queue whenever it lands.

Where they wait depends on the profile: in the action server's memory in the embedded default
(they survive a database outage, not a restart: the log says which ones were pending); in the
Redis the replicas share when LOCK_STORE_URL is set, so whichever action server is running
writes them, even when the one that took the request has stopped.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from protheus.common.vocabulary import Channel
from protheus.db.handoffs import HandoffStore, new_handoff_id
from protheus.db.models import utcnow

logger = logging.getLogger(__name__)
RETRY_SECONDS = 10.0
REDIS_KEY = "protheus:handoff-outbox"

# KEYS: the list. ARGV: the item read first. Removes it only if it is still first (another
# action server may have written and removed it meanwhile).
POP_IF_FIRST = """
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then return redis.call('LPOP', KEYS[1]) and 1 end
return 0
"""


class Queue(Protocol):
    def push(self, item: str) -> None: ...

    def first(self) -> str | None: ...

    def remove_first(self, item: str) -> None: ...

    def __len__(self) -> int: ...


class MemoryQueue:
    """This action server's memory: the embedded default."""

    def __init__(self) -> None:
        self._items: list[str] = []
        self._lock = threading.Lock()

    def push(self, item: str) -> None:
        with self._lock:
            self._items.append(item)

    def first(self) -> str | None:
        with self._lock:
            return self._items[0] if self._items else None

    def remove_first(self, item: str) -> None:
        with self._lock:
            if self._items and self._items[0] == item:
                self._items.pop(0)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class RedisQueue:
    """The replicas' Redis: every action server writes what any of them kept."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)
        self._pop_if_first = self._redis.register_script(POP_IF_FIRST)

    def push(self, item: str) -> None:
        self._redis.rpush(REDIS_KEY, item)

    def first(self) -> str | None:
        found = self._redis.lindex(REDIS_KEY, 0)
        return str(found) if found is not None else None

    def remove_first(self, item: str) -> None:
        self._pop_if_first(keys=[REDIS_KEY], args=[item])

    def __len__(self) -> int:
        return int(self._redis.llen(REDIS_KEY))


def open_queue(redis_url: str) -> Queue:
    return RedisQueue(redis_url) if redis_url else MemoryQueue()


@dataclass
class HandoffOutbox:
    store: Callable[[], HandoffStore]
    retry_seconds: float = RETRY_SECONDS
    queue: Queue = field(default_factory=MemoryQueue)
    _memory: MemoryQueue = field(default_factory=MemoryQueue)  # when the shared queue does not answer
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _wake: threading.Event = field(default_factory=threading.Event)
    _retrying: bool = False

    def hold(self, **handoff: Any) -> str:
        """Keep a hand-off to write later; returns its number (given to the customer now)."""
        handoff_id = new_handoff_id()
        item = json.dumps(
            {
                **handoff,
                "channel": Channel(handoff["channel"]).value,
                "handoff_id": handoff_id,
                "requested_at": utcnow().isoformat(),
            }
        )
        try:
            self.queue.push(item)
        except Exception:  # noqa: BLE001 - Redis too: kept by this action server, as the default
            logger.critical("Could not keep hand-off %s in Redis; kept by this action server only", handoff_id)
            self._memory.push(item)
        logger.error("Hand-off %s of %s kept until the database answers", handoff_id, handoff.get("sender_id"))
        self.retry_in_background()
        return handoff_id

    def pending(self) -> int:
        try:
            return len(self._memory) + len(self.queue)
        except Exception:  # noqa: BLE001 - Redis down: what this action server knows
            return len(self._memory)

    def flush(self) -> int:
        """Write the kept hand-offs, oldest first; stops at the first failure. Returns how many were written."""
        written = 0
        for queue in (self._memory, self.queue):
            while True:
                try:
                    item = queue.first()
                except Exception:  # noqa: BLE001 - Redis down: the next retry reads it
                    break
                if item is None:
                    break
                if not self._write(json.loads(item)):
                    return written
                try:
                    queue.remove_first(item)
                except Exception:  # noqa: BLE001 - written: writing it again finds it (create)
                    return written
                written += 1
        return written

    def _write(self, handoff: dict[str, Any]) -> bool:
        requested_at = handoff.pop("requested_at", None)  # absent in what an older version kept
        try:
            self.store().create(**handoff, requested_at=datetime.fromisoformat(requested_at) if requested_at else None)
        except IntegrityError:  # another action server wrote it at the same moment
            try:
                return self.store().get(handoff["handoff_id"]) is not None
            except SQLAlchemyError:
                return False
        except SQLAlchemyError:
            return False
        logger.warning("Hand-off %s written after the database outage", handoff["handoff_id"])
        return True

    def retry_in_background(self) -> None:
        """Retry every `retry_seconds` (one thread per process): until nothing is kept in memory;
        for good with a shared queue, which other action servers may fill."""
        with self._lock:
            if self._retrying:
                return
            self._retrying = True
        threading.Thread(target=self._retry, name="handoff-outbox", daemon=True).start()

    def flush_soon(self) -> None:
        """The database answers again: write what is kept now, in the retry thread (a hundred
        hand-offs kept through an outage, written inside one customer's turn, held every action
        call of this server for seconds: bench/soak.py)."""
        if self.pending():
            self.retry_in_background()
            self._wake.set()

    def _retry(self) -> None:
        shared = not isinstance(self.queue, MemoryQueue)
        while True:
            self._wake.wait(self.retry_seconds)
            self._wake.clear()
            self.flush()
            with self._lock:
                if not shared and not self.pending():
                    self._retrying = False
                    return
