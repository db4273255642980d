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
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any, TypeGuard
from urllib.parse import parse_qs

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.exceptions import PayloadTooLarge, SanicException
from sanic.request import Request
from socketio import AsyncRedisManager, AsyncServer

from protheus.common import chat_sessions
from protheus.common.addresses import REAL_IP_HEADER, client_address
from protheus.common.message_metadata import (
    ADDRESS_KEY,
    REQUEST_ID_KEY,
    SIGNED_CUSTOMER_KEY,
    TRUSTED_PAYLOAD_KEY,
    MetadataTooLarge,
    customer_metadata,
    with_checked,
)
from protheus.common.messages import message
from protheus.common.settings import (
    event_queue,
    lock_store_url,
    max_log_chars,
    max_message_chars,
    max_metadata_chars,
    max_request_bytes,
    page_origins,
    rasa_token,
    rest_needs_session,
)
from protheus.common.text import safe_links
from protheus.rasa_server import patches, payloads
from protheus.rasa_server.action_calls import failed_action
from protheus.rasa_server.rate_limit import MessageLimits
from protheus.support.customer_words import OTHER_REQUEST, request_parts
from protheus.support.error_log import looks_like_log
from protheus.support.routing import NOT_OFFERED, routing_table

logger = logging.getLogger(__name__)

# Rasa loads this module from credentials.yml in its own process: Rasa's patches are put in place
# here too, for a Rasa not started by protheus.rasa_server.launcher (protheus.rasa_server.patches lists them).
patches.install()

Handler = Callable[[UserMessage], Awaitable[Any]]
RASA_APP = "rasa_server"
# nginx (protheus.supervisor.serving) names each request once, and sends a POST that was in flight on a
# replica that died to another replica with the same name: the message's metadata keeps it.
REQUEST_ID_HEADER = "X-Request-Id"
MAX_SENDER_CHARS = 128
SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
AGENT_TYPING_EVENT = "agente_escribiendo"  # the web page shows «El agente está escribiendo…»


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
        await mark_offered_payload(user_message)
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
            agent = _agent()
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


def _agent() -> Any:
    return getattr(Sanic.get_app(RASA_APP).ctx, "agent", None)


async def mark_offered_payload(user_message: UserMessage) -> None:
    """A "/..." message is read as an intent only when the bot offered it as a button in its last
    message (or it opens the web chat); any other is text (protheus.rasa_server.payloads)."""
    metadata = user_message.metadata if isinstance(user_message.metadata, dict) else {}
    text = (user_message.text or "").strip()
    if not payloads.is_payload(text) or metadata.get(TRUSTED_PAYLOAD_KEY):
        return
    offered = text == payloads.INIT_PAYLOAD
    agent = _agent()
    if not offered and agent is not None:
        try:
            tracker = await agent.tracker_store.retrieve(user_message.sender_id)
        except Exception:  # noqa: BLE001 - cannot tell what was offered: the message is text
            logger.exception("Could not read what %s was offered", user_message.sender_id)
            tracker = None
        offered = tracker is not None and text in offered_to(tracker)
    if offered:
        user_message.metadata = {**metadata, TRUSTED_PAYLOAD_KEY: True}


def offered_to(tracker: Any) -> set[str]:
    """The payloads the customer was last offered: the bot's buttons, and the guard's own button
    for a second request (sent after the turn, so not among the stored bot messages)."""
    offer = other_request_offer(tracker)
    second = {b["payload"] for b in offer["buttons"]} if offer else set()
    return payloads.offered_payloads(tracker.events) | second


async def stored_replies(user_message: UserMessage) -> list[dict[str, Any]] | None:
    """The stored replies to this very request, if a replica that died had answered it."""
    request_id = (user_message.metadata or {}).get(REQUEST_ID_KEY)
    agent = _agent() if request_id else None
    store = getattr(agent, "tracker_store", None)
    replies_to = getattr(getattr(store, "_tracker_store", store), "replies_to", None)  # in Rasa's FailSafe store
    if replies_to is None:
        return None
    return await asyncio.to_thread(replies_to, user_message.sender_id, REQUEST_ID_KEY, request_id)


def _response(bot_event: dict[str, Any]) -> dict[str, Any]:
    """A stored BotUttered as Rasa's output channels take it."""
    data = {k: v for k, v in (bot_event.get("data") or {}).items() if v is not None}
    return {"text": bot_event.get("text"), **data}


@lru_cache(maxsize=1)
def message_limits() -> MessageLimits:
    return MessageLimits.from_settings()


@lru_cache(maxsize=1)
def _rasa_token() -> str:
    return rasa_token()


def holds_rasa_token(token: str | None) -> bool:
    """The Rasa API token: tests and the project's own tools may send "/intent" as such."""
    return bool(token) and hmac.compare_digest(str(token).encode("utf-8", "replace"), _rasa_token().encode())


