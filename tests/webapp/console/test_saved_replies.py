"""Saved replies over HTTP: admins keep them (CSRF, audit, Spanish errors, escaped texts), agents
get them, with the guideline's, in the reply form of a hand-off they are working on."""

import json
import re

from protheus.db.accounts import AccountStore
from protheus.db.saved_replies import SavedReplyStore
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run

HOSTILE_TITLE = "<script>alert('t')</script>"
HOSTILE_TEXT = '</script><img src=x onerror="alert(1)">'


def _audited(db) -> list[tuple[str, str]]:
    return [(e["username"], e["action"]) for e in AccountStore(db).audit_entries() if "respuesta" in e["action"]]


def test_admin_creates_edits_and_deletes_a_saved_reply(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            status, body = await c.get("/consola/respuestas")
            assert status == 200 and 'href="/consola/respuestas" aria-current="page"' in body
            assert "Todavía no hay respuestas guardadas." in body and "Qué es el Soporte Prime" in body

            response = await c.post("/consola/respuestas", {"titulo": "Saludo", "texto": "Hola, soy de Soporte."})
            assert response.status == 303 and "aviso=respuestas.creada" in response.headers["Location"]
            (saved,) = SavedReplyStore(db).list()
            assert (saved.title, saved.text, saved.updated_by) == ("Saludo", "Hola, soy de Soporte.", "jefa")
            status, body = await c.get(response.headers["Location"])
            assert "Respuesta guardada creada" in body and "Hola, soy de Soporte." in body

            response = await c.post(
                f"/consola/respuestas/{saved.id}", {"accion": "guardar", "titulo": "Saludo", "texto": "Buenos días."}
            )
            assert response.status == 303 and "aviso=respuestas.guardada" in response.headers["Location"]
            assert SavedReplyStore(db).get(saved.id).text == "Buenos días."

            response = await c.post(f"/consola/respuestas/{saved.id}", {"accion": "borrar"})
            assert response.status == 303 and "aviso=respuestas.borrada" in response.headers["Location"]
            assert SavedReplyStore(db).list() == ()
            response = await c.post(f"/consola/respuestas/{saved.id}", {"accion": "borrar"})
            assert response.status == 404 and "no existe" in await response.text()
            assert (await c.post("/consola/respuestas/99999999999999999999", {"accion": "borrar"})).status == 404
            assert _audited(db) == [
                ("jefa", "borrar_respuesta_guardada"),
                ("jefa", "modificar_respuesta_guardada"),
                ("jefa", "crear_respuesta_guardada"),
            ]

    run(scenario)


def test_bad_input_shows_the_spanish_reason_and_keeps_what_was_typed(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            response = await c.post("/consola/respuestas", {"titulo": "  ", "texto": "Un texto que no se pierde"})
            body = await response.text()
            assert response.status == 400 and "Escriba un título para la respuesta guardada." in body
            assert ">Un texto que no se pierde</textarea>" in body
            response = await c.post("/consola/respuestas", {"titulo": "x" * 121, "texto": "texto"})
            assert response.status == 400 and "El título es muy largo (máximo 120 caracteres)." in await response.text()
            saved = SavedReplyStore(db).create("Saludo", "Hola.", "jefa")
            response = await c.post(f"/consola/respuestas/{saved.id}", {"accion": "guardar", "titulo": "Saludo"})
            assert response.status == 400 and "Escriba el texto de la respuesta guardada." in await response.text()
            response = await c.post(f"/consola/respuestas/{saved.id}", {"accion": "tirar"})
            assert response.status == 400 and "Acción no válida" in await response.text()
            assert SavedReplyStore(db).list() == (saved,) and _audited(db) == []

    run(scenario)


def test_only_admins_keep_saved_replies(db, status_file):
    async def scenario():
        saved = SavedReplyStore(db).create("Saludo", "Hola.", "jefa")
        async with console(db, status_file, USERS) as c:
            for username in ("ana", "tere"):
                await c.login(username)
                status, body = await c.get("/consola/respuestas")
                assert status == 403 and 'href="/consola/respuestas"' not in body
                for path, form in (
                    ("/consola/respuestas", {"titulo": "t", "texto": "x"}),
                    (f"/consola/respuestas/{saved.id}", {"accion": "borrar"}),
                ):
                    assert (await c.post(path, form)).status == 403
                await c.post("/consola/salir")
            await c.login("jefa")
            response = await c.post("/consola/respuestas", {"titulo": "t", "texto": "x"}, csrf=False)
            assert response.status == 403 and "El formulario venció" in await response.text()
            assert SavedReplyStore(db).list() == (saved,) and _audited(db) == []

    run(scenario)


def test_texts_are_escaped_on_the_admin_page(db, status_file):
    async def scenario():
        SavedReplyStore(db).create(HOSTILE_TITLE, HOSTILE_TEXT, "jefa")
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            status, body = await c.get("/consola/respuestas")
            assert status == 200 and HOSTILE_TITLE not in body and HOSTILE_TEXT not in body
            assert "<h3>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</h3>" in body
            assert "&lt;/script&gt;&lt;img" in body

    run(scenario)


def _picker(body: str) -> list[dict]:
    found = re.search(r'<script type="application/json" id="respuestas-guardadas">(.*?)</script>', body, re.S)
    return json.loads(found.group(1)) if found else []


def test_the_reply_form_offers_the_saved_replies_then_the_guideline(db, status_file, chats):
    async def scenario():
        SavedReplyStore(db).create(HOSTILE_TITLE, HOSTILE_TEXT, "jefa")
        SavedReplyStore(db).create("Saludo", "Hola, soy de Soporte.", "jefa")
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/web-agente")
            assert status == 200 and _picker(body) == [] and "saved-replies" not in body  # not taken: no form
            await c.post(f"/consola/derivaciones/{chats.id}/tomar")
            status, body = await c.get("/consola/conversaciones/web-agente")
            offered = _picker(body)
            assert [(r["titulo"], r["origen"]) for r in offered[:2]] == [
                (HOSTILE_TITLE, "equipo"),  # by title: «<» before «S»
                ("Saludo", "equipo"),
            ]
            assert {r["origen"] for r in offered[2:]} == {"pautas"} and len(offered) > 20
            assert offered[2]["titulo"] == "Reportar un posible error del sistema"
            assert (
                HOSTILE_TEXT not in body and HOSTILE_TITLE not in body
            )  # in the JSON as \u003c..., in the list escaped
            assert '<label for="respuestas-' in body and ">Respuestas guardadas</label>" in body
            assert '<script src="/static/consola-respuestas.js" defer></script>' in body
            assert '<select id="respuestas-' in body and 'name="texto"' in body
            await c.post("/consola/salir")
            await c.login("tere")  # a trainer reads the same transcript, without a reply form
            status, body = await c.get("/consola/conversaciones/web-agente")
            assert status == 200 and _picker(body) == [] and "saved-replies" not in body

    run(scenario)


def test_the_picker_script_is_served(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            response = await c.client.get("/static/consola-respuestas.js")
            assert response.status == 200 and "respuestas-guardadas" in await response.text()

    run(scenario)
