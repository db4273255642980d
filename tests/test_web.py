"""The support page: served in Spanish, with the chat bundle, and never the API token."""
import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from protheus import settings
from protheus.web import WEBCHAT_BUNDLE, create_app


async def fetch(path: str, headers: dict | None = None) -> tuple[int, str, dict]:
    async with TestClient(TestServer(create_app(rasa_port=5005))) as client:
        response = await client.get(path, headers=headers or {})
        return response.status, await response.text(), dict(response.headers)


def get(path: str, headers: dict | None = None):
    return asyncio.run(fetch(path, headers))


def test_page_is_spanish_and_loads_the_chat():
    status, body, headers = get("/")
    assert status == 200 and '<html lang="es">' in body
    assert "/vendor/webchat.js" in body and "/config.js" in body
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_config_points_to_rasa_without_the_token(monkeypatch):
    monkeypatch.delenv("RASA_PUBLIC_URL", raising=False)
    status, body, _ = get("/config.js", {"Host": "soporte.example.com:8080"})
    assert status == 200 and '"socketUrl": "http://soporte.example.com:5005"' in body
    assert settings.rasa_token() not in body and "token" not in body.lower()


@pytest.mark.skipif(not WEBCHAT_BUNDLE.exists(), reason="rasa-webchat no instalado (npm ci lo instala en make)")
def test_webchat_bundle_is_served():
    status, body, _ = get("/vendor/webchat.js")
    assert status == 200 and len(body) > 100_000
