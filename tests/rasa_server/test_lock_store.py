"""The lock store across replicas: one turn at a time per conversation, none lost, in ticket
order; Redis down means the turn is refused, not run unlocked. Two processes stand for two
replicas, their turns for one conversation arriving at the same moment."""

import asyncio
import json
import subprocess
import sys

import pytest
from rasa.core.lock_store import LockError

from protheus.rasa_server.lock_store import SequencedRedisLockStore

# One replica: `turns` concurrent turns on each of `conversations` conversations; inside the
# lock each turn checks that no other turn of its conversation is inside (a Redis counter).
REPLICA = r"""
import asyncio, json, sys, time
import redis
from protheus.rasa_server.lock_store import SequencedRedisLockStore
from rasa.core.lock_store import RedisLockStore

url, kind = sys.argv[1], sys.argv[2]
conversations, turns, start = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
shared = redis.from_url(url)
if kind == "stock":
    store = RedisLockStore(host="127.0.0.1", port=6379, db=int(url.rsplit("/", 1)[1]))
else:
    store = SequencedRedisLockStore(url=url)

async def turn(conversation, results):
    try:
        async with store.lock(conversation, lock_lifetime=20, wait_time_in_seconds=0.02):
            inside = shared.incr("inside:" + conversation)
            results["overlaps"] += inside > 1
            await asyncio.sleep(0.01)
            shared.decr("inside:" + conversation)
            shared.rpush("done:" + conversation, 1)
    except Exception as error:
        results["errors"] += 1

async def main():
    results = {"overlaps": 0, "errors": 0}
    time.sleep(max(0.0, start - time.time()))
    await asyncio.gather(*(turn(f"c{c}", results) for c in range(conversations) for _ in range(turns)))
    print(json.dumps(results))

asyncio.run(main())
"""


def run_replicas(url: str, kind: str, conversations: int, turns: int) -> dict[str, int]:
    import time

    start = str(time.time() + 2)
    replicas = [
        subprocess.Popen(
            [sys.executable, "-c", REPLICA, url, kind, str(conversations), str(turns), start],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    totals = {"overlaps": 0, "errors": 0}
    for replica in replicas:
        out, _ = replica.communicate(timeout=120)
        for key, value in json.loads(out.strip().splitlines()[-1]).items():
            totals[key] += value
    import redis

    shared = redis.from_url(url)
    totals["done"] = sum(shared.llen(f"done:c{c}") for c in range(conversations))
    return totals


@pytest.mark.parametrize("burst", [2, 4])
def test_two_replicas_never_run_one_conversation_twice_at_once(redis_url, burst):
    conversations = 25
    totals = run_replicas(redis_url, "sequenced", conversations, burst // 2)
    assert totals == {"overlaps": 0, "errors": 0, "done": conversations * (burst // 2) * 2}


def test_tickets_are_served_in_the_order_they_were_issued(redis_url):
    store = SequencedRedisLockStore(url=redis_url)
    order: list[int] = []

    async def turn(number: int) -> None:
        await asyncio.sleep(number * 0.005)  # tickets issued 1, 2, 3, ...
        async with store.lock("orden", lock_lifetime=10):
            order.append(number)
            await asyncio.sleep(0.02)

    async def main() -> None:
        await asyncio.gather(*(turn(n) for n in range(8)))
        assert await store.waiting("orden") == 0  # nothing left behind

    asyncio.run(main())
    assert order == list(range(8))


def test_redis_down_refuses_the_turn():
    store = SequencedRedisLockStore(url="redis://127.0.0.1:9/0")

    async def main() -> None:
        async with store.lock("sin-redis"):
            pytest.fail("the turn ran without a lock")

    with pytest.raises(LockError, match="no responde"):
        asyncio.run(main())


def test_a_replica_that_dies_mid_turn_holds_the_conversation_for_its_lease_not_a_minute(redis_url, monkeypatch):
    import time

    from protheus.rasa_server import lock_store

    monkeypatch.setattr(lock_store, "LEASE_SECONDS", 0.6)
    dead, alive = SequencedRedisLockStore(url=redis_url), SequencedRedisLockStore(url=redis_url)

    monkeypatch.setattr(dead._leases, "keep", lambda *args: None)  # the replica's process is gone

    async def main() -> float:
        await dead.lock("muerta").__aenter__()  # lock lifetime: Rasa's 60 s
        started = time.monotonic()
        async with alive.lock("muerta"):
            return time.monotonic() - started

    assert asyncio.run(main()) < 3


def test_a_turn_longer_than_the_lease_keeps_its_turn(redis_url, monkeypatch):
    from protheus.rasa_server import lock_store

    monkeypatch.setattr(lock_store, "LEASE_SECONDS", 0.6)
    store = SequencedRedisLockStore(url=redis_url)
    order: list[str] = []

    async def turn(name: str, seconds: float) -> None:
        async with store.lock("larga"):
            order.append(f"{name} empieza")
            await asyncio.sleep(seconds)
            order.append(f"{name} termina")

    async def main() -> None:
        first = asyncio.create_task(turn("primero", 2.0))  # three leases long
        await asyncio.sleep(0.1)
        await turn("segundo", 0)
        await first

    asyncio.run(main())
    assert order == ["primero empieza", "primero termina", "segundo empieza", "segundo termina"]


def test_a_replica_whose_event_loop_is_busy_longer_than_the_lease_keeps_its_turn(redis_url, monkeypatch):
    """The lease is renewed from a thread: a replica busy for several leases (a long message's
    NLU, a model loading) is not taken for dead (renewed from its event loop, it was)."""
    import threading
    import time

    from protheus.rasa_server import lock_store

    monkeypatch.setattr(lock_store, "LEASE_SECONDS", 0.6)
    busy, other = SequencedRedisLockStore(url=redis_url), SequencedRedisLockStore(url=redis_url)
    order: list[str] = []
    inside = threading.Event()

    def busy_replica() -> None:
        async def main() -> None:
            async with busy.lock("ocupada"):
                order.append("ocupada empieza")
                inside.set()
                time.sleep(2.0)  # the event loop does not run for three leases
                order.append("ocupada termina")

        asyncio.run(main())

    thread = threading.Thread(target=busy_replica)
    thread.start()
    inside.wait(10)

    async def next_turn() -> None:
        async with other.lock("ocupada"):
            order.append("la siguiente")

    asyncio.run(next_turn())
    thread.join()
    assert order == ["ocupada empieza", "ocupada termina", "la siguiente"]


def test_a_waiting_ticket_that_lapsed_while_its_process_was_busy_is_queued_again_not_refused(redis_url, monkeypatch):
    """A replica loading a model can hold its interpreter longer than a lease: its waiting
    tickets lapsed and the customer's line was refused (found by the e2e replica-kill test)."""
    from protheus.rasa_server import lock_store

    monkeypatch.setattr(lock_store, "LEASE_SECONDS", 0.6)
    holder, waiter = SequencedRedisLockStore(url=redis_url), SequencedRedisLockStore(url=redis_url)
    monkeypatch.setattr(waiter._leases, "keep", lambda *args: None)  # its renewals never run
    order: list[str] = []

    async def hold() -> None:
        async with holder.lock("ocupada"):
            order.append("primero empieza")
            await asyncio.sleep(2.0)  # three of the waiter's leases
            order.append("primero termina")

    async def wait() -> None:
        await asyncio.sleep(0.1)
        async with waiter.lock("ocupada"):
            order.append("segundo")

    async def main() -> None:
        await asyncio.gather(hold(), wait())

    asyncio.run(main())
    assert order == ["primero empieza", "primero termina", "segundo"]
