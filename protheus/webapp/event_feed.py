"""The console's index fed by the event stream (EVENT_BROKER_URL), in the web app.

The replicas' tracker store publishes every event after writing it, with its `events` id
(protheus.rasa_server.tracker_store). This feed reads them from the broker's queue, in batches, and
has the one indexer take the conversations they name (ConversationStore.catch_up), so the
console's lists are kept current outside the customer's turn and without reading the
events table on each page view. A batch is acknowledged only once indexed: with the database or RabbitMQ down, the
events wait in RabbitMQ's durable queue and the index catches up when both answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from protheus.common import event_stream
from protheus.common.event_stream import STORE_ID_KEY, BrokerAddress
from protheus.db.conversations import ConversationStore

logger = logging.getLogger(__name__)
BATCH = 500
FLUSH_SECONDS = 0.3
RETRY_SECONDS = 5.0


@dataclass
class FeedState:
    connected: bool = False
    indexed: int = 0
    last_indexed_at: float | None = None
    last_error: str = ""


def written_sender(body: dict[str, Any]) -> str | None:
    """The conversation of a published event, if the event is in the database already
    (it carries its id; Rasa's own store publishes before it writes)."""
    sender = body.get("sender_id")
    return sender if isinstance(body.get(STORE_ID_KEY), int) and isinstance(sender, str) else None


class EventFeed:
    def __init__(self, broker_url: str, queue: str, store: ConversationStore) -> None:
        self.address = BrokerAddress.parse(broker_url)
        self.store = store
        self.queue_name = queue
        self.state = FeedState()

    async def run(self) -> None:
        """Consume until cancelled; reconnects and retries by itself."""
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - broker or database: wait and start again
                self.state.connected = False
                self.state.last_error = f"{type(error).__name__}: {error}"[:300]
                logger.warning("Índice de conversaciones: sin eventos del broker (%s); reintento.", error)
                await asyncio.sleep(RETRY_SECONDS)

    async def _consume(self) -> None:
        import aio_pika

        connection = await aio_pika.connect(self.address.amqp_url, timeout=5)
        lost: asyncio.Future = asyncio.get_running_loop().create_future()
        # A queue iterator waits for ever on a connection that was cut: watch the connection.
        connection.close_callbacks.add(lambda *_: _settle(lost))
        async with connection:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=BATCH)
            exchange = await channel.declare_exchange(event_stream.EXCHANGE, type=aio_pika.ExchangeType.FANOUT)
            queue = await channel.declare_queue(self.queue_name, durable=True)
            await queue.bind(exchange, "")
            self.state.connected, self.state.last_error = True, ""
            reading = asyncio.create_task(self._read(queue))
            await asyncio.wait({reading, lost}, return_when=asyncio.FIRST_COMPLETED)
            if reading.done():
                reading.result()  # raises what stopped it
            reading.cancel()
            raise ConnectionError("RabbitMQ cerró la conexión")

    async def _read(self, queue) -> None:
        # Messages go through a queue of our own: cancelling a wait on aio-pika's queue iterator
        # closes the iterator (it did, at every pause in the stream).
        arrived: asyncio.Queue = asyncio.Queue()
        await queue.consume(arrived.put)
        while True:
            await self._index(await _next_batch(arrived))

    async def _index(self, batch: list) -> None:
        senders = [sender for message in batch if (sender := written_sender(_body(message))) is not None]
        try:
            taken = await asyncio.to_thread(self.store.catch_up, senders)
        except Exception:
            for message in batch:  # kept in RabbitMQ for the next attempt
                await message.nack(requeue=True)
            raise
        await batch[-1].ack(multiple=True)
        self.state.indexed += taken
        self.state.last_indexed_at = time.time()


async def _next_batch(arrived: asyncio.Queue) -> list:
    """Up to BATCH messages: waits for the first, then takes what arrives within FLUSH_SECONDS."""
    batch = [await arrived.get()]
    deadline = asyncio.get_running_loop().time() + FLUSH_SECONDS
    while len(batch) < BATCH:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            break
        try:
            batch.append(await asyncio.wait_for(arrived.get(), remaining))
        except asyncio.TimeoutError:
            break
    return batch


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _body(message) -> dict[str, Any]:
    try:
        body = json.loads(message.body)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
