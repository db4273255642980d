"""The event broker lets Rasa start and answer while RabbitMQ is down, keeps the events, and
publishes them in order once RabbitMQ answers (it is reached through a proxy the test opens)."""

import asyncio
import json
import os
import socket
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from protheus import event_broker
from protheus.event_broker import PatientPikaEventBroker
from tests.tcp_proxy import Proxy

PROXY_PORT = 26572  # not 25672: RabbitMQ itself listens there (Erlang distribution)


def _rabbitmq_or_skip() -> None:
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", 5672)) != 0:
            message = "RabbitMQ no está disponible en 127.0.0.1:5672"
            pytest.fail(message + " (en CI es obligatorio)") if os.environ.get("CI") else pytest.skip(message)


def test_events_published_while_rabbitmq_is_down_arrive_in_order_when_it_answers(monkeypatch):
    import aio_pika

    _rabbitmq_or_skip()
    monkeypatch.setattr(event_broker, "RECONNECT_SECONDS", 0.5)
    queue = f"prueba_{uuid.uuid4().hex[:8]}"
    proxy = Proxy(PROXY_PORT, 5672)  # not listening yet: RabbitMQ is "down"
    config = EndpointConfig(
        url="127.0.0.1",
        port=PROXY_PORT,
        username="guest",
        password="guest",
        queues=[queue],
        connection_attempts=1,
        retry_delay_in_seconds=0.1,
    )

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
