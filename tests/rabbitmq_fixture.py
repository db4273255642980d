"""RabbitMQ for the tests (127.0.0.1:5672): required in CI, skipped with a reason elsewhere."""

from __future__ import annotations

import os
import socket

import pytest
from rasa.utils.endpoints import EndpointConfig

BROKER_URL = "amqp://guest:guest@127.0.0.1:5672"


def rabbitmq_or_skip() -> None:
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", 5672)) != 0:
            message = "RabbitMQ no está disponible en 127.0.0.1:5672"
            pytest.fail(message + " (en CI es obligatorio)") if os.environ.get("CI") else pytest.skip(message)


def broker_config(port: int, queue: str) -> EndpointConfig:
    """Rasa's pika broker endpoint on `port` (RabbitMQ itself, or a proxy in front of it)."""
    return EndpointConfig(
        url="127.0.0.1",
        port=port,
        username="guest",
        password="guest",
        queues=[queue],
        connection_attempts=1,
        retry_delay_in_seconds=0.1,
    )


async def delete_queue(queue: str) -> None:
    import aio_pika

    async with await aio_pika.connect(BROKER_URL + "/") as connection:
        await (await connection.channel()).queue_delete(queue)
