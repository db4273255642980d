"""The live queue over Server-Sent Events: a new hand-off and what a waiting customer writes
reach an open console tab without reloading; the typing notice; the survey at close."""

import asyncio
import json
import time

from protheus.common.messages import survey_texts
from protheus.db.handoffs import HandoffStore
from protheus.db.satisfaction import SatisfactionStore
from protheus.webapp.console.live import LIVE
from tests.events import HOSTILE, session_start, store, user
from tests.webapp.console.conftest import START, USERS
from tests.webapp.console.console_client import console, run


async def next_event(stream, kind: str, timeout: float = 10.0) -> dict:
    """Read the stream until an event of `kind` arrives; its data."""

    async def read() -> dict:
        current = None
        while True:
            line = (await stream.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                current = line[len("event: ") :]
            elif line.startswith("data: ") and current == kind:
                return json.loads(line[len("data: ") :])

    return await asyncio.wait_for(read(), timeout)


def test_a_new_handoff_and_the_customer_s_words_arrive_without_reloading(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            c.client.server.app[LIVE].poll_seconds = 0.1
            await c.login("ana")
            stream = await c.client.get("/consola/eventos")
            assert stream.status == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
            await asyncio.sleep(0.5)  # the first round only sees what is already there
            store(db, "web-nuevo", session_start() + [user("quiero un agente", "hablar_con_humano", 0.97)], START)
            handoff, _ = HandoffStore(db).create(
                sender_id="web-nuevo", channel="agente_humano", intent="hablar_con_humano", slots={}, summary=HOSTILE[0]
            )
            queued = await next_event(stream, "cola")
            assert queued["abiertas"] == 1 and [h["id"] for h in queued["nuevas"]] == [handoff.id]
            assert queued["nuevas"][0]["resumen"] == HOSTILE[0]  # JSON text: the page shows it with textContent
            assert queued["nuevas"][0]["enlace"] == "/consola/conversaciones/web-nuevo#derivaciones"
            store(db, "web-nuevo", [user("hola? hay alguien?", "saludo", 0.9)], time.time() + 1)
            said = await next_event(stream, "mensaje")
            assert (said["derivacion"], said["texto"]) == (handoff.id, "hola? hay alguien?")
            stream.close()

    run(scenario)


def test_the_stream_is_for_agents_and_admins_only(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            assert (await c.client.get("/consola/eventos", allow_redirects=False)).status == 303  # to the login
            await c.login("tere")
            assert (await c.client.get("/consola/eventos")).status == 403

    run(scenario)


def test_typing_reaches_rasa_only_for_the_agent_working_the_handoff(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            path = f"/consola/derivaciones/{chats.id}/escribiendo"
            assert (await c.post(path)).status == 409 and c.rasa.typing == []  # not taken yet
            await c.post(f"/consola/derivaciones/{chats.id}/tomar")
            assert (await c.post(path, csrf=False)).status == 403
            assert (await c.post(path)).status == 200 and c.rasa.typing == ["web-agente"]

    run(scenario)


def test_closing_a_handoff_asks_the_survey_once_per_session(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            await c.post(f"/consola/derivaciones/{chats.id}/tomar")
            await c.post(f"/consola/derivaciones/{chats.id}/cerrar")
            asked = c.rasa.posted[-1][2][0]
            assert asked["text"] == survey_texts()["pregunta"]
            [survey] = SatisfactionStore(db).of_conversation("web-agente")
            assert asked["data"]["custom"] == {"encuesta": {"id": survey.survey_id}}
            assert (survey.attended_by, survey.handoff_id) == ("agente", chats.id)
            again, _ = HandoffStore(db).create(
                sender_id="web-agente", channel="agente_humano", intent="hablar_con_humano", slots={}, summary=""
            )
            await c.post(f"/consola/derivaciones/{again.id}/tomar")
            await c.post(f"/consola/derivaciones/{again.id}/cerrar")
            assert len(SatisfactionStore(db).of_conversation("web-agente")) == 1  # same session: not again
            assert c.rasa.posted[-1][2][0]["text"] != survey_texts()["pregunta"]

    run(scenario)


def test_stopping_the_web_app_ends_every_stream_at_once(db, status_file):
    """Without it, an open console tab held the web app's shutdown for its whole timeout (60 s)."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            stream = await c.client.get("/consola/eventos")
            await stream.content.readline()  # connected
            c.client.server.app[LIVE].close()
            rest = await asyncio.wait_for(stream.content.read(), 5)  # the server ends it
            assert b"event:" not in rest and c.client.server.app[LIVE].listeners == set()

    run(scenario)
