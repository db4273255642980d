"""Where the tracker store keeps conversations the database could not take, and the latest
copy of each recent conversation for a turn that comes while the database is down.

Two homes with one interface, chosen by the profile:

- `LocalHold` (the embedded default, one Rasa process): in this process's memory.
- `RedisHold` (the replica profile): in the Redis every replica already shares for its locks,
  so whichever replica receives a customer's next line continues where the conversation
  stands, and any replica can write a held conversation back. Each successful save appends
  its new events to the conversation's copy (one round trip); a conversation the database
  could not take is held whole, with how many customer turns it carries.

A held conversation is released only after the database confirmed it, and only when the
hold has not grown since it was read (another replica may have added a turn meanwhile).
Events are plain dicts (Rasa's `Event.as_dict()`), so this module does not import Rasa.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

RECENT_CONVERSATIONS = 2000  # kept in memory for a turn that comes while the database is down
KEY_PREFIX = "protheus:conversation:"
HELD_INDEX = "protheus:held"  # sorted set: sender id → when it was first held (oldest written first)
HELD_TURNS = "protheus:held:turns"  # customer turns held now, over every replica
WRITTEN = "protheus:held:written"  # hash: conversations and turns written back, over every replica
RECENT_TTL_SECONDS = 2 * 3600  # a quiet conversation's copy is forgotten (its session has ended by then)
SOCKET_TIMEOUT = 2.0

Events = list[dict[str, Any]]


@dataclass(frozen=True)
class Held:
    events: Events
    turns: int  # customer turns the database has not seen


class Hold(Protocol):
    def held(self, sender_id: str) -> Held | None: ...

    def hold(self, sender_id: str, events: Events, turns: int) -> None: ...

    def release(self, sender_id: str, written: int) -> int | None:
        """Forget the hold if it has at most `written` events; returns the turns it carried."""

    def senders(self) -> list[str]:
        """Held conversations, oldest first."""

    def counts(self) -> tuple[int, int]:
        """(conversations held, customer turns held)."""

    def written(self) -> tuple[int, int]:
        """(conversations, customer turns) written back since the start."""

    def remember(self, sender_id: str, events: Sequence[Any], new: list[str]) -> None:
        """The conversation as the database now has it (Rasa events, each with `as_dict()`);
        `new`: the events just written, as JSON."""

    def recent(self, sender_id: str) -> Events | None: ...

    def anything_held(self) -> bool:
        """Whether some conversation waits to be written (as of the last save, for Redis)."""


class LocalHold:
    """This process's memory: the embedded default."""

    def __init__(self) -> None:
        self._held: OrderedDict[str, Held] = OrderedDict()
        self._recent: OrderedDict[str, Sequence[Any]] = OrderedDict()  # Rasa events
        self._written = (0, 0)

    def held(self, sender_id: str) -> Held | None:
        return self._held.get(sender_id)

    def hold(self, sender_id: str, events: Events, turns: int) -> None:
        self._held[sender_id] = Held(events, turns)  # keeps its place: oldest first

    def release(self, sender_id: str, written: int) -> int | None:
        found = self._held.get(sender_id)
        if found is None or len(found.events) > written:
            return None
        del self._held[sender_id]
        self._written = (self._written[0] + 1, self._written[1] + found.turns)
        return found.turns

    def senders(self) -> list[str]:
        return list(self._held)

    def counts(self) -> tuple[int, int]:
        return len(self._held), sum(h.turns for h in self._held.values())

    def written(self) -> tuple[int, int]:
        return self._written

    def remember(self, sender_id: str, events: Sequence[Any], new: list[str]) -> None:
        # A reference, not a copy: Rasa reads a fresh tracker every turn, and the events are
        # turned into dicts only when handed out during an outage (a copy per turn cost ms).
        self._recent[sender_id] = events
        self._recent.move_to_end(sender_id)
        while len(self._recent) > RECENT_CONVERSATIONS:
            self._recent.popitem(last=False)

    def recent(self, sender_id: str) -> Events | None:
        found = self._recent.get(sender_id)
        return None if found is None else [event.as_dict() for event in list(found)]

    def anything_held(self) -> bool:
        return bool(self._held)


