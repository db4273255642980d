"""Rasa's RabbitMQ event broker, patient with a broker that is down.

Rasa's PikaEventBroker refuses to let Rasa start when RabbitMQ does not answer, and drops
every event published before its first connection. Customers must be answered whatever the
broker does: this one starts anyway, keeps the events (up to MAX_KEPT) and publishes them,
in order, once it connects, retrying every RECONNECT_SECONDS.

endpoints: event_broker: {type: protheus.rasa_server.event_broker.PatientPikaEventBroker, url: host, ...}
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

import rasa.shared.core.events  # noqa: F401 - Rasa's _publish uses it without importing it
from rasa.core.brokers.pika import PikaEventBroker
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
MAX_KEPT = 100_000
RECONNECT_SECONDS = 5.0


class PatientPikaEventBroker(PikaEventBroker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unpublished_events: deque[dict[str, Any]] = deque(maxlen=MAX_KEPT)
        self._reconnecting: asyncio.Task | None = None

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig | None, event_loop: asyncio.AbstractEventLoop | None = None
    ) -> PatientPikaEventBroker | None:
        if broker_config is None:
            return None
        broker = cls(broker_config.url, **broker_config.kwargs, event_loop=event_loop)
        try:
            await broker.connect()
        except Exception as error:  # noqa: BLE001 - any connection failure: start anyway
            logger.error("RabbitMQ no responde (%s): los eventos se guardan y se publicarán al conectar.", error)
            broker._keep_reconnecting()
        return broker

    def _keep_reconnecting(self) -> None:
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = self._loop.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while self._exchange is None:
            await asyncio.sleep(RECONNECT_SECONDS)
            try:
                await self.connect()
            except Exception:  # noqa: BLE001
                continue
            logger.warning("RabbitMQ responde: se publican %d eventos guardados.", len(self._unpublished_events))
            self._publish_unpublished_messages()

    def publish(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        if self._exchange is None:  # not connected yet: keep it (Rasa's broker would drop it)
            self._unpublished_events.append(event)
            return
        super().publish(event, headers)

    def kept(self) -> int:
        return len(self._unpublished_events)
