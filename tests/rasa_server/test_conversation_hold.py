"""Two replicas of Rasa's tracker store on one PostgreSQL and the Redis they share, through a
database outage: a customer's lines alternate between the replicas, the conversation goes on
where it stands, and afterwards every event is in the database once, in order (issue 25)."""

import asyncio
import json
import threading
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from protheus.common.settings import TRACKER_STATUS_ENV
from protheus.common.store_status import read_status
from protheus.rasa_server import tracker_store
from protheus.rasa_server.conversation_hold import HELD_INDEX, RedisHold
from protheus.rasa_server.tracker_store import ObservedSQLTrackerStore
from tests.database_fixture import _postgres_database
from tests.rasa_server.test_tracker_store import Outage


@pytest.fixture
def postgres_url():
    admin, name, url = _postgres_database()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def replicas(postgres_url, redis_url, tmp_path, monkeypatch):
    """Two stores as two replicas would create them from the same endpoints.yml. Their write-back
    in the background is left to the tests that call it: each turn here is its own event loop."""
    monkeypatch.setattr(tracker_store, "WRITE_BACK_DELAY", 3600)
    made = []
    for name in ("a", "b"):
        monkeypatch.setenv(TRACKER_STATUS_ENV, str(tmp_path / f"estado-{name}.json"))
        made.append(ObservedSQLTrackerStore(domain=Domain.empty(), host=postgres_url, hold_url=redis_url))
    yield made
    for store in made:
        store.engine.dispose()


def turn(store: ObservedSQLTrackerStore, sender: str, line: str) -> list[str]:
    """One customer turn on `store`; returns the customer lines the replica saw before it."""
    current = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, slots=[])
    seen = [e.text for e in current.events if isinstance(e, UserUttered)]
    current.update(UserUttered(line))
    current.update(BotUttered(f"respuesta a «{line}»"))
    asyncio.run(store.save(current))
    return seen


def stored(url: str, sender: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).all()
    engine.dispose()
    return [(kind, json.loads(data)["text"]) for kind, data in rows]


def conversation(lines: list[str]) -> list[tuple[str, str]]:
    return [event for line in lines for event in (("user", line), ("bot", f"respuesta a «{line}»"))]


def test_lines_alternating_between_replicas_through_an_outage_are_written_once_in_order(
    replicas, postgres_url, redis_url, tmp_path, monkeypatch
):
    a, b = replicas
    outage = Outage(monkeypatch)
    lines = ["necesito capacitación en compras", "sí, acepto", "STD01", "ana@cliente.mx", "gracias"]
    turn(a, "cli", lines[0])
    outage.down = True
    # b never served this customer: it continues from the copy a left in Redis, then from the hold
    assert turn(b, "cli", lines[1]) == lines[:1]
    assert turn(a, "cli", lines[2]) == lines[:2]
    assert turn(b, "cli", lines[3]) == lines[:3]
    held = read_status(tmp_path / "estado-b.json")
    assert held["estado"] == "fallo" and held["retenidas"] == 1 and held["turnos_retenidos"] == 3

    outage.down = False
    assert turn(a, "cli", lines[4]) == lines[:4]
    assert stored(postgres_url, "cli") == conversation(lines)
    after = read_status(tmp_path / "estado-a.json")
    assert after["estado"] == "ok" and after["retenidas"] == 0 and after["turnos_escritos"] == 3
    assert RedisHold(redis_url).counts() == (0, 0)


def test_a_replica_with_a_stale_copy_never_drops_the_customer_s_words(replicas, postgres_url):
    """Rasa counts the stored events to find the new ones: a tracker older than the database
    lost its customer's message that way (the issue's outage: 2 of 6 messages stored)."""
    a, b = replicas
    turn(a, "cli", "hola")
    stale = asyncio.run(b.retrieve("cli"))
    turn(a, "cli", "quiero una consultoría")
    turn(a, "cli", "para compras")
    stale.update(UserUttered("sí, acepto"))
    asyncio.run(b.save(stale))
    users = [line for kind, line in stored(postgres_url, "cli") if kind == "user"]
    assert users == ["hola", "quiero una consultoría", "para compras", "sí, acepto"]


