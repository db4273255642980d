"""Messages per minute per conversation and per address, in the process or in Redis."""

import pytest

from protheus.common.rate_counters import MemoryCounter, RedisCounter
from protheus.common.settings import SettingError
from protheus.rasa_server.rate_limit import MessageLimits
from tests.redis_fixture import redis_url  # noqa: F401 - fixture


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_020.0

    def __call__(self) -> float:
        return self.now


def test_a_conversation_over_its_limit_is_refused_until_the_next_minute():
    clock = Clock()
    limits = MessageLimits(3, 100, MemoryCounter(clock))
    assert [limits.allows("c1", "203.0.113.1") for _ in range(4)] == [True, True, True, False]
    assert limits.allows("c2", "203.0.113.1")  # another conversation
    clock.now += 60
    assert limits.allows("c1", "203.0.113.1")


def test_an_address_over_its_limit_is_refused_whatever_the_conversation():
    limits = MessageLimits(100, 3, MemoryCounter(Clock()))
    assert [limits.allows(f"c{i}", "203.0.113.2") for i in range(4)] == [True, True, True, False]
    assert limits.allows("c9", "203.0.113.3")


def test_loopback_has_no_address_limit():
    limits = MessageLimits(100, 1, MemoryCounter(Clock()))
    assert all(limits.allows(f"c{i}", "127.0.0.1") for i in range(10))


def test_the_replicas_share_the_counters_in_redis(redis_url):  # noqa: F811
    clock = Clock()
    one = MessageLimits(2, 100, RedisCounter(redis_url, clock))
    other = MessageLimits(2, 100, RedisCounter(redis_url, clock))
    assert one.allows("compartida", None) and other.allows("compartida", None)
    assert not one.allows("compartida", None)


def test_a_failing_redis_lets_the_customer_through():
    limits = MessageLimits(1, 1, RedisCounter("redis://127.0.0.1:9/0"))
    assert limits.allows("c1", "203.0.113.4") and limits.allows("c1", "203.0.113.4")


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_refused_by_name(monkeypatch, limit):
    monkeypatch.setenv("MESSAGES_PER_MINUTE_SENDER", str(limit))
    with pytest.raises(SettingError, match="MESSAGES_PER_MINUTE_SENDER debe ser al menos 1"):
        MessageLimits.from_settings()
