"""Fixed-window counters for the per-key limits: messages a minute in the Rasa server
(protheus.rasa_server.rate_limit), survey answers an hour in the web app.

With LOCK_STORE_URL the counters live in that Redis, so every replica counts the same hits;
without it, in the process. The `limits` library would do this, but every version of it needs
a newer `packaging` than Rasa 3.6 allows (`pip check` fails).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import redis

from protheus.common.settings import lock_store_url

MINUTE = 60


@dataclass
class MemoryCounter:
    """Counts per key in the current window, in this process."""

    clock: Callable[[], float] = time.time
    window_seconds: int = MINUTE
    _counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def hit(self, key: str) -> int:
        window = int(self.clock() // self.window_seconds)
        if len(self._counts) > 100_000:  # past windows
            self._counts = {k: v for k, v in self._counts.items() if k[1] == window}
        count = self._counts.get((key, window), 0) + 1
        self._counts[(key, window)] = count
        return count


class RedisCounter:
    """Counts per key in the current window, in Redis (shared by the replicas); raises
    redis.RedisError when Redis fails (the limit decides what that means)."""

    def __init__(
        self,
        url: str,
        clock: Callable[[], float] = time.time,
        window_seconds: int = MINUTE,
        prefix: str = "protheus:limite:",
    ) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._clock = clock
        self.window_seconds = window_seconds
        self.prefix = prefix

    def hit(self, key: str) -> int:
        window = int(self._clock() // self.window_seconds)
        name = f"{self.prefix}{key}:{window}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, self.window_seconds * 2)
        return int(pipe.execute()[0])


RateCounter = MemoryCounter | RedisCounter


def counter(prefix: str, window_seconds: int = MINUTE) -> RateCounter:
    """In the shared Redis when there is one (LOCK_STORE_URL), else in the process."""
    url = lock_store_url()
    if url:
        return RedisCounter(url, window_seconds=window_seconds, prefix=prefix)
    return MemoryCounter(window_seconds=window_seconds)