def cleaned(text: str) -> str:
    """A customer's text as it can be stored and read: no NULs, lone surrogates replaced."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def storable(text: object) -> TypeGuard[str]:
    """Text the tracker store can write: UTF-8 without NULs. A lone surrogate in a sender made
    Rasa's SQL store exit the server; in a message it broke the NLU's tokenizer."""
    if not isinstance(text, str) or "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refusal(status: int, sender: str, key: str, **values: Any) -> response.HTTPResponse:
    """A refused REST request: the status, and the Spanish reason as the bot's reply."""
    headers = {"Retry-After": "60"} if status == 429 else None
    return response.json(
        [{"recipient_id": sender, "text": message_text(key, **values)}], status=status, headers=headers
    )


def check_rest_request(request: Request) -> response.HTTPResponse | None:
    """Refuses, before Rasa reads it, a webhook POST that is malformed, too big, unsigned beyond
    loopback or over the rate limits; what was checked is kept in `request.ctx` for the metadata."""
    try:  # strictly UTF-8, as Sanic reads it afterwards (no BOM, no UTF-16)
        body = json.loads((request.body or b"").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        body = None
    sender, text = (body.get("sender"), body.get("message")) if isinstance(body, dict) else (None, None)
    # A sender the store cannot write is refused; a message's text is cleaned instead (_extract_message).
    if not storable(sender) or not 0 < len(sender) <= MAX_SENDER_CHARS or not isinstance(text, str):
        return refusal(400, "", "peticion_no_valida")
    try:
        request.ctx.customer_metadata = customer_metadata(body.get("metadata"), max_metadata_chars())
    except MetadataTooLarge as error:
        return refusal(413, sender, "metadatos_muy_largos", largo=error.args[0], maximo=max_metadata_chars())
    request.ctx.trusted = holds_rasa_token(request.args.get("token"))
    session = chat_sessions.verify(chat_sessions.bearer(request.headers.get("Authorization")))
    request.ctx.signed_customer = session.customer_code if session and session.session_id == sender else None
    if rest_needs_session() and not request.ctx.trusted and (session is None or session.session_id != sender):
        return refusal(401, sender, "sesion_no_valida")
    request.ctx.address = client_address(request.ip, request.headers.get(REAL_IP_HEADER))
    if not request.ctx.trusted and not message_limits().allows(sender, request.ctx.address):
        return refusal(429, sender, "demasiados_mensajes")
    return None


def limit_request_bodies() -> None:
    """MAX_REQUEST_BYTES for Rasa's whole server (Sanic reads no more), said in Spanish."""
    try:
        app = Sanic.get_app(RASA_APP)
    except SanicException:  # a channel built outside Rasa's server (tests)
        return
    app.config.REQUEST_MAX_SIZE = max_request_bytes()

    async def too_large(request: Request, exception: Exception) -> response.HTTPResponse:
        return refusal(413, "", "peticion_muy_grande", maximo=max_request_bytes())

    app.error_handler.add(PayloadTooLarge, too_large)


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook, as Rasa's REST channel, with the checks of check_rest_request."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str | None:
        text = super()._extract_message(req)
        return cleaned(text) if isinstance(text, str) else text

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # never the body's `input_channel`: any JSON was stored as is

    def get_metadata(self, request: Any) -> dict[str, Any] | None:
        ctx = request.ctx
        request_id = request.headers.get(REQUEST_ID_HEADER)
        checked = {
            REQUEST_ID_KEY: request_id[:64] if request_id else None,
            ADDRESS_KEY: getattr(ctx, "address", None),
            SIGNED_CUSTOMER_KEY: getattr(ctx, "signed_customer", None),
            TRUSTED_PAYLOAD_KEY: getattr(ctx, "trusted", False) or None,
        }
        return with_checked(getattr(ctx, "customer_metadata", None) or {}, checked) or None

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message))
        limit_request_bodies()

        @blueprint.middleware("request")
        async def check(request: Request) -> response.HTTPResponse | None:
            if request.method == "POST" and request.path.rstrip("/").endswith("/webhook"):
                return check_rest_request(request)
            return None

        @blueprint.route("/parches", methods=["GET"])
        async def patches_in_effect(request: Request) -> response.HTTPResponse:
            """Which of Rasa's patches are in effect in this server (Rasa token required)."""
            if not holds_rasa_token(request.args.get("token")):
                return response.json({"ok": False}, status=401)
            return response.json({"parches": patches.status()})

        return blueprint


