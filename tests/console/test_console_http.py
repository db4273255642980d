"""The console over HTTP: login, roles, CSRF, escaping, masking, exports, the queue and the
storage banner. Runs on SQLite and PostgreSQL, with a fake Rasa HTTP API."""

import asyncio
import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from protheus.console.context import MAX_AGENT_REPLY
from protheus.db.conversations import ConversationStore
from protheus.db.handoffs import HandoffStore
from protheus.messages import message
from tests.console.console_client import TZ, console, write_status
from tests.console.events import HOSTILE, ConversationPaused, action, bot, session_start, store, user

START = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(TZ)).timestamp()
USERS = {"ana": "agente", "tere": "entrenador", "jefa": "admin"}
CONTACT = "escríbanme a juan.perez@empresa.com o al +52 55 1234 5678"


@pytest.fixture
def status_file(tmp_path):
    path = tmp_path / "tracker-store.json"
    write_status(path)
    return path


@pytest.fixture
def chats(db):
    store(
        db,
        "web-hostil",
        session_start() + [user(text, "fuera_de_dominio", 0.5) for text in HOSTILE] + [bot("<b>respuesta</b>")],
        START,
    )
    store(
        db,
        "web-contacto",
        session_start() + [user(CONTACT, "contacto_soporte", 0.8), user("no me sirve", "fuera_de_dominio", 0.3)],
        START + 100,
    )
    store(
        db, "web-formula", session_start() + [user('=HYPERLINK("http://malo")', "fuera_de_dominio", 0.2)], START + 150
    )
    store(
        db,
        "web-agente",
        session_start()
        + [
            user("quiero hablar con una persona", "hablar_con_humano", 0.97),
            action("action_derivar"),
            ConversationPaused(),
        ],
        START + 200,
    )
    handoff, _ = HandoffStore(db).create(
        sender_id="web-agente",
        channel="agente_humano",
        intent="hablar_con_humano",
        slots={},
        summary="Hablar con un agente",
    )
    return handoff


def run(scenario):
    return asyncio.run(scenario())


def test_every_console_page_needs_a_login(db, status_file):
    async def scenario():
        async with console(db, status_file) as c:
            routes = [
                (r.method, r.resource.canonical)
                for r in c.client.app.router.routes()
                if r.resource
                and r.resource.canonical.startswith("/consola")
                and r.resource.canonical != "/consola/entrar"
            ]
            assert len(routes) >= 12
            for method, path in routes:
                path = path.replace("{formato}", "csv").format(
                    sender_id="x", event_id="1", handoff_id="D1", user_id="1", name="m.tar.gz", file="m-confusion.png"
                )
                path = path.replace("exportar.{formato:csv|json}", "exportar.csv")
                if method == "GET":
                    status, _ = await c.get(path)
                    assert status == 303, path
                else:
                    response = await c.post(path, csrf=False)
                    assert response.status == 401, path

    run(scenario)


