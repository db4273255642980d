"""The web app on port 8080: the customer support page, the agents' console and /salud.

Serves web/ and the rasa-webchat bundle installed by `npm ci`. The page talks to
Rasa's socket.io channel directly and never receives the API token; the console
talks to Rasa's HTTP API from the server, with the token.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from urllib.parse import urlsplit

from aiohttp import web

from protheus.common import chat_sessions
from protheus.common.messages import handoff_card, message, survey_texts
from protheus.common.paths import PROJECT
from protheus.common.settings import (
    DEFAULT_RASA_PORT,
    LOOPBACK_ADDRESSES,
    console_timezone,
    database_url,
    ensure_secrets,
    event_broker_url,
    event_queue,
    max_log_chars,
    page_origins,
    portal_url,
    ports,
    rasa_public_url,
    rasa_token,
    rasa_url,
    require_valid,
    tracker_status_file,
    web_host,
)
from protheus.webapp import model_server, survey_answers
from protheus.webapp.access_log import RedactedAccessLogger
from protheus.webapp.console.context import CONSOLE, ConsoleContext
from protheus.webapp.console.routes import setup as setup_console
from protheus.webapp.event_feed import EventFeed

logger = logging.getLogger(__name__)
HEALTH_INTERVAL = 30

WEB_DIR = PROJECT.web
NODE_MODULES = PROJECT.node_modules
# rasa-webchat's build that takes React from the page, so that the page can render
# the hand-off card as a custom component with the same React.
VENDOR = {
    "react.js": NODE_MODULES / "react" / "umd" / "react.production.min.js",
    "react-dom.js": NODE_MODULES / "react-dom" / "umd" / "react-dom.production.min.js",
    "webchat.js": NODE_MODULES / "rasa-webchat" / "module" / "index.js",
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # browsers then send Origin on same-site POSTs (CSRF check)
    "X-Frame-Options": "DENY",
}


# The loopback addresses as a Host header names them (an IPv6 one in brackets).
LOOPBACK_NAMES = {f"[{address}]" if ":" in address else address for address in LOOPBACK_ADDRESSES}


def known_hosts() -> set[str]:
    """Host names this server answers as: loopback, WEB_HOST and the CORS_ORIGINS hosts."""
    hosts = set(LOOPBACK_NAMES) | {web_host()}
    return hosts | {urlsplit(origin).hostname or "" for origin in page_origins()}


def socket_url(request: web.Request, rasa_port: int) -> str:
    """Rasa's address as the customer's browser reaches it: RASA_PUBLIC_URL, or the same host on
    Rasa's port when the Host header names a known host; never an arbitrary Host header (it went
    into the page's CSP and socketUrl)."""
    if rasa_public_url():
        return rasa_public_url()
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    return f"{request.scheme}://{host if host in known_hosts() else '127.0.0.1'}:{rasa_port}"


def page_config(request: web.Request, rasa_port: int) -> dict:
    """What the page needs: where Rasa is, a signed session for a new conversation, the length
    limit, the hand-off card texts. Never the API token."""
    return {
        "socketUrl": socket_url(request, rasa_port),
        # The page keeps the first token it gets while it is valid: the conversation survives a reload.
        "chatToken": chat_sessions.issue(),
        "initPayload": chat_sessions.INIT_PAYLOAD,
        # The page cannot tell a pasted error log from text: it allows the log limit and the
        # server refuses longer text that is not a log.
        "maxMessageChars": max_log_chars(),
        "portalUrl": portal_url(),
        "handoffCard": handoff_card(),
        "survey": {**survey_texts(), "url": survey_answers.ROUTE},
        "agentTyping": message("agente_escribiendo")["text"],
    }


def content_security_policy(socket: str) -> str:
    """Only this server's scripts, and connections only to Rasa (socket.io: HTTP, then WebSocket).
    Inline styles are allowed because the chat widget injects its CSS at run time."""
    websocket = "ws" + socket[len("http") :] if socket.startswith("http") else socket
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {socket} {websocket}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


