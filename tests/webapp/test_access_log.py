"""The web app's access log hides the Rasa token the replicas send in the query string."""

import logging

from aiohttp import ClientSession, web

from protheus.webapp import app as webapp
from protheus.webapp.access_log import RedactedAccessLogger, redacted


def test_secret_query_values_are_hidden_and_the_rest_kept():
    assert redacted("/modelos/activo?token=s3cr3t") == "/modelos/activo?token=[oculto]"
    assert redacted("/x?a=1&TOKEN=abc&b=2") == "/x?a=1&TOKEN=[oculto]&b=2"
    assert redacted("/consola/conversaciones?desde=2026-01-01") == "/consola/conversaciones?desde=2026-01-01"


def test_a_request_with_the_token_is_logged_without_it(caplog):
    import asyncio

    async def scenario():
        app = web.Application()

        async def model(request: web.Request) -> web.Response:
            return web.Response(status=304)

        app.router.add_get("/modelos/activo", model)
        runner = web.AppRunner(app, access_log_class=RedactedAccessLogger)  # as web.run_app builds it
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            async with ClientSession() as session:
                await session.get(f"http://127.0.0.1:{port}/modelos/activo?token=el-token-de-rasa")
        finally:
            await runner.cleanup()

    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        asyncio.run(scenario())
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert lines and "el-token-de-rasa" not in " ".join(lines) and "token=[oculto]" in lines[0]


def test_the_web_app_runs_with_it(monkeypatch):
    seen = {}
    monkeypatch.setattr(webapp.web, "run_app", lambda *a, **kw: seen.update(kw))
    monkeypatch.setattr("sys.argv", ["protheus.webapp", "--port", "18999"])
    webapp.main()
    assert seen["access_log_class"] is RedactedAccessLogger
