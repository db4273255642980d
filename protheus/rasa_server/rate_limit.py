"""How many messages a conversation and an address may send a minute (fixed one-minute windows).

With LOCK_STORE_URL the counters live in that Redis, so every replica counts the same messages;
without it, in the process (one Rasa server). The `limits` library would do this, but every
version of it needs a newer `packaging` than Rasa 3.6 allows (`pip check` fails).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import redis

from protheus.common.settings import LOOPBACK_ADDRESSES, lock_store_url, messages_per_minute

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60
KEY_PREFIX = "protheus:mensajes:"


@dataclass
class MemoryCounter:
    """Counts per key in the current window, in this process."""

    clock: Callable[[], float] = time.time
    _counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def hit(self, key: str) -> int:
        window = int(self.clock() // WINDOW_SECONDS)
        if len(self._counts) > 100_000:  # past windows
            self._counts = {k: v for k, v in self._counts.items() if k[1] == window}
        count = self._counts.get((key, window), 0) + 1
        self._counts[(key, window)] = count
        return count


class RedisCounter:
    """Counts per key in the current window, in Redis (shared by the replicas)."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._clock = clock

    def hit(self, key: str) -> int:
        window = int(self._clock() // WINDOW_SECONDS)
        name = f"{KEY_PREFIX}{key}:{window}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, WINDOW_SECONDS * 2)
        return int(pipe.execute()[0])


@dataclass
class MessageLimits:
    sender_limit: int
    address_limit: int
    counter: MemoryCounter | RedisCounter

    @classmethod
    def from_settings(cls) -> MessageLimits:
        sender, address = messages_per_minute()
        url = lock_store_url()
        return cls(sender, address, RedisCounter(url) if url else MemoryCounter())

    def allows(self, sender_id: str, address: str | None) -> bool:
        """Counts one message; False when the conversation or the address is over its limit. A
        failing Redis never stops a customer: the message is let through and the failure logged."""
        try:
            if self.counter.hit(f"c:{sender_id}") > self.sender_limit:
                return False
            if address and address not in LOOPBACK_ADDRESSES:
                return self.counter.hit(f"d:{address}") <= self.address_limit
        except redis.RedisError:
            logger.warning("Could not count the messages of %s", sender_id, exc_info=True)
        return True
