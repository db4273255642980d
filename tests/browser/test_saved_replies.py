"""An agent answering a hand-off in a real browser picks a saved reply («/» in the empty reply,
then the filter), edits it, adds a guideline reply with Alt+R and sends it. The console runs
in-process against a test database and a fake Rasa: no bot is needed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from protheus.db.accounts import AccountStore
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from protheus.db.saved_replies import SavedReplyStore
from protheus.webapp.app import create_app
from protheus.webapp.console.context import ConsoleContext
from tests.browser.conftest import accessibility_violations, open_page
from tests.events import ConversationPaused, session_start, store, user
from tests.webapp.console.console_client import PASSWORD, TZ, FakeRasa, write_status

GREETING = "Hola, soy del equipo de Soporte Protheus."


class ConsoleServer:
    """The web app and a fake Rasa on free ports, in a thread with its own event loop."""

    def __init__(self, ctx_args: dict) -> None:
        self.ctx_args, self.rasa = ctx_args, FakeRasa()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.url = ""
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self._stop())

    async def _site(self, app: web.Application) -> tuple[web.AppRunner, int]:
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, runner.addresses[0][1]

    async def _start(self) -> None:
        self.rasa_runner, rasa_port = await self._site(self.rasa.app())
        self.ctx = ConsoleContext.create(rasa_url=f"http://127.0.0.1:{rasa_port}", **self.ctx_args)
        self.runner, port = await self._site(create_app(rasa_port=rasa_port, console=self.ctx))
        self.url = f"http://127.0.0.1:{port}"

    async def _stop(self) -> None:
        await self.runner.cleanup()
        await self.rasa_runner.cleanup()
        self.ctx.db.engine.dispose()

    def __enter__(self) -> ConsoleServer:
        self.thread.start()
        assert self.ready.wait(30), "la consola no arrancó"
        return self

    def __exit__(self, *_exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[ConsoleServer, str]]:
    """An agent with a hand-off in progress, one saved reply, the console running."""
    db = Database(f"sqlite:///{tmp_path / 'consola.db'}")
    db.migrate()
    AccountStore(db).create_user("ana", "agente", PASSWORD)
    store(
        db,
        "web-1",
        session_start() + [user("quiero una persona", "hablar_con_humano", 0.9), ConversationPaused()],
        1795800000.0,
    )
    handoff, _ = HandoffStore(db).create(
        sender_id="web-1", channel="agente_humano", intent="hablar_con_humano", slots={}, summary="Hablar con un agente"
    )
    HandoffStore(db).take(handoff.id, "ana")
    SavedReplyStore(db).create("Saludo inicial", GREETING, "jefa")
    db.engine.dispose()
    write_status(tmp_path / "estado.json")
    args = {"db_url": db.url, "token": "token-de-prueba", "status_file": tmp_path / "estado.json", "timezone": TZ}
    with ConsoleServer(args) as server:
        yield server, handoff.id


def test_agent_inserts_edits_and_sends_a_saved_reply(browser, served):
    server, handoff_id = served
    for page in open_page(browser, server.url + "/consola/entrar", viewport={"width": 1200, "height": 900}):
        page.fill("#usuario", "ana")
        page.fill("#clave", PASSWORD)
        page.click("button:text('Entrar')")
        page.wait_for_selector("h1:text('Cola de derivaciones')")
        page.goto(server.url + "/consola/conversaciones/web-1")
        reply, search = page.locator(f"#texto-{handoff_id}"), page.locator(f"#filtro-{handoff_id}")
        assert page.is_visible(f"#respuestas-{handoff_id}")  # the script showed the picker

        reply.click()
        page.keyboard.type("/")  # «/» in the empty reply: to the filter, not into the text
        assert search.evaluate("e => e === document.activeElement") and reply.input_value() == ""
        page.keyboard.type("saludo")
        page.keyboard.press("Enter")
        assert reply.input_value() == GREETING and reply.evaluate("e => e === document.activeElement")
        page.keyboard.type(" Ya reviso su caso.")  # the agent edits it before sending

        page.keyboard.press("Alt+r")
        assert search.evaluate("e => e === document.activeElement")
        page.keyboard.type("horario")
        page.click("button:text('Insertar en la respuesta')")
        sent = reply.input_value()
        assert sent.startswith(GREETING + " Ya reviso su caso. Para Soporte Prime") and "8am-6pm" in sent
        assert accessibility_violations(page) == []

        page.click("button:text('Enviar respuesta')")
        page.wait_for_selector("text=Respuesta enviada al chat del cliente")
        # The form sends line breaks as CRLF, and the queue passes the reply on as it came.
        assert server.rasa.posted[-1][2][0]["text"].replace("\r\n", "\n") == sent.strip()