class CustomJsonSocketIOOutput(SocketIOOutput):
    """Emits a custom payload (the hand-off card) as the message, as the web chat expects; links
    in any text it sends (the bot's or an agent's) go only to http(s) and mailto."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if isinstance(response, dict) and isinstance(response.get("text"), str):
            response = {**response, "text": safe_links(response["text"])}
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, json_message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """As Rasa's, and a link button ({type: web_url, url}, the Portal) stays a link: Rasa's
        own read every button's payload and failed on one without."""
        parts = text.strip().split("\n\n") or [text]
        messages: list[dict[str, Any]] = [{"text": part, "quick_replies": []} for part in parts]
        messages[-1]["quick_replies"] = [quick_reply(button) for button in buttons]
        for part_message in messages:
            await self._send_message(recipient_id, part_message)


def shared_rooms() -> AsyncRedisManager | None:
    """With replicas (LOCK_STORE_URL), socket.io messages go through Redis, so that an agent's
    reply or «escribiendo» sent through any replica reaches the browser connected to another."""
    url = lock_store_url()
    return AsyncRedisManager(url, channel=f"{event_queue()}_socketio") if url else None


def _json_field(request: Request, name: str) -> object:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body.get(name) if isinstance(body, dict) else None


def quick_reply(button: dict[str, Any]) -> dict[str, Any]:
    """A button as rasa-webchat reads it: a payload to send back, or a link (only http(s))."""
    if button.get("type") == "web_url":
        url = str(button.get("url", ""))
        return {"type": "web_url", "title": button.get("title", ""), "url": url if SAFE_URL.match(url) else "#"}
    return {"content_type": "text", "title": button.get("title", ""), "payload": button.get("payload", "")}


def connecting_session(environ: dict[str, Any], auth: Any) -> chat_sessions.ChatSession | None:
    """The signed session of a socket.io connection from an allowed page (none from any other
    Origin: a page elsewhere cannot open or resume a customer's chat). rasa-webchat sends the
    token in the URL (`?sesion=`); other clients may send it as `auth: {token}`."""
    origin = environ.get("HTTP_ORIGIN")
    if origin and origin not in page_origins():
        return None
    token = auth.get("token") if isinstance(auth, dict) else None
    token = token or next(iter(parse_qs(environ.get("QUERY_STRING", "")).get("sesion", [])), None)
    return chat_sessions.verify(token)


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (web chat), with signed sessions: a browser joins only the
    conversation its token names, whatever session id it asks for."""

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
        handle = guarded(on_new_message)  # the output is ours already (handle_message)
        limit_request_bodies()
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            max_http_buffer_size=max_request_bytes(),
            client_manager=shared_rooms(),
        )
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # get_output_channel's
        namespace = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/escribiendo", methods=["POST"])
        async def agent_typing(request: Request) -> response.HTTPResponse:
            """The console: an agent is typing to this conversation (Rasa token required)."""
            if not holds_rasa_token(request.args.get("token")):
                return response.json({"ok": False}, status=401)
            sender = _json_field(request, "sender")
            if not storable(sender):
                return response.json({"ok": False}, status=400)
            await sio.emit(AGENT_TYPING_EVENT, {}, room=sender, namespace=namespace)
            return response.json({"ok": True})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            session = connecting_session(environ, auth)
            if session is None:
                return False
            request = environ.get("sanic.request")
            peer = getattr(request, "ip", None)
            address = client_address(peer, request.headers.get(REAL_IP_HEADER) if request else None)
            await sio.save_session(sid, {"chat": session, "address": address}, namespace=namespace)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session = (await sio.get_session(sid, namespace=namespace))["chat"]
            sio.enter_room(sid, session.session_id, namespace=namespace)
            await sio.emit("session_confirm", session.session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            state = await sio.get_session(sid, namespace=namespace)
            session: chat_sessions.ChatSession = state["chat"]
            sio.enter_room(sid, session.session_id, namespace=namespace)
            output = CustomJsonSocketIOOutput(sio, self.bot_message_evt)
            user_message = self._user_message(data, session, state["address"], output)
            if isinstance(user_message, str):
                await output.send_text_message(session.session_id, user_message)
                return
            await handle(user_message)

        return webhook

    def _user_message(
        self, data: Any, session: chat_sessions.ChatSession, address: str | None, output: OutputChannel
    ) -> UserMessage | str:
        """The customer's message, or the Spanish reason it is refused."""
        text = data.get("message", "") if isinstance(data, dict) else None
        if not isinstance(text, str):
            return message_text("peticion_no_valida")
        text = cleaned(text)
        try:
            metadata = customer_metadata(data.get(self.metadata_key), max_metadata_chars())
        except MetadataTooLarge as error:
            return message_text("metadatos_muy_largos", largo=error.args[0], maximo=max_metadata_chars())
        if not message_limits().allows(session.session_id, address):
            return message_text("demasiados_mensajes")
        checked = with_checked(metadata, {ADDRESS_KEY: address, SIGNED_CUSTOMER_KEY: session.customer_code})
        return UserMessage(text, output, session.session_id, input_channel=self.name(), metadata=checked)
