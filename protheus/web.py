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
from protheus.paths import ROOT

WEB_DIR = ROOT / "web"
WEBCHAT_BUNDLE = ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def socket_url(request: web.Request, rasa_port: int) -> str:
    """Rasa's address as the customer's browser reaches it: same host, Rasa's port."""
    public = os.environ.get("RASA_PUBLIC_URL", "").strip()
    return public or f"{request.scheme}://{request.host.split(':')[0]}:{rasa_port}"


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    response.headers.update(SECURITY_HEADERS)
    return response


def create_app(rasa_port: int = 5005) -> web.Application:
    app = web.Application(middlewares=[security_headers])

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(WEB_DIR / "index.html")

    async def config_js(request: web.Request) -> web.Response:
        config = {"socketUrl": socket_url(request, rasa_port), "maxMessageChars": max_message_chars()}
        body = f"window.PROTHEUS_CHAT = {json.dumps(config)};\n"
        return web.Response(text=body, content_type="application/javascript")

    async def webchat(request: web.Request) -> web.StreamResponse:
        if not WEBCHAT_BUNDLE.exists():
            raise web.HTTPServiceUnavailable(text="Falta el chat web: ejecute `make run` para instalarlo (npm ci).")
        return web.FileResponse(WEBCHAT_BUNDLE)

    app.router.add_get("/", index)
    app.router.add_get("/config.js", config_js)
    app.router.add_get("/vendor/webchat.js", webchat)
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
