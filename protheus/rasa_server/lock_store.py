"""A Redis lock store whose tickets cannot be lost between replicas.

Rasa's `RedisLockStore` keeps each conversation's ticket lock as one JSON value that every
operation reads, changes and writes back. Two replicas issuing a ticket for the same
conversation at the same moment overwrite each other (Rasa issue #9213): both go ahead,
one tracker update is lost, and a waiter whose ticket vanished polls until the lock's
lifetime ends. Measured here with two replicas, bursts of 4 lines of one customer lost 18
of 180 messages and some turns waited 60 s.

A ticket is a lease of LEASE_SECONDS that its replica renews while the turn waits or runs,
from a thread of its own (LeaseKeeper): a replica whose event loop is busy (a long message's
NLU, a model being loaded) keeps its turn; when a replica dies mid-turn, the customer's next
line (or nginx's retry of the same one) waits seconds for the lease to lapse, not the lock's
whole lifetime (60 s).

Here every change is one atomic Redis operation (Lua scripts): a ticket number from INCR,
the waiting tickets in a sorted set in ticket order, each with its own expiry. A turn goes
ahead when its ticket is the lowest live one; finishing removes only its own ticket. When
Redis does not answer, the turn is refused with LockError: never processed unlocked.

endpoints: lock_store: {type: protheus.rasa_server.lock_store.SequencedRedisLockStore, url: redis://host:6379/1}
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

KEY_PREFIX = "protheus:lock:"
POLL_SECONDS = 0.02  # Rasa's store waits a whole second between checks
# Generous: the read is timed on the wall clock while Rasa's event loop may be busy classifying;
# a short limit refused turns of a healthy Redis under load.
SOCKET_TIMEOUT = 10.0
# A replica that dies mid-turn holds its conversation for at most this long: the retried line
# must still be answered within 5 s (bench/soak.py: with 10 s, the retried turns took 10.8 s).
LEASE_SECONDS = 3.0
RENEW_SECONDS = 0.5  # from a thread, so a busy event loop does not let a live turn's lease lapse
IDLE_KEY_TTL = 24 * 3600  # the ticket counter of a quiet conversation is forgotten after a day

# KEYS: counter, queue (ticket → ticket), expiries (ticket → expiry ms). ARGV: now ms, lifetime ms.
ISSUE = """
local ticket = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, tonumber(ARGV[1]) + tonumber(ARGV[2]))
return ticket
"""
# KEYS: queue, expiries. ARGV: ticket, now ms. Drops expired tickets; 1 when ARGV[1] is served.
SERVED = """
local waiting = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, ticket in ipairs(waiting) do
  local expiry = tonumber(redis.call('HGET', KEYS[2], ticket) or '0')
  if expiry < tonumber(ARGV[2]) then
    redis.call('ZREM', KEYS[1], ticket)
    redis.call('HDEL', KEYS[2], ticket)
  else
    if ticket == ARGV[1] then return 1 end
    return 0
  end
end
return -1
"""
# KEYS: expiries. ARGV: ticket, now ms, lease ms. Renews a live ticket only.
RENEW = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], tonumber(ARGV[2]) + tonumber(ARGV[3]))
  return 1
end
return 0
"""
# KEYS: queue, expiries. ARGV: ticket.
FINISH = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
end
return 1
"""


class LeaseKeeper:
    """Renews the tickets this process holds, from a thread: the lease stays alive as long as the
    process does, however late its event loop runs; a dead replica's tickets lapse."""

    def __init__(self, address: str) -> None:
        import redis

        self._redis = redis.from_url(address, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)
        self._renew = self._redis.register_script(RENEW)
        self._held: dict[tuple[str, int], int] = {}  # (expiries key, ticket) → lease in ms
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None

    def keep(self, expiries: str, ticket: int, lease: float) -> None:
        with self._guard:
            self._held[(expiries, ticket)] = int(lease * 1000)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lock-leases", daemon=True)
                self._thread.start()

    def drop(self, expiries: str, ticket: int) -> None:
        with self._guard:
            self._held.pop((expiries, ticket), None)

    def _snapshot(self) -> list[tuple[tuple[str, int], int]]:
        with self._guard:
            return list(self._held.items())

    def _run(self) -> None:
        while True:
            shortest = min((lease for _, lease in self._snapshot()), default=int(LEASE_SECONDS * 1000)) / 1000
            time.sleep(min(RENEW_SECONDS, shortest / 3))
            held = self._snapshot()  # tickets taken or dropped while it slept
            if not held:
                continue
            try:
                pipe = self._redis.pipeline(transaction=False)
                for (expiries, ticket), lease in held:
                    self._renew(keys=[expiries], args=[ticket, _now_ms(), lease], client=pipe)
                pipe.execute()
            except Exception:  # noqa: BLE001 - the next round may reach it; else the leases lapse
                logger.warning("Could not renew %d lock tickets", len(held))


