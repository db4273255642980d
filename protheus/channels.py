"""Rasa's REST and socket.io channels, with a guard against silent failures.

When the action server is down or hung, Rasa logs the error and carries on: the
customer sees the guideline but nothing tells them their request was not
registered. Every custom action call is cut at ACTION_TIMEOUT seconds (Rasa's
own limit is five minutes) and a failed call is noted where it fails; after the
turn, the guard tells the customer in Spanish what was not registered and how
to reach Support. A second request in the message is offered as a button.
Messages longer than MAX_MESSAGE_CHARS are refused with a Spanish message.

Rasa 3.6's socket.io output passes a custom payload to `sio.emit` as keyword
arguments, which fails for any payload but `{"data": ...}`; the hand-off payload
would never reach the web chat. Our output emits the payload itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic

from actions.fallback import NOT_OFFERED
from actions.routing import routing_table
from protheus import event_lookup, parse_cache  # noqa: F401 - Rasa made faster in its own process
from protheus.action_calls import failed_action
from protheus.messages import message
from protheus.nlu.customer_words import OTHER_REQUEST, request_parts
from protheus.nlu.error_log import looks_like_log
from protheus.settings import max_log_chars, max_message_chars

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
RASA_APP = "rasa_server"
# nginx (protheus.serving) names each request once, and sends a POST that was in flight on a
# replica that died to another replica with the same name: the message's metadata keeps it.
REQUEST_ID_HEADER, REQUEST_ID_KEY = "X-Request-Id", "peticion"


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
        failed_action(user_message.sender_id)  # a failure of an earlier turn is not this one's
        replies = await stored_replies(user_message)
        if replies is not None:  # answered already by a replica that died before replying
            for reply in replies:
                await user_message.output_channel.send_response(user_message.sender_id, _response(reply))
            return
        try:
            await on_new_message(user_message)
        except Exception:  # Rasa's REST channel would answer 200 with no reply at all
            logger.exception("The turn of %s could not be processed", user_message.sender_id)
            await user_message.output_channel.send_text_message(
                user_message.sender_id, message_text("mensaje_no_procesado")
            )
            return
        try:
            if failed_action(user_message.sender_id):
                await user_message.output_channel.send_text_message(
                    user_message.sender_id, message_text("servicio_no_disponible")
                )
            if len(request_parts(text)) < 2:
                return  # one request: nothing to offer, and no second read of the tracker
            agent = getattr(Sanic.get_app(RASA_APP).ctx, "agent", None)
            tracker = await agent.tracker_store.retrieve(user_message.sender_id) if agent is not None else None
            if tracker is None or tracker.is_paused():
                return
            offer = other_request_offer(tracker)
            if offer is not None:
                await user_message.output_channel.send_text_with_buttons(
                    user_message.sender_id, offer["text"], offer["buttons"]
                )
        except Exception:  # the guard must never break the conversation it protects
            logger.exception("Could not check the turn of %s", user_message.sender_id)

    return handler


async def stored_replies(user_message: UserMessage) -> list[dict[str, Any]] | None:
    """The stored replies to this very request, if a replica that died had answered it."""
    request_id = (user_message.metadata or {}).get(REQUEST_ID_KEY)
    agent = getattr(Sanic.get_app(RASA_APP).ctx, "agent", None) if request_id else None
    store = getattr(agent, "tracker_store", None)
    replies_to = getattr(getattr(store, "_tracker_store", store), "replies_to", None)  # in Rasa's FailSafe store
    if replies_to is None:
        return None
    return await asyncio.to_thread(replies_to, user_message.sender_id, REQUEST_ID_KEY, request_id)


def _response(bot_event: dict[str, Any]) -> dict[str, Any]:
    """A stored BotUttered as Rasa's output channels take it."""
    data = {k: v for k, v in (bot_event.get("data") or {}).items() if v is not None}
    return {"text": bot_event.get("text"), **data}


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook, as Rasa's REST channel."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Any) -> dict[str, Any] | None:
        request_id = request.headers.get(REQUEST_ID_HEADER)
        return {REQUEST_ID_KEY: request_id[:64]} if request_id else None

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
