"""The few calls the web app makes to Rasa's HTTP API (with its token, server side only)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=15)
SHORT = aiohttp.ClientTimeout(total=3)  # a typing notice late is worth nothing


class RasaUnavailable(RuntimeError):
    """Rasa did not answer or refused the call."""


class RasaClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    async def _request(
        self,
        method: str,
        path: str,
        params: dict | None = None,
        body: Any = None,
        timeout: aiohttp.ClientTimeout = TIMEOUT,
    ) -> Any:
        params = {"token": self.token, **(params or {})}
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.request(method, self.base_url + path, params=params, json=body) as response:
                    if response.status >= 400:
                        raise RasaUnavailable(f"Rasa respondió {response.status} a {path}")
                    return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise RasaUnavailable(f"Rasa no responde ({type(error).__name__})") from error

    async def status(self) -> dict | None:
        try:
            return await self._request("GET", "/status")
        except RasaUnavailable:
            return None

    async def append_events(self, sender_id: str, events: list[dict], deliver: bool = False) -> None:
        """Add events to a conversation; with deliver, bot messages reach the customer's chat
        through the channel of their last message (Rasa's execute_side_effects)."""
        params = {"include_events": "NONE"}
        if deliver:
            params.update(output_channel="latest", execute_side_effects="true")
        await self._request("POST", f"/conversations/{quote(sender_id, safe='')}/tracker/events", params, events)

    async def send_agent_message(self, sender_id: str, text: str, agent: str) -> None:
        await self.send_message(sender_id, text, {"agente": agent})

    async def send_message(
        self, sender_id: str, text: str, metadata: dict | None = None, custom: dict | None = None
    ) -> None:
        """A bot message written outside a turn (an agent's reply, a queue reminder, the survey),
        delivered; `custom` is a payload for the web chat (a card)."""
        event: dict[str, Any] = {"event": "bot", "text": text, "metadata": metadata or {}}
        if custom is not None:
            event["data"] = {"custom": custom}
        await self.append_events(sender_id, [event], deliver=True)

    async def agent_typing(self, sender_id: str) -> None:
        """«El agente está escribiendo…» in the customer's web chat (protheus.rasa_server.channels)."""
        await self._request("POST", "/webhooks/socketio/escribiendo", body={"sender": sender_id}, timeout=SHORT)

    async def resume(self, sender_id: str) -> None:
        await self.append_events(sender_id, [{"event": "resume"}])