def security_headers(rasa_port: int):
    @web.middleware
    async def middleware(request: web.Request, handler):
        def secure(headers) -> None:
            headers.update(SECURITY_HEADERS)
            # The console sets its own, stricter policy.
            headers.setdefault("Content-Security-Policy", content_security_policy(socket_url(request, rasa_port)))

        try:
            response = await handler(request)
        except web.HTTPException as raised:  # redirects and errors carry the headers too
            secure(raised.headers)
            raise
        secure(response.headers)
        return response

    return middleware


@web.middleware
async def release_unread_body(request: web.Request, handler):
    """Discards the request body a view left unread. aiohttp 3.9 stops reading a connection
    whose buffered body passes 128 KiB; when the whole body had already arrived, nothing starts
    it again, and the next request on that keep-alive connection was never answered."""
    try:
        return await handler(request)
    finally:
        if request.content.exception() is None:
            request.content.read_nowait()


def create_app(rasa_port: int = DEFAULT_RASA_PORT, console: ConsoleContext | None = None) -> web.Application:
    """The customer page, the agents' console (/consola) and /salud."""
    app = web.Application(middlewares=[release_unread_body, security_headers(rasa_port)])
    console = console or ConsoleContext.create(
        database_url(),
        rasa_url(rasa_port),
        rasa_token(),
        tracker_status_file(rasa_port),
        console_timezone(),
        event_broker_url(),
        event_queue(),
    )
    setup_console(app, console)
    app.cleanup_ctx.append(_watch_health)
    app.cleanup_ctx.append(_remind_queued)
    if console.feed is not None:
        app.cleanup_ctx.append(_feed_index(console.feed))

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(WEB_DIR / "index.html")

    async def config_js(request: web.Request) -> web.Response:
        """A fresh signed chat session for each visitor: never kept by a cache in front of the
        site, which would hand one customer's conversation to the next."""
        body = f"window.PROTHEUS_CHAT = {json.dumps(page_config(request, rasa_port))};\n"
        return web.Response(text=body, content_type="application/javascript", headers={"Cache-Control": "no-store"})

    async def vendor(request: web.Request) -> web.StreamResponse:
        path = VENDOR.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        if not path.exists():
            raise web.HTTPServiceUnavailable(text="Falta el chat web: ejecute `make run` para instalarlo (npm ci).")
        return web.FileResponse(path)

    app.router.add_get("/", index)
    app.router.add_get("/config.js", config_js)
    app.router.add_get("/vendor/{name}", vendor)
    app.router.add_get(model_server.ROUTE, model_server.active_model)
    survey_answers.setup(app)
    app.router.add_static("/static/", WEB_DIR, show_index=False)
    return app


async def _watch_health(app: web.Application):
    """Check every HEALTH_INTERVAL seconds, so a failing store is logged even with no one in the console."""

    async def loop() -> None:
        while True:
            try:
                await app[CONSOLE].health.check()
            except Exception:  # noqa: BLE001 - the watcher must outlive any single failure
                logger.exception("Health check failed")
            await asyncio.sleep(HEALTH_INTERVAL)

    task = asyncio.create_task(loop())
    yield
    task.cancel()


async def _remind_queued(app: web.Application):
    """Customers waiting for a live agent's first reply are told they are still queued."""
    task = asyncio.create_task(app[CONSOLE].reminder.run())
    yield
    task.cancel()


def _feed_index(feed: EventFeed):
    """The console's index from the event stream, for as long as the app runs."""

    async def context(app: web.Application):
        task = asyncio.create_task(feed.run())
        yield
        task.cancel()

    return context


def main() -> None:
    require_valid()
    ensure_secrets()
    parser = argparse.ArgumentParser(description="Página de soporte del asistente.")
    configured = ports()
    parser.add_argument("--port", type=int, default=configured.web)
    parser.add_argument("--host", default=web_host())
    parser.add_argument("--rasa-port", type=int, default=configured.rasa)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    web.run_app(
        create_app(args.rasa_port),
        host=args.host,
        port=args.port,
        print=None,
        access_log_class=RedactedAccessLogger,
    )


if __name__ == "__main__":
    main()
