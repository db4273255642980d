"""The event stream the replicas publish to RabbitMQ (EVENT_BROKER_URL), as both ends see it.

Kept free of Rasa imports: the web app reads the stream without loading Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

EXCHANGE = "rasa-exchange"  # Rasa's PikaEventBroker default; the feed declares it as Rasa does
STORE_ID_KEY = "protheus_event_id"  # in a published event: its id in the events table


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str
    password: str

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 5672
        return cls(host, port, parts.username or "guest", parts.password or "guest")

    @property
    def amqp_url(self) -> str:
        return f"amqp://{self.username}:{self.password}@{self.host}:{self.port}/"