# KEYS: the copy, the held index. ARGV: length the copy should have, ttl, new events (JSON).
# Appends when the copy is as expected; else drops it (the caller then writes it whole).
# Returns {length or -1, conversations held}.
APPEND = """
local length = redis.call('LLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return {-1, redis.call('ZCARD', KEYS[2])}
end
if #ARGV > 2 then length = redis.call('RPUSH', KEYS[1], unpack(ARGV, 3)) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {length, redis.call('ZCARD', KEYS[2])}
"""
# KEYS: the hold, the held index, the turns counter. ARGV: events (JSON), length, turns, sender, now.
HOLD = """
local before = tonumber(redis.call('HGET', KEYS[1], 'turns') or '0')
redis.call('HSET', KEYS[1], 'events', ARGV[1], 'length', ARGV[2], 'turns', ARGV[3])
redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[4])
redis.call('INCRBY', KEYS[3], tonumber(ARGV[3]) - before)
return 1
"""
# KEYS: the hold, the held index, the turns counter, the copy, the written totals.
# ARGV: events written, sender. Releases only a hold that has not grown since; returns its
# turns, or -1.
RELEASE = """
local length = tonumber(redis.call('HGET', KEYS[1], 'length') or '-1')
if length < 0 or length > tonumber(ARGV[1]) then return -1 end
local turns = tonumber(redis.call('HGET', KEYS[1], 'turns') or '0')
redis.call('DEL', KEYS[1], KEYS[4])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('DECRBY', KEYS[3], turns)
redis.call('HINCRBY', KEYS[5], 'conversations', 1)
redis.call('HINCRBY', KEYS[5], 'turns', turns)
return turns
"""


class RedisHold:
    """The replica profile: the hold and the recent copies in the Redis the replicas share."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.from_url(url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)
        self._append = self._redis.register_script(APPEND)
        self._hold = self._redis.register_script(HOLD)
        self._release = self._redis.register_script(RELEASE)
        self.held_now = 0  # conversations held over every replica, as of the last save

    @staticmethod
    def _key(sender_id: str, kind: str) -> str:
        return f"{KEY_PREFIX}{kind}:{sender_id}"

    def held(self, sender_id: str) -> Held | None:
        found = self._redis.hmget(self._key(sender_id, "held"), "events", "turns")
        if found[0] is None:
            return None
        return Held(json.loads(found[0]), int(found[1] or 0))

    def hold(self, sender_id: str, events: Events, turns: int) -> None:
        key = self._key(sender_id, "held")
        self._hold(
            keys=[key, HELD_INDEX, HELD_TURNS],
            args=[json.dumps(events), len(events), turns, sender_id, time.time()],
        )

    def release(self, sender_id: str, written: int) -> int | None:
        keys = [self._key(sender_id, "held"), HELD_INDEX, HELD_TURNS, self._key(sender_id, "recent"), WRITTEN]
        turns = int(self._release(keys=keys, args=[written, sender_id]))
        return None if turns < 0 else turns

    def senders(self) -> list[str]:
        return [s.decode() for s in self._redis.zrange(HELD_INDEX, 0, -1)]

    def counts(self) -> tuple[int, int]:
        conversations, turns = self._redis.pipeline().zcard(HELD_INDEX).get(HELD_TURNS).execute()
        return int(conversations), max(int(turns or 0), 0)

    def written(self) -> tuple[int, int]:
        conversations, turns = self._redis.hmget(WRITTEN, "conversations", "turns")
        return int(conversations or 0), int(turns or 0)

    def remember(self, sender_id: str, events: Sequence[Any], new: list[str]) -> None:
        key = self._key(sender_id, "recent")
        before = len(events) - len(new)
        try:
            length, self.held_now = self._append(keys=[key, HELD_INDEX], args=[before, RECENT_TTL_SECONDS, *new])
            if length < 0 and events:  # a new copy (first turn, expired, or a new session): written whole
                whole = [json.dumps(event.as_dict()) for event in events]
                self._redis.pipeline().delete(key).rpush(key, *whole).expire(key, RECENT_TTL_SECONDS).execute()
        except Exception:  # noqa: BLE001 - Redis down: the locks refuse turns anyway; drop a stale copy
            logger.warning("Could not keep the copy of %s in Redis", sender_id)
            try:
                self._redis.delete(key)
            except Exception:  # noqa: BLE001
                pass

    def recent(self, sender_id: str) -> Events | None:
        found = self._redis.lrange(self._key(sender_id, "recent"), 0, -1)
        return [json.loads(event) for event in found] or None

    def anything_held(self) -> bool:
        return self.held_now > 0


def open_hold(url: str | None) -> Hold:
    """The replica profile's shared hold when given Redis's URL, else this process's memory."""
    return RedisHold(url) if url else LocalHold()
