"""Fixed-window counters: per key, per window of any length, in the process or in Redis."""

from protheus.common.rate_counters import MemoryCounter, RedisCounter, counter


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_an_hour_long_window_counts_each_key_until_the_next_hour():
    clock = Clock()
    hourly = MemoryCounter(clock, window_seconds=3600)
    assert [hourly.hit("a") for _ in range(3)] == [1, 2, 3] and hourly.hit("b") == 1
    clock.now += 1800
    assert hourly.hit("a") == 4
    clock.now += 1800
    assert hourly.hit("a") == 1


def test_the_shared_redis_is_used_when_there_is_one(monkeypatch):
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(counter("protheus:prueba:", 3600), MemoryCounter)
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:9/0")
    shared = counter("protheus:prueba:", 3600)
    assert isinstance(shared, RedisCounter) and (shared.prefix, shared.window_seconds) == ("protheus:prueba:", 3600)
