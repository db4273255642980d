"""A Redis database for the tests: fails in CI and skips elsewhere when the server is absent."""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def emptied_or_skip(url: str):
    """The Redis database at `url`, emptied; fails in CI and skips elsewhere when it does not answer."""
    import redis

    client = redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError as error:
        message = f"Redis no está disponible en {url}: {error.__class__.__name__}"
        if os.environ.get("CI"):
            pytest.fail(message + " (en CI es obligatorio)")
        pytest.skip(message)
    return client


@pytest.fixture
def redis_url() -> str:
    client = emptied_or_skip(REDIS_URL)
    yield REDIS_URL
    client.flushdb()
