"""The hand-off queue over HTTP: take, reply (into the customer's chat), close; Rasa down."""

from protheus.common.messages import message
from protheus.db.handoffs import HandoffStore
from protheus.webapp.console.context import MAX_AGENT_REPLY
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run


def test_queue_take_reply_close(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/cola")
            assert status == 200 and chats.id in body and "Agente de Soporte" in body
            assert (await c.post(f"/consola/derivaciones/{chats.id}/responder", {"texto": "hola"})).status == 409
            await c.post(f"/consola/derivaciones/{chats.id}/tomar")
            status, body = await c.get("/consola/conversaciones/web-agente")
            assert f'maxlength="{MAX_AGENT_REPLY}"' in body
            response = await c.post(
                f"/consola/derivaciones/{chats.id}/responder", {"texto": "x" * (MAX_AGENT_REPLY + 1)}
            )
            assert "error=cola.larga" in response.headers["Location"] and c.rasa.posted == []
            response = await c.post(
                f"/consola/derivaciones/{chats.id}/responder", {"texto": "Hola, soy Ana. ¿En qué le ayudo?"}
            )
            assert response.status == 303 and "aviso=cola.enviada" in response.headers["Location"]
            status, body = await c.get(response.headers["Location"])
            assert "Respuesta enviada al chat del cliente." in body
            sender, params, events = c.rasa.posted[-1]
            assert (
                sender == "web-agente"
                and params["output_channel"] == "latest"
                and params["execute_side_effects"] == "true"
            )
            assert events == [
                {"event": "bot", "text": "Hola, soy Ana. ¿En qué le ayudo?", "metadata": {"agente": "ana"}}
            ]
            response = await c.post(f"/consola/derivaciones/{chats.id}/cerrar")
            assert response.status == 303 and HandoffStore(db).get(chats.id).status == "cerrado"
            resume, closing, survey = c.rasa.posted[-3:]
            assert resume[2] == [{"event": "resume"}]
            assert closing[2][0]["text"] == message("agente_cierra")["text"]
            assert "encuesta" in survey[2][0]["data"]["custom"]  # then how it went (tests/webapp/console/test_live.py)
            assert chats.id not in (await c.get("/consola/cola"))[1]

    run(scenario)


def test_reply_when_rasa_is_down_is_not_lost_silently(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            await c.post(f"/consola/derivaciones/{chats.id}/tomar")
            c.rasa.up = False
            response = await c.post(f"/consola/derivaciones/{chats.id}/cerrar")
            assert "error=cola.rasa" in response.headers["Location"]
            assert HandoffStore(db).get(chats.id).status == "en_curso"  # not closed: the bot was not resumed
            status, body = await c.get(response.headers["Location"])
            assert "Rasa no respondió" in body and "Rasa no responde" in body

    run(scenario)


def test_the_queue_shows_what_the_customer_wrote_after_the_handoff(db, status_file, chats):
    import time

    from tests.events import store, user

    store(
        db,
        "web-agente",
        [user("hola? hay alguien?", "saludo", 0.6), user("sigo esperando", "saludo", 0.5)],
        time.time() + 5,
    )

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/cola")
            assert status == 200 and "2 mensajes: «sigo esperando»" in body
            assert "quiero hablar con una persona" not in body  # written before the hand-off

    run(scenario)


def test_the_queue_says_how_each_customer_was_identified(db, status_file, chats):
    from protheus.common.vocabulary import Channel

    handoffs = HandoffStore(db)
    for sender, identified in (("c-portal", "portal"), ("c-verificado", "verificado"), ("c-dicho", "no_verificado")):
        handoffs.create(
            sender_id=sender,
            channel=Channel.STANDARD,
            intent="consulta_funcional",
            slots={"codigo_cliente": "PRIME01", "verificacion_cliente": identified},
            summary="Una duda",
        )

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/cola")
            assert status == 200
            for label in ("verificado por el portal", "verificado (correo del facilitador)", "sin verificar"):
                assert f'<span class="identificacion">{label}</span>' in body

    run(scenario)