def _hold_conversations(store, monkeypatch, count: int) -> Outage:
    outage = Outage(monkeypatch)
    outage.down = True
    for index in range(count):
        turn(store, f"cli-{index}", "mi factura no timbra")
        turn(store, f"cli-{index}", "en SIGAFAT")
    outage.down = False
    return outage


def write_back_at_once(*stores) -> None:
    """Each store writes back the held conversations, all starting at the same moment."""
    start = threading.Barrier(len(stores))

    def write_back(store):
        start.wait()
        while store._write_held():
            pass

    threads = [threading.Thread(target=write_back, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_write_back_cut_after_its_commit_is_not_written_twice(replicas, postgres_url, monkeypatch):
    a, b = replicas
    _hold_conversations(a, monkeypatch, 1)
    held = a.hold.held("cli-0")
    a._write("cli-0", held.events)  # a dies here: written, the hold not released
    asyncio.run(b.write_back())
    assert stored(postgres_url, "cli-0") == conversation(["mi factura no timbra", "en SIGAFAT"])
    assert b.hold.counts() == (0, 0)


def test_two_replicas_writing_back_at_once_write_each_event_once(replicas, postgres_url, monkeypatch):
    a, b = replicas
    _hold_conversations(a, monkeypatch, 25)
    write_back_at_once(a, b)
    for index in range(25):
        assert stored(postgres_url, f"cli-{index}") == conversation(["mi factura no timbra", "en SIGAFAT"])
    assert a.hold.counts() == (0, 0)


def test_without_the_per_conversation_lock_concurrent_write_backs_repeat_events(replicas, postgres_url, monkeypatch):
    """The check above can fail: without the database lock the same race duplicates events."""
    a, b = replicas
    _hold_conversations(a, monkeypatch, 25)
    for store in (a, b):
        store._postgres = False
    real_unstored = ObservedSQLTrackerStore._unstored

    def slow_unstored(self, session, sender_id, events):
        found = real_unstored(self, session, sender_id, events)
        threading.Event().wait(0.005)  # both replicas read before either writes
        return found

    monkeypatch.setattr(ObservedSQLTrackerStore, "_unstored", slow_unstored)

    write_back_at_once(a, b)
    lengths = [len(stored(postgres_url, f"cli-{index}")) for index in range(25)]
    assert max(lengths) > 4


def test_a_hold_that_grew_meanwhile_is_not_released(replicas, postgres_url, monkeypatch):
    a, b = replicas
    outage = _hold_conversations(a, monkeypatch, 1)
    read_before = a.hold.held("cli-0")
    outage.down = True
    turn(b, "cli-0", "sigue sin timbrar")  # another turn held by b while a writes the older hold
    outage.down = False
    a._write("cli-0", read_before.events)
    a._released("cli-0", len(read_before.events))
    assert a.hold.held("cli-0") is not None  # b's turn is not in the database yet
    asyncio.run(a.write_back())
    lines = ["mi factura no timbra", "en SIGAFAT", "sigue sin timbrar"]
    assert stored(postgres_url, "cli-0") == conversation(lines)
    assert a.hold.counts() == (0, 0)


def test_the_retry_loop_writes_held_conversations_without_new_turns(replicas, postgres_url, monkeypatch):
    a, _ = replicas
    monkeypatch.setattr(tracker_store, "RETRY_SECONDS", 0.05)
    outage = Outage(monkeypatch)

    async def scenario() -> None:
        outage.down = True
        tracker = DialogueStateTracker.from_events("cli", [UserUttered("hola")])
        await a.save(tracker)
        outage.down = False
        for _ in range(100):
            await asyncio.sleep(0.05)
            if a.hold.counts() == (0, 0) and read_status(a.status.path)["estado"] == "ok":
                return

    asyncio.run(scenario())
    assert stored(postgres_url, "cli") == [("user", "hola")]
    assert read_status(a.status.path)["estado"] == "ok"


def test_the_copy_in_redis_follows_the_database(replicas, redis_url):
    a, _ = replicas
    turn(a, "cli", "hola")
    turn(a, "cli", "necesito un respaldo")
    copy = RedisHold(redis_url).recent("cli")
    assert [e.get("text") for e in copy] == [
        "hola",
        "respuesta a «hola»",
        "necesito un respaldo",
        "respuesta a «necesito un respaldo»",
    ]
    import redis

    redis.from_url(redis_url).delete("protheus:conversation:recent:cli")  # expired
    turn(a, "cli", "gracias")
    assert len(RedisHold(redis_url).recent("cli")) == 6  # written whole again
    assert not redis.from_url(redis_url).exists(HELD_INDEX)


def test_reading_the_whole_conversation_during_the_outage_gives_the_hold(replicas, monkeypatch):
    """The REST tracker endpoint reads every session: during the outage Rasa's wrapper answered
    a new, empty conversation, and saving it replaced the hold (found by the outage e2e test)."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    a, b = replicas
    outage = _hold_conversations(a, monkeypatch, 1)
    outage.down = True
    whole = asyncio.run(FailSafeTrackerStore(b).retrieve_full_tracker("cli-0"))
    assert [e.text for e in whole.events if isinstance(e, UserUttered)] == ["mi factura no timbra", "en SIGAFAT"]


def test_a_shorter_copy_saved_during_the_outage_never_shrinks_the_hold(replicas, postgres_url, monkeypatch):
    a, b = replicas
    outage = _hold_conversations(a, monkeypatch, 1)
    outage.down = True
    anew = DialogueStateTracker("cli-0", slots=[])  # made by a caller that could not read it
    anew.update(UserUttered("¿siguen ahí?"))
    asyncio.run(b.save(anew))
    assert b.hold.held("cli-0").turns == 3
    outage.down = False
    asyncio.run(b.write_back())
    users = [line for kind, line in stored(postgres_url, "cli-0") if kind == "user"]
    assert users == ["mi factura no timbra", "en SIGAFAT", "¿siguen ahí?"]


def _recorded_writes(monkeypatch) -> list[str]:
    """The conversations the stores write to the database, in order, as they write them."""
    writes: list[str] = []
    real_write = ObservedSQLTrackerStore._append

    def counted(self, session, sender_id, events):
        writes.append(sender_id)
        return real_write(self, session, sender_id, events)

    monkeypatch.setattr(ObservedSQLTrackerStore, "_append", counted)
    return writes


def test_a_turn_after_the_outage_does_not_wait_for_other_conversations_write_back(replicas, monkeypatch):
    """After 30 s without the database a hundred conversations are held; writing them inside
    each turn delayed replies by 6–8 s (bench/soak.py). The turn writes its own conversation;
    the retry loop writes the others, one at a time between turns."""
    a, b = replicas
    _hold_conversations(a, monkeypatch, 10)
    writes = _recorded_writes(monkeypatch)
    turn(b, "otro", "hola")
    assert writes == ["otro"]
    asyncio.run(b.write_back())
    assert len(writes) == 11 and b.hold.counts() == (0, 0)


def test_turns_go_on_between_two_held_conversations_written_back(replicas, monkeypatch):
    """The write-back gives the event loop back after each conversation: a replica's turns wait
    for one conversation's write at most, never for a hundred (nor compete with a thread)."""
    a, _ = replicas
    _hold_conversations(a, monkeypatch, 5)
    writes = _recorded_writes(monkeypatch)
    ticks: list[int] = []

    async def scenario() -> None:
        writing = asyncio.create_task(a.write_back())
        while not writing.done():
            ticks.append(len(writes))  # what a turn arriving now would find written
            await asyncio.sleep(0.005)

    asyncio.run(scenario())
    assert a.hold.counts() == (0, 0)
    assert {1, 2, 3, 4} <= set(ticks)


def test_a_write_back_skips_a_conversation_another_writer_holds_and_writes_it_later(
    replicas, postgres_url, monkeypatch
):
    a, _ = replicas
    _hold_conversations(a, monkeypatch, 3)
    engine = create_engine(postgres_url)
    with engine.connect() as other:  # another replica in the middle of writing cli-1
        transaction = other.begin()
        other.execute(tracker_store.ADVISORY_LOCK, {"sender_id": "cli-1"})
        started = time.perf_counter()
        asyncio.run(a.write_back())
        assert time.perf_counter() - started < 2  # not waiting for the other writer
        assert a.hold.senders() == ["cli-1"]
        transaction.rollback()
    engine.dispose()
    asyncio.run(a.write_back())
    assert stored(postgres_url, "cli-1") == conversation(["mi factura no timbra", "en SIGAFAT"])
    assert a.hold.counts() == (0, 0)


def test_events_written_in_one_statement_are_announced_with_their_own_ids(replicas, postgres_url, monkeypatch):
    from protheus.common.event_stream import STORE_ID_KEY

    a, _ = replicas
    published: list[dict] = []
    a.event_broker = type("Broker", (), {"publish": lambda self, event: published.append(event)})()
    outage = _hold_conversations(a, monkeypatch, 1)
    outage.down = True
    turn(a, "cli-0", "sigue sin timbrar")
    outage.down = False
    asyncio.run(a.write_back())  # six events in one INSERT
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, data FROM events WHERE sender_id = 'cli-0' ORDER BY id")).all()
    engine.dispose()
    assert len(rows) == 6
    assert [(e[STORE_ID_KEY], e["text"]) for e in published] == [(i, json.loads(data)["text"]) for i, data in rows]


def _no_full_reads(monkeypatch) -> list[str]:
    """Rasa's full read (every event of the conversation, replayed), recorded."""
    from rasa.core.tracker_store import SQLTrackerStore

    reads: list[str] = []
    real = SQLTrackerStore.retrieve

    async def recorded(self, sender_id):
        reads.append(sender_id)
        return await real(self, sender_id)

    monkeypatch.setattr(SQLTrackerStore, "retrieve", recorded)
    return reads


def test_the_tracker_a_replica_saved_is_handed_back_without_reading_the_conversation_again(replicas, monkeypatch):
    a, _ = replicas
    turn(a, "cli", "hola")
    reads = _no_full_reads(monkeypatch)
    assert turn(a, "cli", "¿qué es el soporte prime?") == ["hola"]
    assert turn(a, "cli", "gracias") == ["hola", "¿qué es el soporte prime?"]
    assert reads == []
    asyncio.run(a.retrieve("cli"))
    asyncio.run(a.retrieve("cli"))  # handed over once: a second read without a save reads the database
    assert reads == ["cli"]


def test_a_replica_never_hands_back_its_tracker_after_another_replica_wrote(replicas, monkeypatch):
    a, b = replicas
    turn(a, "cli", "hola")
    turn(b, "cli", "¿qué es el soporte prime?")
    reads = _no_full_reads(monkeypatch)
    assert turn(a, "cli", "gracias") == ["hola", "¿qué es el soporte prime?"]
    assert reads == ["cli"]


def test_a_tracker_changed_after_it_was_saved_is_not_handed_back(replicas, monkeypatch):
    a, _ = replicas
    turn(a, "cli", "hola")
    saved = a._cache["cli"][0]
    saved.update(UserUttered("nunca guardado"))  # a turn that failed before saving
    seen = [e.text for e in asyncio.run(a.retrieve("cli")).events if isinstance(e, UserUttered)]
    assert seen == ["hola"]


def test_a_new_session_is_read_from_its_start_as_rasa_reads_it(replicas):
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    a, _ = replicas
    turn(a, "cli", "hola")
    current = asyncio.run(a.retrieve("cli"))
    current.update(ActionExecuted("action_session_start"))
    current.update(SessionStarted())
    current.update(UserUttered("vuelvo mañana"))
    asyncio.run(a.save(current))
    assert "cli" not in a._cache
    again = asyncio.run(a.retrieve("cli"))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["vuelvo mañana"]
