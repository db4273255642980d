"""The customer support page (and, later, the agent console) on port 8080.

Serves web/ and the rasa-webchat bundle installed by `npm ci`. The page talks to
Rasa's socket.io channel directly and never receives the API token.
"""
from __future__ import annotations

import argparse
import json
import os

from aiohttp import web

from protheus.channels import max_message_chars
from protheus.messages import handoff_card
from protheus.settings import portal_url
from protheus.paths import ROOT

WEB_DIR = ROOT / "web"
NODE_MODULES = ROOT / "node_modules"
# rasa-webchat's build that takes React from the page, so that the page can render
# the hand-off card as a custom component with the same React.
VENDOR = {
    "react.js": NODE_MODULES / "react" / "umd" / "react.production.min.js",
    "react-dom.js": NODE_MODULES / "react-dom" / "umd" / "react-dom.production.min.js",
    "webchat.js": NODE_MODULES / "rasa-webchat" / "module" / "index.js",
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def socket_url(request: web.Request, rasa_port: int) -> str:
    """Rasa's address as the customer's browser reaches it: same host, Rasa's port."""
    public = os.environ.get("RASA_PUBLIC_URL", "").strip()
    return public or f"{request.scheme}://{request.host.split(':')[0]}:{rasa_port}"


def page_config(request: web.Request, rasa_port: int) -> dict:
    """What the page needs: where Rasa is, the length limit, the hand-off card texts. No token."""
    return {
        "socketUrl": socket_url(request, rasa_port),
        "maxMessageChars": max_message_chars(),
        "portalUrl": portal_url(),
        "handoffCard": handoff_card(),
    }


def content_security_policy(socket: str) -> str:
    """Only this server's scripts, and connections only to Rasa (socket.io: HTTP, then WebSocket).
    Inline styles are allowed because the chat widget injects its CSS at run time."""
    websocket = "ws" + socket[len("http"):] if socket.startswith("http") else socket
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:", "font-src 'self' data:", f"connect-src 'self' {socket} {websocket}",
        "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
    ])


def security_headers(rasa_port: int):
    @web.middleware
    async def middleware(request: web.Request, handler):
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        response.headers["Content-Security-Policy"] = content_security_policy(socket_url(request, rasa_port))
        return response

    return middleware


def create_app(rasa_port: int = 5005) -> web.Application:
    app = web.Application(middlewares=[security_headers(rasa_port)])

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(WEB_DIR / "index.html")

    async def config_js(request: web.Request) -> web.Response:
        body = f"window.PROTHEUS_CHAT = {json.dumps(page_config(request, rasa_port))};\n"
        return web.Response(text=body, content_type="application/javascript")

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
    app.router.add_static("/static/", WEB_DIR, show_index=False)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Página de soporte del asistente.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    args = parser.parse_args()
    web.run_app(create_app(args.rasa_port), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
