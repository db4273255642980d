"""The action server runs actions only for whoever shows the shared secret; /health stays open."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import aiohttp
import pytest
import rasa_sdk
from rasa_sdk import Action

from protheus.action_server.server import REFUSAL, authorised, guarded_app
from protheus.common.settings import ACTION_SECRET_HEADER, LOOPBACK

SECRET = "secreto-de-prueba-0123456789"
CALL = {
    "next_action": "action_prueba_secreto",
    "sender_id": "prueba",
    "tracker": {"sender_id": "prueba", "slots": {}, "latest_message": {}, "events": []},
    "domain": {},
    "version": rasa_sdk.__version__,
}


class ActionPruebaSecreto(Action):
    """Runs only when the call gets past the secret."""

    def name(self) -> str:
        return "action_prueba_secreto"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list[dict[str, Any]]:
        dispatcher.utter_message(text="acción ejecutada")
        return []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("path", "shown", "allowed"),
    [
        ("/webhook", SECRET, True),
        ("/webhook", None, False),
        ("/webhook", "", False),
        ("/webhook", SECRET[:-1], False),
        ("/webhook", SECRET + "x", False),
        ("/webhook", "ñandú", False),  # not ASCII: refused, not an error
        ("/webhook/", None, False),
        ("/actions", None, False),
        ("/health", None, True),
    ],
)
def test_only_health_is_open_without_the_secret(path, shown, allowed):
    assert authorised(path, shown, SECRET) is allowed


def test_an_empty_secret_opens_nothing():
    assert not authorised("/webhook", "", "")
    with pytest.raises(ValueError):
        guarded_app("tests.action_server.test_action_server", "")


async def _calls(requests: list[tuple[str, str, dict[str, str]]]) -> list[tuple[int, Any]]:
    """Serve the guarded app on a free loopback port and make `requests` (method, path, headers)."""
    app = guarded_app("tests.action_server.test_action_server", SECRET)
    port = free_port()
    server = await app.create_server(LOOPBACK, port, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    await server.start_serving()
    answers = []
    try:
        async with aiohttp.ClientSession() as session:
            for method, path, headers in requests:
                body = CALL if method == "POST" else None
                async with session.request(method, f"http://{LOOPBACK}:{port}{path}", json=body, headers=headers) as r:
                    answers.append((r.status, await r.json()))
    finally:
        server.close()
        await server.wait_closed()
    return answers


def test_the_webhook_refuses_calls_without_the_secret_and_runs_them_with_it():
    refused, wrong, allowed, listed, health = asyncio.run(
        _calls(
            [
                ("POST", "/webhook", {}),
                ("POST", "/webhook", {ACTION_SECRET_HEADER: "otro"}),
                ("POST", "/webhook", {ACTION_SECRET_HEADER: SECRET}),
                ("GET", "/actions", {}),
                ("GET", "/health", {}),
            ]
        )
    )
    assert refused == (401, REFUSAL) and wrong == (401, REFUSAL)
    assert "No autorizado" in REFUSAL["error"]
    assert allowed[0] == 200 and allowed[1]["responses"][0]["text"] == "acción ejecutada"
    assert listed[0] == 401
    assert health == (200, {"status": "ok"})
