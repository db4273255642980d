"""The event broker lets Rasa start and answer while RabbitMQ is down, keeps the events, and
publishes them in order once RabbitMQ answers (it is reached through a proxy the test opens)."""

import asyncio
import json
import uuid

from protheus.rasa_server import event_broker
from protheus.rasa_server.event_broker import PatientPikaEventBroker
from tests.rabbitmq_fixture import broker_config, rabbitmq_or_skip
from tests.tcp_proxy import Proxy

PROXY_PORT = 26572  # not 25672: RabbitMQ itself listens there (Erlang distribution)


def test_events_published_while_rabbitmq_is_down_arrive_in_order_when_it_answers(monkeypatch):
    import aio_pika

    rabbitmq_or_skip()
    monkeypatch.setattr(event_broker, "RECONNECT_SECONDS", 0.5)
    queue = f"prueba_{uuid.uuid4().hex[:8]}"
    proxy = Proxy(PROXY_PORT, 5672)  # not listening yet: RabbitMQ is "down"
    config = broker_config(PROXY_PORT, queue)

    async def scenario() -> list[dict]:
        broker = await PatientPikaEventBroker.from_endpoint_config(config)  # Rasa starts anyway
        for number in range(3):
            broker.publish({"event": "user", "text": f"mensaje {number}"})
        assert broker.kept() == 3
        proxy.up()
        for _ in range(100):
            await asyncio.sleep(0.1)
            if broker.kept() == 0 and broker.is_ready():
                break
        await asyncio.sleep(0.5)
        connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1:5672/")
        async with connection:
            channel = await connection.channel()
            stored = await channel.declare_queue(queue, durable=True)
            received = []
            while (message := await stored.get(no_ack=True, fail=False)) is not None:
                received.append(json.loads(message.body))
            await stored.delete(if_unused=False, if_empty=False)
        await broker.close()
        return received

    try:
        received = asyncio.run(scenario())
    finally:
        proxy.down()
    assert [event["text"] for event in received] == ["mensaje 0", "mensaje 1", "mensaje 2"]
