"""The support page: served in Spanish, with the chat bundle, and never the API token."""

import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from protheus.common import chat_sessions, settings
from protheus.common.vocabulary import Channel
from protheus.webapp.app import VENDOR, create_app


async def fetch(path: str, headers: dict | None = None) -> tuple[int, str, dict]:
    async with TestClient(TestServer(create_app(rasa_port=5005))) as client:
        response = await client.get(path, headers=headers or {})
        return response.status, await response.text(), dict(response.headers)


def get(path: str, headers: dict | None = None):
    return asyncio.run(fetch(path, headers))


def test_page_is_spanish_and_loads_the_chat():
    status, body, headers = get("/")
    assert status == 200 and '<html lang="es">' in body
    for script in ("/config.js", "/vendor/react.js", "/vendor/react-dom.js", "/vendor/webchat.js", "/static/app.js"):
        assert f'<script src="{script}">' in body
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_config_points_to_rasa_without_the_token(monkeypatch):
    monkeypatch.delenv("RASA_PUBLIC_URL", raising=False)
    monkeypatch.setenv("CORS_ORIGINS", "https://soporte.example.com")
    status, body, _ = get("/config.js", {"Host": "soporte.example.com:8080"})
    assert status == 200 and '"socketUrl": "http://soporte.example.com:5005"' in body
    assert settings.rasa_token() not in body and settings.action_secret() not in body
    config = json.loads(body.split("=", 1)[1].rstrip().rstrip(";"))
    session = chat_sessions.verify(config["chatToken"])  # a new conversation of its own, signed
    assert session is not None and session.customer_code is None
    assert (
        chat_sessions.verify(
            json.loads(get("/config.js")[1].split("=", 1)[1].rstrip().rstrip(";"))["chatToken"]
        ).session_id
        != session.session_id
    )


def test_no_cache_keeps_the_chat_session_config_js_hands_out():
    """Issue 24, finding 11: without it, a cache in front of the site could give one session to many customers."""
    status, _, headers = get("/config.js")
    assert status == 200 and headers["Cache-Control"] == "no-store"


def test_an_unknown_host_header_never_reaches_the_page(monkeypatch):
    monkeypatch.delenv("RASA_PUBLIC_URL", raising=False)
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    _, body, headers = get("/config.js", {"Host": "evil.example:8080"})
    assert '"socketUrl": "http://127.0.0.1:5005"' in body and "evil.example" not in headers["Content-Security-Policy"]
    assert '"socketUrl": "http://localhost:5005"' in get("/config.js", {"Host": "localhost:8080"})[1]
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://chat.example.com")
    assert '"socketUrl": "https://chat.example.com"' in get("/config.js", {"Host": "evil.example"})[1]


def page_config(body: str) -> dict:
    prefix = "window.PROTHEUS_CHAT = "
    assert body.startswith(prefix)
    return json.loads(body[len(prefix) :].strip().rstrip(";"))


def test_handoff_card_has_a_spanish_name_and_next_step_for_every_channel(monkeypatch):
    monkeypatch.delenv("PORTAL_URL", raising=False)
    card = page_config(get("/config.js")[1])["handoffCard"]
    channels = [channel.value for channel in Channel]
    assert set(channels) <= set(card["canales"])
    for channel in channels:
        assert card["canales"][channel]["nombre"] and card["canales"][channel]["siguiente"]
    assert card["canales"]["soporte_estandar"]["nombre"] == "Soporte Estándar"


def test_portal_link_is_a_setting_and_only_http(monkeypatch):
    monkeypatch.setenv("PORTAL_URL", "https://portal.example.com/soporte")
    assert page_config(get("/config.js")[1])["portalUrl"] == "https://portal.example.com/soporte"
    monkeypatch.setenv("PORTAL_URL", "javascript:alert(1)")
    with pytest.raises(settings.SettingError, match="PORTAL_URL"):  # the web app does not start with it
        settings.portal_url()


@pytest.mark.skipif(not VENDOR["webchat.js"].exists(), reason="rasa-webchat no instalado (npm ci lo instala en make)")
@pytest.mark.parametrize("name", sorted(VENDOR))
def test_chat_scripts_are_served(name):
    status, body, _ = get(f"/vendor/{name}")
    assert status == 200 and len(body) > 5_000


def test_only_known_vendor_files():
    assert get("/vendor/..%2Fpackage.json")[0] == 404
    assert get("/vendor/axe.js")[0] == 404


def test_page_only_runs_its_own_scripts_and_talks_only_to_rasa(monkeypatch):
    monkeypatch.delenv("RASA_PUBLIC_URL", raising=False)
    monkeypatch.setenv("CORS_ORIGINS", "https://soporte.example.com")
    _, _, headers = get("/", {"Host": "soporte.example.com:8080"})
    policy = dict(part.split(" ", 1) for part in headers["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self' http://soporte.example.com:5005 ws://soporte.example.com:5005"
    assert policy["frame-ancestors"] == "'none'"


async def _status_line(reader: asyncio.StreamReader) -> bytes:
    """The status line of the next response, its headers and body skipped (fixed length)."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0
    )
    await asyncio.wait_for(reader.readexactly(length), 5)
    return head.split(b"\r\n")[0]


def test_a_big_unread_body_does_not_stall_its_connection():
    """A view that answers without reading a body that arrived whole (here: the wrong method)
    leaves the keep-alive connection able to carry the next request."""

    async def scenario():
        async with TestServer(create_app(rasa_port=5005)) as server:
            reader, writer = await asyncio.open_connection(server.host, server.port)
            body = b"x" * 200_000
            writer.write(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await asyncio.sleep(0.3)  # the whole body is buffered before the view answers
            first = await _status_line(reader)
            writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            second = await _status_line(reader)
            writer.close()
            return first, second

    first, second = asyncio.run(scenario())
    assert first.startswith(b"HTTP/1.1 405") and second.startswith(b"HTTP/1.1 200")
