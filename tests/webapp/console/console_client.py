"""The web app with its console against a test database and a fake Rasa HTTP API."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from protheus.db.accounts import AccountStore
from protheus.db.database import Database
from protheus.webapp.app import create_app
from protheus.webapp.console.context import ConsoleContext

TZ = "America/Mexico_City"
PASSWORD = "una-clave-larga-1"


class FakeRasa:
    """Records what the console posts to Rasa's HTTP API."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, dict, list]] = []
        self.typing: list[str] = []  # conversations told «el agente está escribiendo»
        self.up = True

    def app(self) -> web.Application:
        app = web.Application()

        async def status(request: web.Request) -> web.Response:
            if not self.up:
                raise web.HTTPServiceUnavailable()
            return web.json_response({"model_id": "prueba"})

        async def events(request: web.Request) -> web.Response:
            if not self.up:
                raise web.HTTPServiceUnavailable()
            self.posted.append((request.match_info["sender"], dict(request.query), await request.json()))
            return web.json_response({})

        async def typing(request: web.Request) -> web.Response:
            if not self.up:
                raise web.HTTPServiceUnavailable()
            self.typing.append((await request.json())["sender"])
            return web.json_response({"ok": True})

        app.router.add_get("/status", status)
        app.router.add_post("/webhooks/socketio/escribiendo", typing)
        app.router.add_post("/conversations/{sender}/tracker/events", events)
        return app


class Console:
    def __init__(self, client: TestClient, db: Database, rasa: FakeRasa) -> None:
        self.client, self.db, self.rasa = client, db, rasa
        self.csrf = ""

    @property
    def origin(self) -> str:
        return f"http://{self.client.host}:{self.client.port}"

    async def login(self, username: str, password: str = PASSWORD) -> int:
        page = await self.client.get("/consola/entrar")
        token = re.search(r'name="csrf_entrada" value="([^"]+)"', await page.text()).group(1)
        response = await self.client.post(
            "/consola/entrar",
            allow_redirects=False,
            headers={"Origin": self.origin},
            data={"usuario": username, "clave": password, "csrf_entrada": token},
        )
        if response.status == 303:
            home = await self.client.get("/consola/conversaciones")
            self.csrf = re.search(r'name="csrf" value="([^"]+)"', await home.text()).group(1)
        return response.status

    async def get(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path, allow_redirects=False)
        return response.status, await response.text()

    async def post(self, path: str, data: dict | None = None, csrf: bool = True, origin: str | None = None):
        form = {**(data or {}), **({"csrf": self.csrf} if csrf else {})}
        return await self.client.post(path, data=form, allow_redirects=False, headers={"Origin": origin or self.origin})


@asynccontextmanager
async def console(
    db: Database, status_file: Path, users: dict[str, str] | None = None, project=None
) -> AsyncIterator[Console]:
    """A running web app; `users` maps username → role (all with PASSWORD)."""
    accounts = AccountStore(db)
    for username, role in (users or {}).items():
        accounts.create_user(username, role, PASSWORD)
    fake = FakeRasa()
    async with TestServer(fake.app()) as rasa_server:
        ctx = ConsoleContext.create(db.url, str(rasa_server.make_url("")), "token-de-prueba", status_file, TZ)
        if project is not None:
            ctx.project = project
        try:
            async with TestClient(TestServer(create_app(rasa_port=5005, console=ctx))) as client:
                yield Console(client, db, fake)
        finally:
            ctx.db.engine.dispose()


def write_status(path: Path, **state) -> None:
    path.write_text(
        json.dumps(
            {
                "estado": "ok",
                "desde": 1795800000.0,
                "fallos": 0,
                "ultimo_fallo": None,
                "ultimo_error": None,
                "pid": 1,
                **state,
            }
        ),
        encoding="utf-8",
    )


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run an async test scenario (the tests themselves are plain functions)."""
    asyncio.run(scenario())
