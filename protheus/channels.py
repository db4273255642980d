"""Rasa's REST and socket.io channels, with a guard against silent failures.

When the action server is down, Rasa logs the error and carries on: the
customer sees the guideline but nothing tells them their request was not
registered. After each message, the guard looks at the turn: if it ran an
action that lives on the action server and that server does not answer, the
customer gets a Spanish message saying so and how to reach Support.
Messages longer than MAX_MESSAGE_CHARS are refused with a Spanish message.

Rasa 3.6's socket.io output passes a custom payload to `sio.emit` as keyword
arguments, which fails for any payload but `{"data": ...}`; the hand-off payload
would never reach the web chat. Our output emits the payload itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.events import ActionExecuted, UserUttered
from sanic import Blueprint, Sanic

from actions.fallback import NOT_OFFERED
from actions.routing import routing_table
from protheus.messages import message
from protheus.nlu.customer_words import OTHER_REQUEST
from protheus.nlu.error_log import looks_like_log
from protheus.settings import max_log_chars, max_message_chars

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
RASA_APP = "rasa_server"
HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=2)


def actions_of_last_turn(events: Iterable[Any]) -> list[str]:
    """Names of the actions run for the customer's last message: those after it, and
    those between it and the previous wait for input (a session start, for instance)."""
    names: list[str] = []
    seen_user = False
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            if seen_user:
                break
            seen_user = True
        elif isinstance(event, ActionExecuted) and event.action_name:
            if seen_user and event.action_name == "action_listen":
                break
            names.append(event.action_name)
    return names


async def action_server_answers(webhook_url: str) -> bool:
    health = webhook_url.rsplit("/", 1)[0] + "/health"
    try:
        async with aiohttp.ClientSession(timeout=HEALTH_TIMEOUT) as session:
            async with session.get(health) as response:
                return response.status == 200
    except (aiohttp.ClientError, TimeoutError, OSError):
        return False


def _remote_actions(agent: Any) -> set[str]:
    """Actions the action server runs: custom actions and the forms (their validation)."""
    domain = agent.domain
    custom = {a for a in domain.user_actions if not a.startswith("utter_")}
    return custom | set(domain.form_names)


async def check_turn(message: UserMessage, agent: Any, tracker: Any) -> None:
    """Tell the customer when this turn needed the action server and it is down."""
    if agent.action_endpoint is None:
        return
    needed = set(actions_of_last_turn(tracker.events)) & _remote_actions(agent)
    if needed and not await action_server_answers(agent.action_endpoint.url):
        logger.error("Action server unreachable while running %s for %s", sorted(needed), message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, message_text("servicio_no_disponible"))


def other_request_offer(tracker: Any) -> dict[str, Any] | None:
    """The button for the second request of the customer's last message, if it had one the bot
    can take up (not while a form asks its questions: the answer would go to the form)."""
    parse = getattr(tracker.latest_message, "parse_data", None) or {}
    other = (parse.get(OTHER_REQUEST) or {}).get("name")
    answered = (parse.get("intent") or {}).get("name")
    if not other or other == answered or other in NOT_OFFERED or tracker.active_loop_name:
        return None
    label = routing_table().label(other)
    return message("otra_consulta", etiqueta=label, intencion=other) if label else None


def message_text(key: str, **values: Any) -> str:
    return message(key, **values)["text"]


def guarded(on_new_message: Handler) -> Handler:
    async def handler(user_message: UserMessage) -> None:
        text = user_message.text or ""
        length, limit = len(text), max_log_chars() if looks_like_log(text) else max_message_chars()
        if length > limit:  # the page limits it too; the server enforces it
            await user_message.output_channel.send_text_message(
                user_message.sender_id, message_text("mensaje_muy_largo", largo=length, maximo=limit)
            )
            return
        await on_new_message(user_message)
        try:
            agent = getattr(Sanic.get_app(RASA_APP).ctx, "agent", None)
            tracker = await agent.tracker_store.retrieve(user_message.sender_id) if agent is not None else None
            if tracker is None or tracker.is_paused():
                return
            await check_turn(user_message, agent, tracker)
            offer = other_request_offer(tracker)
            if offer is not None:
                await user_message.output_channel.send_text_with_buttons(
                    user_message.sender_id, offer["text"], offer["buttons"]
                )
        except Exception:  # the guard must never break the conversation it protects
            logger.exception("Could not check the turn of %s", user_message.sender_id)

    return handler


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook, as Rasa's REST channel."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(guarded(on_new_message))


class CustomJsonSocketIOOutput(SocketIOOutput):
    """Emits a custom payload (the hand-off card) as the message, as the web chat expects."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, json_message)


def with_custom_json_output(on_new_message: Handler) -> Handler:
    async def handler(user_message: UserMessage) -> None:
        output = user_message.output_channel
        if isinstance(output, SocketIOOutput) and not isinstance(output, CustomJsonSocketIOOutput):
            user_message.output_channel = CustomJsonSocketIOOutput(output.sio, output.bot_message_evt)
        await on_new_message(user_message)

    return handler


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (web chat)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> OutputChannel | None:
        # Used when the HTTP API sends to the conversation (an agent's reply, for instance).
        output = super().get_output_channel()
        if isinstance(output, SocketIOOutput):
            return CustomJsonSocketIOOutput(output.sio, output.bot_message_evt)
        return output

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(with_custom_json_output(guarded(on_new_message)))
