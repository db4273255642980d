"""How many messages a conversation and an address may send a minute (fixed one-minute windows,
counted by protheus.common.rate_counters: in the shared Redis when there is one)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis

from protheus.common.rate_counters import RateCounter, counter
from protheus.common.settings import LOOPBACK_ADDRESSES, messages_per_minute

logger = logging.getLogger(__name__)
KEY_PREFIX = "protheus:mensajes:"


@dataclass
class MessageLimits:
    sender_limit: int
    address_limit: int
    counter: RateCounter

    @classmethod
    def from_settings(cls) -> MessageLimits:
        sender, address = messages_per_minute()
        return cls(sender, address, counter(KEY_PREFIX))

    def allows(self, sender_id: str, address: str | None) -> bool:
        """Counts one message; False when the conversation or the address is over its limit. A
        failing Redis never stops a customer: the message is let through and the failure logged."""
        try:
            if self.counter.hit(f"c:{sender_id}") > self.sender_limit:
                return False
            if address and address not in LOOPBACK_ADDRESSES:
                return self.counter.hit(f"d:{address}") <= self.address_limit
        except redis.RedisError:
            logger.warning("Could not count the messages of %s", sender_id, exc_info=True)
        return True