class SequencedRedisLockStore(LockStore):
    """One conversation's turns one at a time, in the order their tickets were issued, across replicas."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, url: str | None = None) -> None:
        import redis.asyncio as redis

        address = url or (endpoint_config.url if endpoint_config else None) or "redis://127.0.0.1:6379/1"
        self._redis = redis.from_url(address, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)
        self._issue = self._redis.register_script(ISSUE)
        self._served = self._redis.register_script(SERVED)
        self._finish = self._redis.register_script(FINISH)
        self._leases = LeaseKeeper(address)
        super().__init__()

    @staticmethod
    def _keys(conversation_id: str) -> list[str]:
        base = KEY_PREFIX + conversation_id
        return [base + ":next", base + ":queue", base + ":expiry"]

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = POLL_SECONDS
    ) -> AsyncGenerator[TicketLock, None]:
        _, queue, expiries = self._keys(conversation_id)
        lease = min(lock_lifetime, LEASE_SECONDS)
        held = [await self._new_ticket(conversation_id, lease)]  # the ticket now held (it may be issued again)
        try:
            yield await self._wait_for(conversation_id, held, lease, lock_lifetime)
        finally:
            self._leases.drop(expiries, held[0])
            try:
                await self._finish(keys=[queue, expiries], args=[held[0]])
            except Exception:  # noqa: BLE001 - an unfinished ticket expires with its lifetime
                logger.exception("Could not release the lock of %s", conversation_id)

    async def _new_ticket(self, conversation_id: str, lease: float) -> int:
        counter, queue, expiries = self._keys(conversation_id)
        try:
            ticket = int(
                await self._issue(keys=[counter, queue, expiries], args=[_now_ms(), int(lease * 1000), IDLE_KEY_TTL])
            )
        except Exception as error:  # noqa: BLE001 - any Redis failure means "no lock"
            raise LockError(f"El almacén de bloqueos (Redis) no responde: {error}") from error
        self._leases.keep(expiries, ticket, lease)
        return ticket

    async def _wait_for(self, conversation_id: str, held: list[int], lease: float, lock_lifetime: float) -> TicketLock:
        _, queue, expiries = self._keys(conversation_id)
        deadline = time.monotonic() + lock_lifetime
        while True:
            try:
                served = int(await self._served(keys=[queue, expiries], args=[held[0], _now_ms()]))
            except Exception as error:  # noqa: BLE001
                raise LockError(f"El almacén de bloqueos (Redis) no responde: {error}") from error
            if served == 1:  # what Rasa's callers receive; they only use it as a context value
                return TicketLock(conversation_id, deque([Ticket(held[0], time.time() + lock_lifetime)]))
            if time.monotonic() > deadline:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            if served == -1:
                # This waiting ticket lapsed while the process lived but could not renew it (a model
                # loading held the interpreter for seconds): queued again, not refused. It was only
                # waiting, so no turn ran in its name.
                logger.warning("Lock ticket %s of %s lapsed while waiting; queued again", held[0], conversation_id)
                self._leases.drop(expiries, held[0])
                held[0] = await self._new_ticket(conversation_id, lease)
                continue
            await asyncio.sleep(POLL_SECONDS)

    # Rasa's base class stores a whole TicketLock; this store has no such object.
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return None

    def delete_lock(self, conversation_id: str) -> None:
        """Nothing to do: a conversation's keys go when its last ticket is finished."""

    def save_lock(self, lock: TicketLock) -> None:
        """Nothing to do: tickets are changed only by the atomic scripts above."""

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return False

    async def waiting(self, conversation_id: str) -> int:
        """How many tickets of this conversation are waiting or being served (for the tests)."""
        return int(await self._redis.zcard(self._keys(conversation_id)[1]))

    async def close(self) -> None:
        await self._redis.aclose() if hasattr(self._redis, "aclose") else await self._redis.close()


def _now_ms() -> int:
    return int(time.time() * 1000)