def test_login_sets_a_safe_cookie_and_wrong_passwords_are_throttled(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            for _ in range(5):
                assert await c.login("ana", "no-es-la-clave") == 401
            assert await c.login("ana") == 429
            page = await c.client.get("/consola/entrar")
            token = (await page.text()).split('name="csrf_entrada" value="')[1].split('"')[0]
            response = await c.client.post(
                "/consola/entrar",
                allow_redirects=False,
                headers={"Origin": c.origin},
                data={"usuario": "tere", "clave": "una-clave-larga-1", "csrf_entrada": token},
            )
            cookie = response.headers["Set-Cookie"]
            assert response.status == 303
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/consola" in cookie

    run(scenario)


@pytest.mark.parametrize(
    "username, allowed, forbidden",
    [
        (
            "ana",
            ["/consola/cola", "/consola/conversaciones"],
            ["/consola/entrenamiento", "/consola/entrenamiento/modelos", "/consola/usuarios"],
        ),
        (
            "tere",
            ["/consola/entrenamiento", "/consola/entrenamiento/modelos", "/consola/conversaciones"],
            ["/consola/cola", "/consola/usuarios"],
        ),
        ("jefa", ["/consola/cola", "/consola/entrenamiento", "/consola/usuarios"], []),
    ],
)
def test_roles(db, status_file, username, allowed, forbidden):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            assert await c.login(username) == 303
            for path in allowed:
                assert (await c.get(path))[0] == 200, path
            for path in forbidden:
                status, body = await c.get(path)
                assert status == 403 and "No tiene permiso" in body, path

    run(scenario)


def test_forms_need_the_csrf_token_and_this_origin(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            path = f"/consola/derivaciones/{chats.id}/tomar"
            assert (await c.post(path, csrf=False)).status == 403
            assert (await c.post(path, origin="http://malicioso.example")).status == 403
            assert HandoffStore(db).get(chats.id).status == "abierto"
            assert (await c.post(path)).status == 303
            assert HandoffStore(db).get(chats.id).status == "en_curso"

    run(scenario)


def test_hostile_chat_text_is_escaped_everywhere(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            ConversationStore(db).sync()
            ids = [e["_id"] for e in ConversationStore(db).events("web-hostil") if e.get("event") == "user"]
            await c.post(f"/consola/mensajes/{ids[1]}/marcar", {"conversacion": "web-hostil"})
            pages = [
                await c.get("/consola/conversaciones"),
                await c.get("/consola/conversaciones/web-hostil"),
                await c.get("/consola/conversaciones?texto=%3Cscript%3E"),
                await c.get("/consola/entrenamiento"),
            ]
            for status, body in pages:
                assert status == 200
                for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>respuesta"):
                    assert raw not in body
            assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in pages[1][1]
            assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in pages[3][1]

    run(scenario)


def test_contact_data_is_masked_for_trainers_only(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            for path in (
                "/consola/conversaciones",
                "/consola/conversaciones/web-contacto",
                "/consola/conversaciones/exportar.csv",
                "/consola/conversaciones/exportar.json",
            ):
                status, body = await c.get(path)
                assert status == 200 and "juan.perez@empresa.com" not in body and "1234 5678" not in body, path
                assert "j***@***.com" in body, path
        async with console(db, status_file) as c:
            await c.login("ana")
            assert "juan.perez@empresa.com" in (await c.get("/consola/conversaciones/web-contacto"))[1]

    run(scenario)


def test_exports_follow_the_filters(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/exportar.csv?confianza_menor=0.6")
            rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
            assert status == 200 and {r["conversacion"] for r in rows} == {"web-hostil", "web-contacto", "web-formula"}
            formula = next(r for r in rows if r["conversacion"] == "web-formula")
            assert formula["primer_mensaje"] == '\'=HYPERLINK("http://malo")'  # a spreadsheet shows it as text
            contact = next(r for r in rows if r["conversacion"] == "web-contacto")
            assert contact["primer_mensaje"] == CONTACT and contact["confianza_minima"] == "0.3"
            status, body = await c.get("/consola/conversaciones/exportar.json?intencion=hablar_con_humano")
            [record] = json.loads(body)
            assert record["conversacion"] == "web-agente" and record["derivaciones"].endswith(":agente_humano:abierto")
            from protheus.db.accounts import AccountStore

            assert any(e["action"] == "exportar_conversaciones" for e in AccountStore(db).audit_entries())

    run(scenario)


def test_bad_filters_get_a_spanish_message(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones?desde=27-11-2026&confianza_menor=mucho")
            assert status == 200 and "use el formato AAAA-MM-DD" in body
            status, body = await c.get("/consola/conversaciones/exportar.csv?confianza_menor=mucho")
            assert status == 400 and "número entre 0 y 1" in body
            status, body = await c.get("/consola/conversaciones/no-existe")
            assert status == 404 and "No hay ninguna conversación" in body

    run(scenario)


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
            resume, closing = c.rasa.posted[-2:]
            assert resume[2] == [{"event": "resume"}]
            assert closing[2][0]["text"] == message("agente_cierra")["text"]
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


def test_storage_failure_is_shown_in_the_console_and_health(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            response = await c.client.get("/salud")
            assert response.status == 200 and (await response.json())["conversaciones_guardadas"] is True
            write_status(
                status_file,
                estado="fallo",
                fallos=3,
                ultimo_fallo=1795800100.0,
                ultimo_error="OperationalError: could not connect to server",
            )
            response = await c.client.get("/salud")
            health = await response.json()
            assert response.status == 503 and health["conversaciones_guardadas"] is False
            assert "no se están guardando" in health["avisos"][0]
            await c.login("ana")
            status, body = await c.get("/consola/cola")
            assert 'role="alert"' in body and "no se están guardando" in body
            status_file.unlink()  # Rasa running with no SQL store: it fell back to memory
            health = await (await c.client.get("/salud")).json()
            assert "solo en memoria" in health["avisos"][0]

    run(scenario)


def test_admin_manages_users(db, status_file):
    async def scenario():
        async with console(db, status_file, {"jefa": "admin"}) as c:
            await c.login("jefa")
            response = await c.post("/consola/usuarios", {"usuario": "nuevo", "rol": "agente", "clave": "corta"})
            assert response.status == 400 and "al menos 10" in await response.text()
            response = await c.post(
                "/consola/usuarios", {"usuario": "nuevo", "rol": "agente", "clave": "clave-larga-nueva"}
            )
            assert response.status == 200 and "creado" in await response.text()
            from protheus.db.accounts import AccountStore

            me = next(u for u in AccountStore(db).users() if u.username == "jefa")
            response = await c.post(f"/consola/usuarios/{me.id}", {"rol": "agente", "activo": "1"})
            assert response.status == 400 and "No puede quitarse" in await response.text()

    run(scenario)


def test_past_failures_stay_visible_after_recovery(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            write_status(status_file, estado="ok", fallos=4, ultimo_fallo=1795800100.0)
            response = await c.client.get("/salud")
            health = await response.json()
            assert response.status == 200 and health["conversaciones_guardadas"] is True
            assert "Hubo 4 fallos" in health["avisos"][0]

    run(scenario)
