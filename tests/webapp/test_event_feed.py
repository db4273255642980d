"""The console's index fed by the event stream: what the replicas' tracker store publishes to
RabbitMQ reaches the index once, and, with RabbitMQ down meanwhile, when it answers again."""

import asyncio
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from protheus.common.event_stream import STORE_ID_KEY
from protheus.common.settings import TRACKER_STATUS_ENV
from protheus.db.conversations import ConversationFilter, ConversationStore
from protheus.rasa_server import event_broker
from protheus.rasa_server.event_broker import PatientPikaEventBroker
from protheus.rasa_server.tracker_store import ObservedSQLTrackerStore
from protheus.webapp import event_feed
from protheus.webapp.event_feed import EventFeed, written_sender
from tests.rabbitmq_fixture import BROKER_URL, broker_config, delete_queue, rabbitmq_or_skip
from tests.tcp_proxy import Proxy

PROXY_PORT = 26573


def test_only_events_already_written_name_a_conversation_to_index():
    assert written_sender({"sender_id": "c1", "event": "user", "text": "hola", STORE_ID_KEY: 7}) == "c1"
    assert written_sender({"sender_id": "c1", "event": "user"}) is None  # Rasa's store: not written yet


async def _wait_for(condition, seconds: float = 15.0) -> bool:
    for _ in range(int(seconds * 10)):
        if await asyncio.to_thread(condition):
            return True
        await asyncio.sleep(0.1)
    return False


def test_the_index_follows_the_stream_and_catches_up_after_rabbitmq_returns(db, tmp_path, monkeypatch):

    rabbitmq_or_skip()
    monkeypatch.setenv(TRACKER_STATUS_ENV, str(tmp_path / "estado.json"))
    monkeypatch.setattr(event_broker, "RECONNECT_SECONDS", 0.5)
    monkeypatch.setattr(event_feed, "RETRY_SECONDS", 0.5)
    queue = f"prueba_{uuid.uuid4().hex[:8]}"
    index = ConversationStore(db)
    proxy = Proxy(PROXY_PORT, 5672)

    def turns(sender: str) -> int:
        rows, _ = index.page(ConversationFilter())
        return next((r.turns for r in rows if r.sender_id == sender), 0)

    async def scenario() -> tuple[int, int, int, bool]:
        proxy.up()
        broker = await PatientPikaEventBroker.from_endpoint_config(broker_config(PROXY_PORT, queue))
        store = ObservedSQLTrackerStore(domain=Domain.empty(), host=db.url, event_broker=broker)
        feed = EventFeed(f"amqp://guest:guest@127.0.0.1:{PROXY_PORT}", queue, index)
        task = asyncio.create_task(feed.run())
        conversation = DialogueStateTracker.from_events(
            "cliente-flujo",
            [UserUttered("necesito un query de ventas", {"name": "consulta_sql", "confidence": 0.9})],
        )
        await store.save(conversation)
        first = await _wait_for(lambda: turns("cliente-flujo") == 1)
        proxy.down()  # RabbitMQ goes away: the customer's turns are still stored and answered
        await asyncio.sleep(1.0)
        conversation.update(ActionExecuted("utter_consulta_sql"))
        conversation.update(BotUttered("Las consultas SQL a medida…"))
        conversation.update(UserUttered("gracias", {"name": "agradecimiento", "confidence": 0.99}))
        await store.save(conversation)
        while_down = turns("cliente-flujo")
        disconnected = not feed.state.connected
        proxy.up()
        caught_up = await _wait_for(lambda: turns("cliente-flujo") == 2, 30)
        task.cancel()
        await broker.close()
        store.engine.dispose()
        await delete_queue(queue)
        return first, while_down, caught_up, disconnected

    try:
        first, while_down, caught_up, disconnected = asyncio.run(scenario())
    finally:
        proxy.down()
    assert first, "the first turn did not reach the index through the stream"
    assert while_down == 1 and disconnected  # not indexed while RabbitMQ is away, and the feed knows it
    assert caught_up, "the turn published while RabbitMQ was down did not reach the index"
    [row], _ = index.page(ConversationFilter(text="gracias"))
    assert row.sender_id == "cliente-flujo" and row.intents == ["consulta_sql", "agradecimiento"]


@pytest.mark.parametrize("broker_url, read", [("", 1), ("amqp://127.0.0.1:5672", 0)])
def test_a_page_view_reads_the_events_table_only_without_a_stream(db, tmp_path, broker_url, read):
    from protheus.webapp.console.context import ConsoleContext
    from tests.events import store, user

    store(db, "web-1", [user("hola", "saludo", 0.99)], 1000.0)
    ctx = ConsoleContext.create(db.url, "http://127.0.0.1:1", "x", tmp_path / "estado.json", "UTC", broker_url)
    assert (ctx.feed is not None) == bool(broker_url)
    assert ctx.refresh_index() == read


def test_a_pause_in_the_stream_keeps_the_feed_connected(db, tmp_path, monkeypatch):
    """Waiting for the next event must not close the consumer (aio-pika's iterator did)."""
    rabbitmq_or_skip()
    monkeypatch.setenv(TRACKER_STATUS_ENV, str(tmp_path / "estado.json"))
    queue = f"prueba_{uuid.uuid4().hex[:8]}"
    index = ConversationStore(db)

    def turns(sender: str) -> int:
        rows, _ = index.page(ConversationFilter())
        return next((r.turns for r in rows if r.sender_id == sender), 0)

    async def scenario() -> tuple[bool, bool, str]:

        broker = await PatientPikaEventBroker.from_endpoint_config(broker_config(5672, queue))
        store = ObservedSQLTrackerStore(domain=Domain.empty(), host=db.url, event_broker=broker)
        feed = EventFeed(BROKER_URL, queue, index)
        task = asyncio.create_task(feed.run())
        conversation = DialogueStateTracker.from_events("pausa", [UserUttered("hola")])
        await store.save(conversation)
        first = await _wait_for(lambda: turns("pausa") == 1, 5)
        await asyncio.sleep(event_feed.FLUSH_SECONDS * 5)  # the customer thinks
        conversation.update(UserUttered("tengo un error al timbrar"))
        await store.save(conversation)
        second = await _wait_for(lambda: turns("pausa") == 2, 3)
        error = feed.state.last_error
        task.cancel()
        await broker.close()
        store.engine.dispose()
        await delete_queue(queue)
        return first, second, error

    first, second, error = asyncio.run(scenario())
    assert first and second and error == ""
